"""sse.py - bench/queue part 3, event streams: 10,000 concurrent clients of one job's event stream (GET
/api/v1/jobs/ID/events, HTTP/1.1, Server-Sent Events) on one `labgate gateway --threads 2`. One user queues one
import while no worker runs, so the job stays queued; the clients (sse_client.py, spread over several processes)
connect, each reads the history (the `queued` event) and waits. With all of them connected the gateway's memory is
read (/proc/PID/status, and the labgate_event_streams gauge from /metrics). Then a worker starts and carries the
job out (its mirror cold, so the events are resolving, fetching, materializing, starting, ready, each with "at",
the worker's wall clock when it wrote it); every client records when each event reached it (the kernel's receive
time of the segment, see sse_client.py) and the stream ends after ready.

Rounds differ in how the clients read: `live`, as events come (their CPU competes with the gateway's on a small
machine), or `after`, only once the job has ended and the gateway has written every event (the arrival times are
the kernel's either way). Each round has a fresh gateway, mirror and job."""

import asyncio
import json
import os
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import httpc
import nbrepo
import stack
from flow import history_event
from common import CannotRun, build_type, mb
from stack import HOST, log

HERE = os.path.dirname(os.path.abspath(__file__))
GOAL_RSS = 300e6  # bytes, under
GOAL_P99 = 250.0  # ms, under
PREFIX = "labgate"


def pct(xs, p):
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def raise_nofile(need):
    """Raises this process's RLIMIT_NOFILE (inherited by the gateway and the clients) to need, or as far as the
    hard limit allows (raising the hard limit too when permitted); returns the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= need:
        return soft
    if hard != resource.RLIM_INFINITY and hard < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))
            return need
        except (ValueError, OSError):
            pass
    target = need if hard == resource.RLIM_INFINITY else min(need, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


class Clients:
    """The client processes, each in a process group of its own, with pipes to and from it."""

    def __init__(self, n_procs, total, port, path, cookie, mode, tmp, timeout):
        self.procs, self.outs, self.counts = [], [], []
        per = [total // n_procs + (1 if k < total % n_procs else 0) for k in range(n_procs)]
        for k, count in enumerate(per):
            if count == 0:
                continue
            out = os.path.join(tmp, f"client-{k}.json")
            argv = [sys.executable, os.path.join(HERE, "sse_client.py"), "--port", str(port), "--path", path,
                    "--cookie", cookie, "--count", str(count), "--mode", "after" if mode == "after" else "live",
                    "--out", out, "--timeout", str(timeout)] + (["--nice", "19"] if mode == "nice" else [])
            p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(out + ".err", "wb"),
                                 start_new_session=True, text=True, bufsize=1,
                                 env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
            stack.EXCLUDED_GROUPS.add(p.pid)
            self.procs.append(p)
            self.outs.append(out)
            self.counts.append(count)

    def wait_lines(self, word, timeout):
        """{index: line} of the first line starting with word from each process, within timeout."""
        got = {}
        deadline = time.monotonic() + timeout
        fds = {p.stdout.fileno(): k for k, p in enumerate(self.procs)}
        while len(got) < len(self.procs):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([p.stdout for k, p in enumerate(self.procs) if k not in got], [], [],
                                        min(left, 1))
            for f in ready:
                line = f.readline()
                k = fds[f.fileno()]
                if not line:
                    got[k] = ""  # ended
                elif line.startswith(word):
                    got[k] = line.strip()
        return got

    def go(self):
        for p in self.procs:
            try:
                p.stdin.write("go\n")
                p.stdin.flush()
            except OSError:
                pass

    def results(self):
        out = []
        for path, p in zip(self.outs, self.procs):
            try:
                with open(path) as f:
                    out.append(json.load(f))
            except (OSError, ValueError):
                err = ""
                try:
                    with open(path + ".err") as f:
                        err = f.read()[-500:]
                except OSError:
                    pass
                out.append({"error": f"no results (exit {p.poll()}): {err.strip()}"})
        return out

    def stop(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            for f in (p.stdin, p.stdout):
                try:
                    f.close()
                except OSError:
                    pass
            stack.EXCLUDED_GROUPS.discard(p.pid)


async def queue_one(port, user, link):
    c = await httpc.Conn(HOST, port).open()
    try:
        cookie = await httpc.signin(c, user)
        status, doc, raw = await httpc.post_import(c, cookie, link)
        if status != 202 or not doc:
            raise CannotRun(f"POST /api/v1/imports answered {status}: {raw[:300]!r}")
        return cookie, doc["id"], doc["events_url"]
    finally:
        c.close()


class Subscriber:
    """A subscriber of PREFIX:events on a socket with kernel receive timestamps (as the clients): when each event
    left Redis and reached a subscriber, the gateway's hub included, before any of the gateway's own work."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port))
        self.sock.setsockopt(socket.SOL_SOCKET, 35, 1)  # SO_TIMESTAMPNS
        ch = f"{PREFIX}:events"
        self.sock.sendall(f"*2\r\n$9\r\nSUBSCRIBE\r\n${len(ch)}\r\n{ch}\r\n".encode())
        self.reads = []  # (raw end offset, kernel s)
        self.raw = b""
        self.stop_flag = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        self.sock.settimeout(0.2)
        while not self.stop_flag:
            try:
                data, anc, _, _ = self.sock.recvmsg(64, socket.CMSG_SPACE(16))
            except socket.timeout:
                continue
            except OSError:
                return
            if not data:
                return
            ts = time.time()
            for level, kind, d in anc:
                if level == socket.SOL_SOCKET and kind == 35 and len(d) >= 16:
                    sec, nsec = struct.unpack("qq", d[:16])
                    ts = sec + nsec / 1e9
            self.raw += data
            self.reads.append((len(self.raw), ts))

    def arrivals(self, job):
        """{entry id: kernel time (s) its message reached this subscriber} for job's events."""
        self.stop_flag = True
        self.thread.join(2)
        self.sock.close()
        out = {}
        key = f"{job} ".encode()
        pos = 0
        while True:
            i = self.raw.find(key, pos)
            if i < 0:
                return out
            entry = self.raw[i + len(key):self.raw.find(b" ", i + len(key))].decode(errors="replace")
            # the message starts before its payload: its "*3" header is within the read holding offset i - 40
            start = self.raw.rfind(b"*3\r\n", 0, i)
            for end, ts in self.reads:
                if end > start:
                    out[entry] = ts
                    break
            pos = i + len(key)


