"""memory.py - the badge benchmark's memory test: a fresh labgate answers a million requests, HTTP/1.1
and h2c in turn, over a few thousand distinct query strings, and its resident memory is read as it goes."""

import os

from load import H2_CONNECTIONS, H2_STREAMS, H2_THREADS, run_h2load
from proc import CannotRun, http_get, metrics_rss, vm_status
from servers import start_labgate

MEMORY_REQUESTS = 1_000_000
MEMORY_DISTINCT = 4000  # distinct query strings: several times the per-thread cache's 1024 slots
MEMORY_CHUNKS = 4  # alternating h1 / h2 chunks, RSS read after each


def memory_uris(base, n):
    """n distinct, valid badge URLs (the first is the default badge)."""
    styles = ["flat", "flat-square", "plastic", "for-the-badge", "social"]
    colors = ["brightgreen", "green", "yellow", "orange", "red", "blue", "lightgrey", "success", "4c1",
              "f37626", "%23007ec6", "rgb(10%2C120%2C200)"]
    uris = [base + "/badge.svg"]
    for i in range(1, n):
        q = [f"label=bench%20{i}", f"message=v{i % 97}.{i % 13}", f"color={colors[i % len(colors)]}",
             f"style={styles[i % len(styles)]}"]
        if i % 3 == 0:
            q.append("logo=none")
        if i % 7 == 0:
            q.append(f"labelColor={colors[(i // 7) % len(colors)]}")
        uris.append(base + "/badge.svg?" + "&".join(q))
    return uris


def run_memory(binary, tmp, total, log):
    """Starts a fresh labgate, sends it total requests in MEMORY_CHUNKS alternating HTTP/1.1 and h2c runs,
    and returns its VmRSS / VmHWM before, after each run and after, /metrics' figure, and any failures."""
    srv, base, _ = start_labgate(binary, tmp, "labgate-memory")
    try:
        uris = memory_uris(base, MEMORY_DISTINCT)
        for u in (uris[1], uris[3], uris[7], uris[-1]):
            status, _, _ = http_get(u)
            if status != 200:
                raise CannotRun(f"labgate answered {status} to {u}: the memory test's URLs need fixing")
        path = os.path.join(tmp, "memory-uris.txt")
        with open(path, "w") as f:
            f.write("\n".join(uris) + "\n")
        res = {"before": vm_status(srv.pid), "before_metrics": metrics_rss(base), "steps": [], "problems": [],
               "requests": 0}
        per_chunk = total // MEMORY_CHUNKS
        for c in range(MEMORY_CHUNKS):
            proto = "h1" if c % 2 == 0 else "h2c"
            n = per_chunk if c < MEMORY_CHUNKS - 1 else total - per_chunk * (MEMORY_CHUNKS - 1)
            args = [f"-n{n}", f"-t{H2_THREADS}", f"-c{H2_CONNECTIONS}", "-i", path]
            args += ["--h1", "-m1"] if proto == "h1" else [f"-m{H2_STREAMS}"]
            log(f"  memory: {n:,} requests over {proto} ...")
            p, problems = run_h2load(args, timeout=300)
            if p is None or problems:
                res["problems"].append(f"{proto} chunk {c + 1}: {problems}")
            res["requests"] += p["succeeded"] if p else 0
            res["steps"].append((proto, n, p["rps"] if p else None, vm_status(srv.pid)))
        res["after"] = vm_status(srv.pid)
        res["after_metrics"] = metrics_rss(base)
        _, err = srv.output()
        res["log"] = err.strip()
        return res
    finally:
        srv.stop()
