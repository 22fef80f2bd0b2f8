"""summary.py - the badge benchmark's report: the checks, the table, the goals and their verdicts."""

import os
import re

from load import H2_CONNECTIONS, H2_STREAMS, H2_THREADS, WRK_CONNECTIONS, WRK_THREADS
from memory import MEMORY_DISTINCT, MEMORY_REQUESTS
from servers import THREADS

GOAL_VS_NGINX = 0.9
GOAL_VS_BADGE_MAKER = 20.0
GOAL_RSS_BYTES = 30 * 1000 * 1000
OTHERS_WARN_PCT = 10  # CPU share of unrelated processes during a measurement that is worth a warning


def build_type(binary):
    """The CMAKE_BUILD_TYPE of the build directory holding binary, or None if it cannot be told."""
    d = os.path.dirname(os.path.abspath(binary))
    for _ in range(3):
        cache = os.path.join(d, "CMakeCache.txt")
        if os.path.exists(cache):
            with open(cache, errors="replace") as f:
                m = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", f.read(), re.M)
            return m.group(1).strip() if m else ""
        d = os.path.dirname(d)
    return None


def mb(n):
    return f"{n / 1e6:.1f} MB" if n is not None else "n/a"


def report_header(v, w):
    opts = v["opts"]
    w("")
    w("=" * 78)
    w("labgate badge benchmark" + ("  (--quick: smoke run, figures are rough)" if opts.quick else ""))
    w("=" * 78)
    w(f"labgate binary : {opts.binary}")
    bt = build_type(opts.binary)
    if bt is None:
        w("build type     : unknown (no CMakeCache.txt near the binary); use a Release build for real figures")
    elif bt not in ("Release", "RelWithDebInfo", "MinSizeRel"):
        w(f"build type     : {bt or '(empty)'} -- NOT OPTIMISED: use a Release build for real figures")
    else:
        w(f"build type     : {bt}")
    w(f"machine        : {os.cpu_count()} CPUs; servers use {THREADS} threads / workers each; "
      "load generators run on the same CPUs")
    w(f"HTTP/1.1       : wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{opts.duration}s after a {opts.warmup}s "
      "warm-up run")
    w(f"h2c            : h2load -t{H2_THREADS} -c{H2_CONNECTIONS} -m{H2_STREAMS} -D{opts.duration} after a "
      f"{opts.warmup}s warm-up run (prior knowledge)")
    w(f"body           : GET /badge.svg, {v['body_len']:,} bytes (labgate's default badge)")
    w("")
    w("Same bytes as labgate's HTTP body:")
    for what, ok, n in v["same"]:
        w(f"  {what:<48} {'identical' if ok else f'DIFFERENT ({n:,} bytes)'}")


def report_table(results, w):
    def col(r, key, fmt, width):
        return format(r[key], fmt) if r.get(key) is not None else f"{'-':>{width}}"

    w("")
    w(f"{'server':<13} {'protocol':<9} {'requests/s':>12} {'bytes/resp':>10} {'p50 ms':>8} {'p99 ms':>8} "
      f"{'CPU/req':>8} {'others':>6}  status")
    w("-" * 78)
    for proto, pname in (("h1", "HTTP/1.1"), ("h2", "h2c")):
        for name in ("labgate", "nginx", "badge-maker"):
            r = dict(results[(name, proto)])
            for k in ("p50_us", "p99_us"):
                r[k] = r[k] / 1000 if k in r else None
            status = "ok" if r["valid"] else "INVALID: " + r["note"]
            w(f"{name:<13} {pname:<9} {col(r, 'rps', '>12,.0f', 12)} {col(r, 'bytes_per_req', '>10,.0f', 10)} "
              f"{col(r, 'p50_us', '>8.2f', 8)} {col(r, 'p99_us', '>8.2f', 8)} "
              f"{col(r, 'cpu_us_per_req', '>6.1f', 6)}us {col(r, 'others_pct', '>5.0f', 5)}%  {status}")
    w("  bytes/resp: HTTP/1.1 headers + body as read by wrk; h2c bytes as counted by h2load.")
    w("  CPU/req: user + system CPU time of the server's processes over the measured run, per request;")
    w("  unlike requests/s it does not depend on how much CPU the load generator leaves the server.")
    w("  others: the share of the machine's CPU time used by processes other than the server and the")
    w("  load generator during the measured run.")
    busy = [r["others_pct"] for r in results.values() if r.get("others_pct", 0) > OTHERS_WARN_PCT]
    if busy:
        w(f"  WARNING: other processes used up to {max(busy):.0f}% of the CPUs during some measurements: those")
        w("  figures are lower and noisier than on an idle machine.")