def gateway_sample(gw):
    st = stack.proc_status(gw.pid)
    try:
        m = gw.metrics()
    except OSError:
        m = {}
    return {"rss": st.get("VmRSS"), "hwm": st.get("VmHWM"), "anon": st.get("RssAnon"), "file": st.get("RssFile"),
            "streams": m.get("labgate_event_streams"), "connections": m.get("labgate_http_connections"),
            "metrics_rss": m.get("process_resident_memory_bytes")}


def sys_cpu(b, worker):
    """CPU seconds so far of Redis, the git daemon, the worker (with its reaped children) and other processes."""
    out = {"redis-server": stack.proc_tree_cpu(b.redis.proc.pid), "git daemon": stack.proc_tree_cpu(b.daemon.svc.pid),
           "others": stack.others_seconds(), "worker": 0.0}
    if worker is not None:
        try:
            out["worker"] = stack.proc_tree_cpu(worker.pid)
        except OSError:
            pass
    return out


def one_round(b, k, mode):
    o = b.opts
    work = os.path.join(b.tmp, f"work-{k}")
    os.makedirs(work)
    env = stack.labgate_env(b.redis, work, b.daemon.url)
    extra = ["--max-connections", str(o.sse_clients + 100)] if o.sse_clients + 100 > 10000 else []
    gw = stack.Gateway(o.labgate, b.tmp, env, o.sse_gateway_threads, log_level=o.log_level, extra=extra)
    clients = worker = None
    r = {"mode": mode, "problems": []}
    try:
        r["rss_idle"] = gateway_sample(gw)
        cookie, jid, path = asyncio.run(queue_one(gw.port, f"sse-{k}", nbrepo.link(k)))
        r["job"] = jid
        log(f"sse round {k + 1} ({mode}): job {jid} queued; {o.sse_clients:,} clients connecting from "
            f"{o.sse_procs} processes ...")
        t0 = time.monotonic()
        clients = Clients(o.sse_procs, o.sse_clients, gw.port, path, cookie, mode, b.tmp, o.sse_timeout)
        lines = clients.wait_lines("connected", o.sse_timeout + 10)
        r["connect_s"] = time.monotonic() - t0
        connected = sum(int(x.split()[1]) for x in lines.values() if x.startswith("connected"))
        failed = sum(int(x.split()[2]) for x in lines.values() if x.startswith("connected"))
        r["connected"], r["connect_failed"] = connected, failed
        if connected < o.sse_clients:
            r["problems"].append(f"{connected:,} of {o.sse_clients:,} clients connected and got the history "
                                 f"({failed:,} failed)")
        time.sleep(1)
        r["rss_connected"] = gateway_sample(gw)
        time.sleep(2)
        r["rss_connected2"] = gateway_sample(gw)
        state = b.redis.call("HGET", f"{PREFIX}:job:{{{jid}}}", "state")
        if state != "queued":
            r["problems"].append(f"the job was {state!r} before the worker started")
        log(f"  connected in {r['connect_s']:.1f}s; gateway VmRSS {mb(r['rss_connected2']['rss'])}, "
            f"labgate_event_streams {r['rss_connected2']['streams']}; starting a worker ...")
        cpu0 = stack.proc_threads_cpu(gw.pid)
        sys0 = sys_cpu(b, None)
        sub = Subscriber(b.redis.port)
        time.sleep(0.1)
        t1 = time.monotonic()
        worker = stack.Worker(o.labgate, b.tmp, env, 1, index=k, log_level=o.log_level)
        if mode == "after":
            deadline = time.monotonic() + o.sse_timeout
            while b.redis.call("HGET", f"{PREFIX}:job:{{{jid}}}", "state") not in ("ready", "failed"):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            r["job_s"] = time.monotonic() - t1
            while time.monotonic() < deadline:  # every stream written out and ended
                s = gateway_sample(gw)
                if s["streams"] == 0:
                    break
                time.sleep(0.1)
            r["written_s"] = time.monotonic() - t1
            cpu1 = stack.proc_threads_cpu(gw.pid)
            sys1 = sys_cpu(b, worker)
            clients.go()
        dones = clients.wait_lines("done", o.sse_timeout + 10)
        r["events_s"] = time.monotonic() - t1
        if mode != "after":
            cpu1 = stack.proc_threads_cpu(gw.pid)
            sys1 = sys_cpu(b, worker)
        r["gw_cpu"] = {t: cpu1.get(t, 0) - cpu0.get(t, 0) for t in cpu1}
        r["sys_cpu"] = {k: v - sys0.get(k, 0) for k, v in sys1.items()}
        if len([d for d in dones.values() if d == "done"]) < len(clients.procs):
            r["problems"].append("some client processes did not finish in time")
        r["rss_after"] = gateway_sample(gw)
        hist = b.redis.call("XRANGE", f"{PREFIX}:job:{{{jid}}}:events", "-", "+")
        r["history"] = [history_event(e[1]).get("state") for e in hist]
        arrived = sub.arrivals(jid)
        r["stages"] = []  # (state, Redis wrote it: entry ms - at, reached a subscriber: kernel ms - at)
        for entry, fields in hist:
            doc = history_event(fields)
            if doc.get("state") == "queued" or doc.get("at") is None:
                continue
            ms = int(entry.split("-")[0])
            r["stages"].append((doc["state"], ms - doc["at"],
                                arrived[entry] * 1000 - doc["at"] if entry in arrived else None))
        r["clients"] = clients.results()
    finally:
        if clients:
            clients.stop()
        if worker:
            worker.stop()
        gw.stop()
    summarize(r, o)
    return r


