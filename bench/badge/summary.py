"""summary.py - the badge benchmark's report: the checks, the table, the goals and their verdicts."""

import os

from load import H2_CONNECTIONS, H2_STREAMS, H2_THREADS, PIPELINE_DEPTH, WRK_CONNECTIONS, WRK_THREADS
from memory import MEMORY_DISTINCT, MEMORY_REQUESTS
from servers import THREADS
from common import build_type, mb

GOAL_VS_NGINX = 0.9
GOAL_VS_BADGE_MAKER = 20.0
GOAL_RSS_BYTES = 30 * 1000 * 1000
OTHERS_WARN_PCT = 10  # CPU share of unrelated processes during a measurement that is worth a warning

PROTOCOLS = (("h1", "HTTP/1.1"), ("h1p", "HTTP/1.1 pipelined"), ("h2", "h2c"))
# (other server, goal, protocols the goal is judged on, protocols whose ratio is shown for information)
GOALS = (("nginx", GOAL_VS_NGINX, ("h1", "h1p", "h2"), ()),
         ("badge-maker", GOAL_VS_BADGE_MAKER, ("h1p", "h2"), ("h1",)))







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
      "warm-up run, one request per write")
    w(f"  pipelined    : the same with {PIPELINE_DEPTH} requests per write on each connection "
      f"(report.lua -- {PIPELINE_DEPTH})")
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
    w(f"{'server':<12} {'protocol':<18} {'requests/s':>10} {'bytes/resp':>10} {'p50 ms':>7} {'p99 ms':>7} "
      f"{'CPU/req':>8} {'others':>6}  status")
    w("-" * 90)
    for proto, pname in PROTOCOLS:
        for name in ("labgate", "nginx", "badge-maker"):
            r = dict(results[(name, proto)])
            for k in ("p50_us", "p99_us"):
                r[k] = r[k] / 1000 if r.get(k) is not None else None
            status = "ok" if r["valid"] else "INVALID: " + r["note"]
            w(f"{name:<12} {pname:<18} {col(r, 'rps', '>10,.0f', 10)} {col(r, 'bytes_per_req', '>10,.0f', 10)} "
              f"{col(r, 'p50_us', '>7.2f', 7)} {col(r, 'p99_us', '>7.2f', 7)} "
              f"{col(r, 'cpu_us_per_req', '>6.1f', 6)}us {col(r, 'others_pct', '>5.0f', 5)}%  {status}")
    w("  bytes/resp: HTTP/1.1 headers + body as read by wrk; h2c bytes as counted by h2load.")
    w("  p50/p99: wrk's latency per request; none when pipelined (wrk times batches, and its correction")
    w("  for coordinated omission, which assumes one request per write, makes those percentiles meaningless).")
    w("  CPU/req: user + system CPU time of the server's processes over the measured run, per request;")
    w("  unlike requests/s it does not depend on how much CPU the load generator leaves the server.")
    w("  others: the share of the machine's CPU time used by processes other than the server and the")
    w("  load generator during the measured run.")
    busy = [r["others_pct"] for r in results.values() if r.get("others_pct", 0) > OTHERS_WARN_PCT]
    if busy:
        w(f"  WARNING: other processes used up to {max(busy):.0f}% of the CPUs during some measurements: those")
        w("  figures are lower and noisier than on an idle machine.")


def ratio(results, other, proto, goal, judged):
    """(labgate / other by requests/s, by CPU/req, verdict) for one protocol; the verdict is "info" when
    the ratio is not judged."""
    lg, o = results[("labgate", proto)], results[(other, proto)]
    x = lg["rps"] / o["rps"] if lg.get("rps") and o.get("rps") else None
    c = o["cpu_us_per_req"] / lg["cpu_us_per_req"] if o.get("cpu_us_per_req") and lg.get("cpu_us_per_req") \
        else None
    if x is None or not (lg["valid"] and o["valid"]):
        verdict = "INVALID" if judged else "info (INVALID)"
    elif not judged:
        verdict = "info"
    else:
        verdict = "met" if x >= goal else "MISSED"
    return x, c, verdict


def report_goals(results, w):
    """Prints the throughput goals and the ratios shown for information; returns the goals' verdicts."""
    verdicts = []
    names = dict(PROTOCOLS)
    w("")
    w("Goals:")
    for other, goal, judged, info in GOALS:
        for proto in (p for p, _ in PROTOCOLS if p in judged or p in info):
            x, c, verdict = ratio(results, other, proto, goal, proto in judged)
            if proto in judged:
                verdicts.append(verdict)
            xs = f"{x:.2f}x" if x is not None else "n/a"
            cs = f"   (by CPU/req: {c:.2f}x)" if c else ""
            gs = f">= {goal:g}x"
            w(f"  labgate / {other:<11} {names[proto]:<18} {xs:>8}   goal {gs:<7}  {verdict:<8}{cs}")
    w("  The goals are judged on requests/s; the CPU/req ratio is shown for information.")
    w("  info: not judged: plain HTTP/1.1 is kernel-bound, a syscall pair per request caps labgate and nginx alike.")
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