def report_goals(results, w):
    """Prints the throughput goals; returns their verdicts."""
    verdicts = []
    w("")
    w("Goals:")
    for proto, pname in (("h1", "HTTP/1.1"), ("h2", "h2c")):
        lg = results[("labgate", proto)]
        for other, goal in (("nginx", GOAL_VS_NGINX), ("badge-maker", GOAL_VS_BADGE_MAKER)):
            o = results[(other, proto)]
            x = lg["rps"] / o["rps"] if lg.get("rps") and o.get("rps") else None
            if x is None or not (lg["valid"] and o["valid"]):
                verdict = "INVALID"
            else:
                verdict = "met" if x >= goal else "MISSED"
            verdicts.append(verdict)
            xs = f"{x:.2f}x" if x is not None else "n/a"
            c = o["cpu_us_per_req"] / lg["cpu_us_per_req"] if o.get("cpu_us_per_req") and lg.get("cpu_us_per_req") \
                else None
            cs = f"   (by CPU/req: {c:.2f}x)" if c else ""
            w(f"  labgate / {other:<11} {pname:<9} {xs:>9}   goal >= {goal:g}x   {verdict:<8}{cs}")
    w("  The goals are judged on requests/s; the CPU/req ratio is shown for information.")
    return verdicts


def report_memory(v, w):
    """Prints the memory test; returns its verdict."""
    mem, total = v["mem"], v["opts"].memory_requests
    w("")
    w(f"Memory (fresh labgate, {mem['requests']:,} of {total:,} requests answered, "
      f"{MEMORY_DISTINCT:,} distinct query strings):")
    w(f"  before                VmRSS {mb(mem['before'].get('VmRSS'))}   /metrics {mb(mem['before_metrics'])}")
    done = 0
    for proto, n, rps, st in mem["steps"]:
        done += n
        rate = f"{rps:,.0f} req/s" if rps else "failed"
        w(f"  after {done:>9,} {'(' + proto + ')':<5} VmRSS {mb(st.get('VmRSS'))}   ({rate})")
    after = mem["after"].get("VmRSS")
    w(f"  after                 VmRSS {mb(after)}   /metrics {mb(mem['after_metrics'])}   "
      f"peak (VmHWM) {mb(mem['after'].get('VmHWM'))}")
    for p in mem["problems"]:
        w(f"  INVALID: {p}")
    if mem["problems"] or after is None:
        verdict = "INVALID"
    elif total < MEMORY_REQUESTS:
        verdict = f"not judged ({total:,} requests; the goal is for {MEMORY_REQUESTS:,})"
    else:
        verdict = "met" if after < GOAL_RSS_BYTES else "MISSED"
    w(f"  goal: VmRSS < {mb(GOAL_RSS_BYTES)} after a million requests   {verdict}")
    load = v["lg_rss_after_load"]
    w(f"  (the throughput instance: VmRSS {mb(load.get('VmRSS'))}, peak {mb(load.get('VmHWM'))}, after "
      f"{v['lg_served']:,} measured requests plus warm-ups)")
    return verdict


def report(v):
    """The whole report as text."""
    out = []
    w = out.append
    report_header(v, w)
    report_table(v["results"], w)
    verdicts = report_goals(v["results"], w)
    verdicts.append(report_memory(v, w))
    w("")
    w("Server logs (labgate at warn level, nginx error log at warn, Node stderr):")
    for name, text in v["logs"].items():
        lines = [ln for ln in text.splitlines() if ln.strip()]
        w(f"  {name:<15} {len(lines)} line(s)")
        for ln in lines[:5]:
            w(f"    {ln[:200]}")
    w("")
    missed = sum(1 for g in verdicts if g in ("MISSED", "INVALID"))
    w(f"{len(verdicts) - missed} of {len(verdicts)} goals met" + (f", {missed} MISSED or INVALID" if missed else "")
      + f"; ran in {v['elapsed']:.0f}s.")
    return "\n".join(out)