def summarize(r, o):
    res = [c for c in r.get("clients", []) if "error" not in c]
    for c in r.get("clients", []):
        if "error" in c:
            r["problems"].append(c["error"])
    expect = [s for s in r.get("history", []) if s != "queued"]
    r["expect"] = expect
    delays, bounds = {}, {}
    for c in res:
        for state, xs in c["delays"].items():
            delays.setdefault(state, []).extend(xs)
        for state, n in c.get("upper_bounds", {}).items():
            bounds[state] = bounds.get(state, 0) + n
    r["delays"], r["bounds"] = delays, bounds
    r["all_delays"] = [x for xs in delays.values() for x in xs]
    r["lags"] = [x for c in res for x in c["lags"]]
    r["ended"] = sum(c["ended"] for c in res)
    r["kernel_ts"] = all(c["kernel_ts"] for c in res)
    r["client_cpu_events"] = sum(c["cpu_events"] for c in res)
    r["client_cpu_connect"] = sum(c["cpu_connect"] for c in res)
    errors = {}
    for c in res:
        for e, n in c["errors"].items():
            errors[e] = errors.get(e, 0) + n
    if errors:
        r["problems"].append("client errors: " + "; ".join(f"{n:,} x {e}" for e, n in errors.items()))
    # every client must get every event the job wrote after `queued`
    want = {s: expect.count(s) * o.sse_clients for s in set(expect)}
    got = {s: len(delays.get(s, [])) for s in set(expect) | set(delays)}
    r["want"], r["got"] = want, got
    short = {s: (got.get(s, 0), n) for s, n in want.items() if got.get(s, 0) != n}
    if short:
        r["problems"].append("events delivered (got/expected): " + ", ".join(f"{s} {g:,}/{n:,}" for s, (g, n) in
                                                                              short.items()))
    if r["ended"] != o.sse_clients:
        r["problems"].append(f"{r['ended']:,} of {o.sse_clients:,} streams ended after ready")


