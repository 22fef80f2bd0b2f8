"""load.py - the badge benchmark's load generators: wrk for HTTP/1.1, plain and pipelined, and h2load for
h2c (and for the memory test's HTTP/1.1), with the same client settings for every server and every failed request
counted."""

import os
import re
import subprocess

from proc import Meter

HERE = os.path.dirname(os.path.abspath(__file__))

WRK_THREADS, WRK_CONNECTIONS = 2, 64
PIPELINE_DEPTH = 16  # requests per write on each connection for pipelined HTTP/1.1
H2_THREADS, H2_CONNECTIONS, H2_STREAMS = 2, 16, 32


def wrk_argv(url, seconds, depth):
    """wrk with report.lua; depth > 1 pipelines that many requests per write on each connection."""
    argv = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", "--timeout", "5s", f"-d{seconds}s",
            "-s", os.path.join(HERE, "report.lua"), url]
    return argv + ["--", str(depth)] if depth > 1 else argv


def run_wrk(url, duration, warmup, server, depth=1):
    """One wrk run after a warm-up run with the same settings. Returns a result dict; 'valid' is False on
    any error."""
    if warmup > 0:
        subprocess.run(wrk_argv(url, warmup, depth), capture_output=True, timeout=warmup + 30)
    meter = Meter(server)
    r = subprocess.run(wrk_argv(url, duration, depth), capture_output=True, timeout=duration + 30)
    cpu = meter.stop()
    text = r.stdout.decode(errors="replace")
    m = re.search(r"^BENCH (.*)$", text, re.M)
    if r.returncode != 0 or not m:
        return {"valid": False, "rps": None, "note": f"wrk failed: {(text + r.stderr.decode()).strip()[-300:]}"}
    f = {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    errors = {k: f[k] for k in ("connect", "read", "write", "status", "timeout") if f[k]}
    res = {
        "valid": f["requests"] > 0 and not errors,
        "rps": f["requests"] / (f["duration_us"] / 1e6),
        "requests": f["requests"],
        "bytes_per_req": f["bytes"] / f["requests"] if f["requests"] else 0,
        # Pipelined, wrk times whole batches and its coordinated-omission correction (which assumes one
        # request per write) adds samples its percentiles then miss: they mean nothing, so none are kept.
        "p50_us": f["p50_us"] if depth == 1 else None,
        "p99_us": f["p99_us"] if depth == 1 else None,
        "cpu_us_per_req": cpu["server_cpu"] * 1e6 / f["requests"] if f["requests"] else None,
        "others_pct": cpu["others_pct"],
        "note": "",
    }
    if errors:
        res["note"] = "errors: " + ", ".join(f"{k}={v}" for k, v in errors.items())
    return res


def parse_h2load(text):
    """The counts, requests/s and bytes of h2load's closing summary, or None if it has none."""
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                  r"(\d+) errored, (\d+) timeout", text)
    s = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    fin = re.search(r"finished in [0-9.]+m?s, ([0-9.]+) req/s", text)
    t = re.search(r"traffic: .*?\((\d+)\) total", text)
    if not (m and s and fin):
        return None
    total, _, _, ok, failed, errored, timeout = map(int, m.groups())
    _, _, c4, c5 = map(int, s.groups())
    return {"total": total, "succeeded": ok, "failed": failed, "errored": errored, "timeout": timeout,
            "4xx": c4, "5xx": c5, "rps": float(fin.group(1)), "bytes": int(t.group(1)) if t else 0}


def run_h2load(args, timeout):
    """Runs h2load; returns (parsed summary or None, text naming every failed request: empty if none)."""
    r = subprocess.run(["h2load"] + args, capture_output=True, timeout=timeout)
    text = r.stdout.decode(errors="replace")
    p = parse_h2load(text)
    if r.returncode != 0 or p is None:
        return None, f"h2load failed: {(text + r.stderr.decode(errors='replace')).strip()[-300:]}"
    problems = [f"{k}={p[k]}" for k in ("failed", "errored", "timeout", "4xx", "5xx") if p[k]]
    if p["succeeded"] != p["total"]:
        problems.insert(0, f"succeeded {p['succeeded']} of {p['total']}")
    if p["total"] == 0:
        problems.append("no requests")
    return p, ", ".join(problems)


def run_h2c(url, duration, warmup, server):
    """One timed h2load run over h2c (prior knowledge) after a warm-up run (a separate run, as for wrk,
    so that the server's CPU time is counted for the measured requests only)."""
    args = [f"-t{H2_THREADS}", f"-c{H2_CONNECTIONS}", f"-m{H2_STREAMS}"]
    if warmup > 0:
        run_h2load(args + [f"-D{warmup}", url], warmup + 30)
    meter = Meter(server)
    p, problems = run_h2load(args + [f"-D{duration}", url], duration + 30)
    cpu = meter.stop()
    if p is None:
        return {"valid": False, "rps": None, "note": problems}
    return {"valid": not problems, "rps": p["rps"], "requests": p["total"],
            "bytes_per_req": p["bytes"] / p["total"] if p["total"] else 0,
            "cpu_us_per_req": cpu["server_cpu"] * 1e6 / p["total"] if p["total"] else None,
            "others_pct": cpu["others_pct"], "note": problems}