class SSEBench:
    def __init__(self, opts, tmp):
        self.opts, self.tmp = opts, tmp


def run(opts, tmp):
    t_start = time.monotonic()
    opts.sse_timeout = max(60.0, min(opts.timeout, 600.0))
    per_proc = -(-opts.sse_clients // opts.sse_procs)
    need = max(opts.sse_clients + 1024, per_proc + 1024)
    limit = raise_nofile(need)
    if limit < need:
        raise CannotRun(f"RLIMIT_NOFILE is {limit} and cannot be raised to {need} (the gateway holds one socket per "
                        f"client): raise the hard limit (ulimit -Hn) or use fewer --clients")
    b = SSEBench(opts, tmp)
    root = os.path.join(tmp, "git")
    gitdir = os.path.join(root, nbrepo.OWNER, f"{nbrepo.NAME}.git")
    log(f"sse: building the repository ({opts.sse_notebooks:,} notebooks) ...")
    nbrepo.build(gitdir, opts.sse_notebooks)
    v = {"opts": opts, "rounds": [], "nofile": limit}
    b.redis = stack.Redis(tmp)
    try:
        v["redis_version"] = b.redis.info("server").get("redis_version")
        b.daemon = stack.GitDaemon(root, tmp)
        for k, mode in enumerate(opts.sse_rounds):
            x = one_round(b, k, mode)
            v["rounds"].append(x)
            if x["problems"]:
                log(f"  INVALID: {'; '.join(x['problems'])}")
            else:
                log(f"  delivered: p50 {pct(x['all_delays'], 50):.1f} ms, p99 {pct(x['all_delays'], 99):.1f} ms, "
                    f"max {max(x['all_delays']):.1f} ms")
        b.daemon.stop()
    finally:
        b.redis.stop()
    v["elapsed"] = time.monotonic() - t_start
    return v


# --- the report -------------------------------------------------------------------------------------------------

def fmt(x):
    return "n/a" if x is None else f"{x:,.1f} ms" if x < 100 else f"{x:,.0f} ms"


def table(rows, header):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def report(v):
    o = v["opts"]
    bt = build_type(o.labgate)
    lines = [f"bench/queue part 3: {o.sse_clients:,} concurrent event streams of one job on one labgate gateway "
             f"--threads {o.sse_gateway_threads}; HTTP/1.1 keep-alive clients on epoll in {o.sse_procs} processes "
             f"(RLIMIT_NOFILE {v['nofile']:,}); the job queued with no worker running, then a worker (mirror cold) "
             f"carries it out; redis-server {v.get('redis_version')}; {os.cpu_count()} CPUs; labgate {o.labgate} "
             f"(build type {bt or 'unknown'}); log level {o.log_level}"]
    if bt is not None and bt.lower() not in ("release", "relwithdebinfo", "minsizerel"):
        lines.append(f"WARNING: labgate is a {bt or 'default'} build, not optimised: its figures mean little")
    for k, r in enumerate(v["rounds"]):
        lines.append("")
        c, c2 = r.get("rss_connected", {}), r.get("rss_connected2", {})
        how = {"live": "as events come (live)", "nice": "as events come, at nice 19 (nice)",
               "after": "once the job ended (after)"}[r["mode"]]
        lines.append(f"round {k + 1}, clients read {how}"
                     f": {r.get('connected', 0):,} connected and got the history in {r.get('connect_s', 0):.1f}s")
        lines.append(f"  gateway memory: idle VmRSS {mb(r.get('rss_idle', {}).get('rss'))}; all connected VmRSS "
                     f"{mb(c2.get('rss'))} (RssAnon {mb(c2.get('anon'))}, peak VmHWM {mb(c2.get('hwm'))}; "
                     f"process_resident_memory_bytes {mb(c2.get('metrics_rss'))}), "
                     f"{(c2.get('rss') or 0) / max(1, r.get('connected', 1)) / 1024:.1f} KiB per stream; "
                     f"labgate_event_streams {c2.get('streams'):,.0f}, labgate_http_connections "
                     f"{c2.get('connections') or 0:,.0f}; after the streams ended VmRSS {mb(r.get('rss_after', {}).get('rss'))}")
        rows = []
        for s in r.get("expect", []) + [s for s in r.get("delays", {}) if s not in r.get("expect", [])]:
            xs = r["delays"].get(s, [])
            if any(row[0] == s for row in rows):
                continue
            rows.append([s, f"{len(xs):,}/{r['want'].get(s, 0):,}", f"{r['bounds'].get(s, 0):,}", fmt(pct(xs, 50)),
                         fmt(pct(xs, 99)), fmt(max(xs, default=None)), fmt(min(xs, default=None))])
        xs = r.get("all_delays", [])
        rows.append(["all events", f"{len(xs):,}/{sum(r.get('want', {}).values()):,}",
                     f"{sum(r.get('bounds', {}).values()):,}", fmt(pct(xs, 50)),
                     fmt(pct(xs, 99)), fmt(max(xs, default=None)), fmt(min(xs, default=None))])
        lines.append("\n".join("  " + ln for ln in table(rows, ["event", "got/expected", "upper bounds", "p50", "p99",
                                                                 "max", "min"]).splitlines()))
        lags = r.get("lags", [])
        cpu = r.get("gw_cpu", {})
        sc = r.get("sys_cpu", {})
        top = sorted(cpu.items(), key=lambda kv: -kv[1])[:4]
        lines.append(f"  delay: the event's \"at\" (the worker's clock) to its arrival in the client's socket (kernel "
                     f"receive time{'' if r.get('kernel_ts') else ': NOT available, user-space read time used'}); "
                     f"upper bounds: events read together with a later one, whose time is the later one's (the kernel "
                     f"merges unread data); the job's events: {', '.join(r.get('history', []))}")
        lines.append("  before the gateway, from \"at\": " + ", ".join(
            f"{s} written by Redis +{w} ms, at a Redis subscriber +{'n/a' if a is None else f'{a:.1f}'} ms"
            for s, w, a in r.get("stages", [])))
        lines.append(f"  clients' own lag (read time minus arrival): p50 {fmt(pct(lags, 50))}, p99 {fmt(pct(lags, 99))}, "
                     f"max {fmt(max(lags, default=None))}; their CPU while events came {r.get('client_cpu_events', 0):.2f}s; "
                     f"gateway CPU from the worker's start to the last stream "
                     f"{'written' if r['mode'] == 'after' else 'read'}: {sum(cpu.values()):.2f}s "
                     f"(busiest threads: {', '.join(f'{t} {s:.2f}s' for t, s in top)})")
        if sc:
            span = r.get("written_s") if r["mode"] == "after" else r.get("events_s")
            busy = sum(cpu.values()) + (r.get("client_cpu_events", 0) if r["mode"] != "after" else 0) + sum(
                v for v in sc.values() if v)
            lines.append(f"  CPU from the worker's start over {span or 0:.2f}s: gateway {sum(cpu.values()):.2f}s, clients "
                         f"{r.get('client_cpu_events', 0) if r['mode'] != 'after' else 0:.2f}s, worker (with its fetch) "
                         f"{sc.get('worker') or 0:.2f}s, redis-server {sc.get('redis-server', 0):.2f}s, git daemon "
                         f"{sc.get('git daemon', 0):.2f}s, other processes {sc.get('others', 0):.2f}s: "
                         f"{100 * busy / max(1e-3, (span or 1) * os.cpu_count()):.0f}% of the {os.cpu_count()} CPUs")
        for p in r["problems"]:
            lines.append(f"  INVALID: {p}")
    lines.append("")
    good = [r for r in v["rounds"] if not r["problems"]]
    if not good:
        lines.append(f"gateway RSS with all connected (target < {GOAL_RSS / 1e6:.0f} MB): INVALID")
        lines.append(f"delivery p99 (target < {GOAL_P99:.0f} ms): INVALID")
    else:
        rss = max(r["rss_connected2"]["rss"] for r in good)
        lines.append(f"gateway RSS with all {o.sse_clients:,} connected (target < {GOAL_RSS / 1e6:.0f} MB): "
                     f"{mb(rss)} (the largest of the rounds)  {'met' if rss < GOAL_RSS else 'MISSED'}")
        for r in good:
            p = pct(r["all_delays"], 99)
            nb = sum(r["bounds"].values())
            lines.append(f"delivery p99, all events, clients reading {r['mode']} (target < {GOAL_P99:.0f} ms): "
                         f"{fmt(p)}  {'met' if p < GOAL_P99 else 'MISSED'}"
                         + (f"  ({nb:,} of {len(r['all_delays']):,} figures are upper bounds)" if nb else ""))
        every = all(sum(r["got"].values()) == sum(r["want"].values()) for r in good)
        lines.append(f"every client got every event: {'yes' if every else 'NO'}")
    if len(good) != len(v["rounds"]):
        lines.append("(some rounds INVALID: see above)")
    lines.append(f"(part 3 took {v['elapsed']:.0f} s)")
    return "\n".join(lines)
