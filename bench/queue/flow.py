"""flow.py - bench/queue part 2, the full flow with a warm mirror: notebook imports submitted over HTTP to
`labgate gateway` (POST /api/v1/imports, dev sign-in, keep-alive connections), queued in Redis, carried out by
`labgate worker` from a mirror that is already fetched (mirror_max_age 1h), the notebook written into the
user's project. Completion is read from the PREFIX:events channel (SUBSCRIBE): each job's events carry "at",
the wall clock (ms) of the process that wrote them.

Each configuration (worker processes x worker_concurrency) gets a fresh worker and its own users, on the same
Redis, git daemon, gateway and mirror; the mirror is warmed by one unmeasured import first."""

import asyncio
import json
import os
import random
import resource
import time

import httpc
import nbrepo
import stack
from common import CannotRun, build_type, mb
from stack import HOST, log

GOAL_RATE = 200.0  # imports/s, at least
PREFIX = "labgate"


def pct(xs, p):
    """The p-th percentile (nearest rank) of xs, or None."""
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


# --- the client: sign-in, submission, the events channel --------------------------------------------------------

def channel_event(payload):
    """The event's JSON (a dict) from a PREFIX:events message, "ID ENTRY JSON" or "ID ENTRY STATE JSON"; None
    when it is neither."""
    parts = payload.split(b" ", 3)
    for text in (b" ".join(parts[2:]), parts[3] if len(parts) > 3 else b""):
        if text.startswith(b"{"):
            try:
                doc = json.loads(text)
            except ValueError:
                return None
            return doc if isinstance(doc, dict) else None
    return None


def history_event(fields):
    """The event's JSON (a dict) from a history entry's fields ([k, v, ...]: "event", and maybe "state")."""
    f = dict(zip(fields[::2], fields[1::2]))
    try:
        return json.loads(f.get("event", ""))
    except ValueError:
        return {}


class Events:
    """SUBSCRIBE PREFIX:events on a connection of its own: every job's events as (state, at ms, doc), by job id."""

    def __init__(self, port):
        self.port = port
        self.by_job = {}
        self.final = {}  # id -> (state, at, doc)
        self.changed = asyncio.Event()
        self.task = None

    async def start(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        ch = f"{PREFIX}:events"
        self.writer.write(f"*2\r\n$9\r\nSUBSCRIBE\r\n${len(ch)}\r\n{ch}\r\n".encode())
        await self._message()  # the subscribe confirmation
        self.task = asyncio.ensure_future(self._loop())

    async def _bulk(self):
        line = await self.reader.readuntil(b"\r\n")
        if line[:1] == b":":
            return int(line[1:-2])
        n = int(line[1:-2])
        return (await self.reader.readexactly(n + 2))[:-2]

    async def _message(self):
        line = await self.reader.readuntil(b"\r\n")
        if line[:1] != b"*":
            raise CannotRun(f"unexpected answer on the events channel: {line[:80]!r}")
        return [await self._bulk() for _ in range(int(line[1:-2]))]

    async def _loop(self):
        while True:
            m = await self._message()
            if len(m) != 3 or m[0] != b"message":
                continue
            doc = channel_event(m[2])
            if doc is None:
                continue
            job = m[2].partition(b" ")[0]
            jid = job.decode()
            ev = (doc.get("state"), doc.get("at"), doc)
            self.by_job.setdefault(jid, []).append(ev)
            if ev[0] in ("ready", "failed"):
                self.final[jid] = ev
                self.changed.set()

    def stop(self):
        if self.task:
            self.task.cancel()
        self.writer.close()


async def sign_in_all(port, names, conns):
    """{name: cookie}, signed in over `conns` keep-alive connections."""
    cookies = {}
    queue = list(names)

    async def one():
        c = await httpc.Conn(HOST, port).open()
        try:
            while queue:
                name = queue.pop()
                cookies[name] = await httpc.signin(c, name)
        finally:
            c.close()

    await asyncio.gather(*(one() for _ in range(min(conns, len(names)))))
    return cookies


async def import_and_wait(port, redis_port, cookie, link, timeout=120):
    """One import through the API, waited for; returns its final (state, at, doc) and its events."""
    ev = Events(redis_port)
    await ev.start()
    c = await httpc.Conn(HOST, port).open()
    try:
        status, doc, raw = await httpc.post_import(c, cookie, link)
        if status != 202 or not doc:
            raise CannotRun(f"POST /api/v1/imports answered {status}: {raw[:300]!r}")
        jid = doc["id"]
        deadline = time.monotonic() + timeout
        while jid not in ev.final:
            if time.monotonic() > deadline:
                raise CannotRun(f"the import {jid} did not end within {timeout:.0f}s")
            ev.changed.clear()
            try:
                await asyncio.wait_for(ev.changed.wait(), 1)
            except asyncio.TimeoutError:
                pass
        return ev.final[jid], ev.by_job.get(jid, [])
    finally:
        c.close()
        ev.stop()


async def submit(port, redis_port, jobs, conns, rate, timeout):
    """POSTs every job (dict with user, cookie, link) over `conns` keep-alive connections, as fast as they go, or
    at `rate` per second (open loop: job i is due at start + i/rate); then waits until each has ended. Fills in
    each job's post (wall s), answered (wall s), status, id; returns (events, submission start, end)."""
    ev = Events(redis_port)
    await ev.start()
    next_i = 0
    t0 = time.time()
    t0_mono = time.monotonic()

    async def one():
        nonlocal next_i
        c = await httpc.Conn(HOST, port).open()
        try:
            while next_i < len(jobs):
                j = jobs[next_i]
                i = next_i
                next_i += 1
                if rate:
                    due = t0_mono + i / rate
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    j["late_ms"] = max(0.0, (time.monotonic() - due) * 1000)
                j["post"] = time.time()
                try:
                    status, doc, raw = await httpc.post_import(c, j["cookie"], j["link"])
                except (OSError, httpc.HTTPError, asyncio.IncompleteReadError) as e:
                    status, doc, raw = 0, None, str(e).encode()
                j["answered"] = time.time()
                j["status"] = status
                if status == 202 and doc:
                    j["id"] = doc["id"]
                    j["existing"] = doc.get("existing")
                else:
                    j["error"] = raw[:300].decode(errors="replace")
        finally:
            c.close()

    await asyncio.gather(*(one() for _ in range(min(conns, len(jobs)))))
    submitted = time.time()
    ids = [j["id"] for j in jobs if "id" in j]
    deadline = time.monotonic() + timeout
    while not all(i in ev.final for i in ids):
        if time.monotonic() > deadline:
            break
        ev.changed.clear()
        try:
            await asyncio.wait_for(ev.changed.wait(), 0.5)
        except asyncio.TimeoutError:
            pass
    ev.stop()
    return ev, t0, submitted


# --- one configuration ------------------------------------------------------------------------------------------

def cpu_snapshot(procs):
    out = {}
    for name, pid in procs.items():
        try:
            out[name] = stack.proc_tree_cpu(pid)
        except OSError:
            out[name] = None
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out["client (this script)"] = ru.ru_utime + ru.ru_stime
    out["others"] = stack.others_seconds()
    return out


def check_files(jobs, events, sample, projects):
    """Reads the notebook of `sample` ready jobs (spread over the run) where the ready event says it landed and
    compares it with upstream's bytes; returns (checked, problems)."""
    ready = [j for j in jobs if events.final.get(j.get("id"), (None,))[0] == "ready"]
    if not ready:
        return 0, []
    picks = ready if len(ready) <= sample else [ready[round(k * (len(ready) - 1) / (sample - 1))]
                                                 for k in range(sample)] if sample > 1 else ready[:1]
    problems = []
    for j in picks:
        res = events.final[j["id"]][2].get("result") or {}
        target = os.path.join(res.get("target_dir", ""), nbrepo.path_of(j["nb"]))
        expect_dir = os.path.join(projects, j["user"], nbrepo.NAME)
        if os.path.realpath(res.get("target_dir", "")) != os.path.realpath(expect_dir):
            problems.append(f"{j['user']}: target_dir {res.get('target_dir')!r}, expected {expect_dir}")
            continue
        try:
            with open(target, "rb") as f:
                if f.read() != nbrepo.notebook(j["nb"]):
                    problems.append(f"{target} differs from upstream")
        except OSError as e:
            problems.append(f"cannot read {target}: {e}")
    return len(picks), problems


def one_config(b, workers, conc, cfg_index):
    o = b.opts
    tag = f"w{workers}c{conc}"
    users = max(1, min(o.flow_users or o.flow_imports, o.flow_imports))
    names = [f"{tag}-u{k:05d}" for k in range(users)]
    log(f"flow {tag}: {workers} worker process(es) x worker_concurrency {conc}; signing in {users:,} users ...")
    cookies = asyncio.run(sign_in_all(b.gw.port, names, 8))
    rng = random.Random(1000 + cfg_index)
    nbs = list(range(b.notebooks))
    rng.shuffle(nbs)
    jobs = []
    for i in range(o.flow_imports):
        user = names[i % users]
        nb = nbs[i % len(nbs)]
        jobs.append({"i": i, "user": user, "cookie": cookies[user], "nb": nb, "link": nbrepo.link(nb)})
    ws = [stack.Worker(o.labgate, b.tmp, b.env, conc, index=k, log_level=o.log_level) for k in range(workers)]
    try:
        # the workers are up once they have connected to Redis and reported in (their heartbeat; the list of
        # live workers was emptied before they started)
        deadline = time.monotonic() + 15
        while b.redis.call("ZCARD", f"{PREFIX}:{{q}}:workers") < workers:
            if time.monotonic() > deadline or not all(w.svc.alive() for w in ws):
                raise CannotRun(f"the worker did not report in: {ws[0].svc.log_tail()}")
            time.sleep(0.05)
        procs = {"gateway": b.gw.pid, "redis-server": b.redis.proc.pid, "git daemon": b.daemon.svc.pid}
        for k, w in enumerate(ws):
            procs[f"worker {k}" if workers > 1 else "worker"] = w.pid
        b.redis.call("CONFIG", "RESETSTAT")
        packs0 = b.daemon.upload_packs()
        cpu0, t0 = cpu_snapshot(procs), time.monotonic()
        rss0 = {k: stack.proc_status(p).get("VmRSS") for k, p in procs.items()}
        log(f"flow {tag}: {o.flow_imports:,} imports over {o.flow_connections} connections"
            + (f" at {o.flow_rate:g}/s" if o.flow_rate else ", as fast as they are answered") + " ...")
        events, start, submitted = asyncio.run(submit(b.gw.port, b.redis.port, jobs, o.flow_connections,
                                                      o.flow_rate, o.timeout))
        wall = time.monotonic() - t0
        cpu1 = cpu_snapshot(procs)
        rss1 = {k: stack.proc_status(p).get("VmRSS") for k, p in procs.items()}
        cmdstats = b.redis.commandstats()
        packs = b.daemon.upload_packs() - packs0
        worker_rss = {k: stack.proc_status(p).get("VmHWM") for k, p in procs.items() if k.startswith("worker")}
    finally:
        for w in ws:
            w.stop()
    projects = os.path.join(b.work, "projects")
    checked, file_problems = check_files(jobs, events, o.flow_check, projects)
    return summarize(b, tag, workers, conc, jobs, events, start, submitted, wall, cpu0, cpu1, rss0, rss1,
                     worker_rss, cmdstats, packs, checked, file_problems)


def summarize(b, tag, workers, conc, jobs, events, start, submitted, wall, cpu0, cpu1, rss0, rss1, worker_rss,
              cmdstats, packs, checked, file_problems):
    n = len(jobs)
    problems = []
    not_accepted = [j for j in jobs if j.get("status") != 202]
    merged = [j for j in jobs if j.get("existing")]
    ids = [j["id"] for j in jobs if "id" in j]
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} POSTs got the id of another import")
    ended = [j for j in jobs if j.get("id") in events.final]
    failed = [j for j in ended if events.final[j["id"]][0] == "failed"]
    ready = [j for j in ended if events.final[j["id"]][0] == "ready"]
    missing = [j for j in jobs if "id" in j and j["id"] not in events.final]
    if not_accepted:
        problems.append(f"{len(not_accepted)} POSTs not answered 202 (first: {not_accepted[0].get('status')} "
                        f"{not_accepted[0].get('error', '')[:200]})")
    if merged:
        problems.append(f"{len(merged)} POSTs merged into an existing job (dedup)")
    if failed:
        why = events.final[failed[0]["id"]][2].get("error")
        problems.append(f"{len(failed)} imports failed (first: {why})")
    if missing:
        problems.append(f"{len(missing)} imports had not ended after {b.opts.timeout:.0f}s")
    problems += [f"file check: {p}" for p in file_problems[:5]]
    fetched = sum(1 for j in ready if (events.final[j["id"]][2].get("result") or {}).get("fetched"))
    fetching = sum(1 for j in ended if any(e[0] == "fetching" for e in events.by_job.get(j["id"], [])))
    notes = []
    if fetched or fetching or packs:
        notes.append(f"the warm mirror was fetched again: {fetched} ready results say \"fetched\", {fetching} jobs "
                     f"had a fetching event, {packs} upload-pack requests reached the git daemon")

    def ms_list(f):
        out = []
        for j in ready:
            try:
                v = f(j, {e[0]: e[1] for e in events.by_job[j["id"]]})
            except (KeyError, TypeError):
                continue
            if v is not None:
                out.append(v)
        return out

    total = ms_list(lambda j, s: s["ready"] - j["post"] * 1000)
    answer = [(j["answered"] - j["post"]) * 1000 for j in jobs if "answered" in j]
    waited = ms_list(lambda j, s: s["resolving"] - s["queued"])
    ran = ms_list(lambda j, s: s["ready"] - s["resolving"])
    last_ready = max((events.final[j["id"]][1] for j in ready), default=None)
    span = (last_ready / 1000 - start) if last_ready else None
    rate = len(ready) / span if span and span > 0 and not problems else None
    cpu = {k: (cpu1[k] - cpu0[k]) if cpu1.get(k) is not None and cpu0.get(k) is not None else None for k in cpu1}
    others = cpu.pop("others", None)
    # Redis: commands per import, the costliest
    calls = sum(c for c, _ in cmdstats.values())
    top = sorted(cmdstats.items(), key=lambda kv: -kv[1][1])[:8]
    return {
        "tag": tag, "workers": workers, "conc": conc, "n": n, "ready": len(ready), "failed": len(failed),
        "not_accepted": len(not_accepted), "missing": len(missing), "problems": problems, "notes": notes,
        "rate": rate, "span": span, "post_rate": n / (submitted - start) if submitted > start else None,
        "total": total, "answer": answer, "waited": waited, "ran": ran,
        "cpu": cpu, "wall": wall, "others_pct": 100 * (others or 0) / (wall * os.cpu_count()),
        "rss0": rss0, "rss1": rss1, "worker_hwm": worker_rss,
        "redis_calls_per_import": calls / n, "redis_top": [(k, c / n, us / n) for k, (c, us) in top],
        "checked": checked, "packs": packs,
        "late": pct([j.get("late_ms", 0) for j in jobs], 99) if b.opts.flow_rate else None,
    }


# --- the part --------------------------------------------------------------------------------------------------

class FlowBench:
    def __init__(self, opts, tmp):
        self.opts, self.tmp = opts, tmp


def parse_list(text):
    try:
        xs = [int(x) for x in str(text).split(",") if x.strip()]
    except ValueError:
        raise CannotRun(f"not a list of integers: {text!r}")
    if not xs or min(xs) < 1:
        raise CannotRun(f"not a list of positive integers: {text!r}")
    return xs


def run(opts, tmp):
    """Part 2: returns what report() prints."""
    t_start = time.monotonic()
    b = FlowBench(opts, tmp)
    b.work = os.path.join(tmp, "work")
    os.makedirs(b.work)
    b.notebooks = max(opts.flow_notebooks, 1)
    root = os.path.join(tmp, "git")
    gitdir = os.path.join(root, nbrepo.OWNER, f"{nbrepo.NAME}.git")
    log(f"flow: building the repository ({b.notebooks:,} notebooks) ...")
    commit, nbytes = nbrepo.build(gitdir, b.notebooks)
    v = {"opts": opts, "commit": commit, "repo_bytes": nbytes, "configs": [], "fs": stack.fs_type(b.work),
         "work": b.work}
    b.redis = stack.Redis(tmp)
    try:
        b.daemon = stack.GitDaemon(root, tmp)
        b.env = stack.labgate_env(b.redis, b.work, b.daemon.url, LABGATE_MIRROR_MAX_AGE=opts.flow_mirror_max_age)
        b.gw = stack.Gateway(opts.labgate, tmp, b.env, opts.flow_gateway_threads, log_level=opts.log_level)
        v["redis_version"] = b.redis.info("server").get("redis_version")
        # the warm-up: one import that fetches the mirror (unmeasured)
        log("flow: warming the mirror with one import ...")
        w = stack.Worker(opts.labgate, tmp, b.env, 1, index=99, log_level=opts.log_level)
        try:
            cookie = asyncio.run(sign_in_all(b.gw.port, ["warmup"], 1))["warmup"]
            t = time.monotonic()
            (state, _, doc), evs = asyncio.run(import_and_wait(b.gw.port, b.redis.port, cookie, nbrepo.link(0)))
            v["warmup_s"] = time.monotonic() - t
            if state != "ready":
                raise CannotRun(f"the warm-up import failed: {doc.get('error')}")
            v["warmup_states"] = [e[0] for e in evs]
        finally:
            w.stop()
        for workers in parse_list(opts.flow_workers):
            for conc in parse_list(opts.worker_concurrency):
                b.redis.call("DEL", f"{PREFIX}:{{q}}:workers")  # the workers of earlier configurations, stopped
                x = one_config(b, workers, conc, len(v["configs"]))
                v["configs"].append(x)
                if x["problems"]:
                    log(f"  INVALID: {'; '.join(x['problems'])}")
                else:
                    log(f"  {x['rate']:,.0f} imports/s, POST-to-ready p50 {pct(x['total'], 50):,.0f} ms, "
                        f"p99 {pct(x['total'], 99):,.0f} ms")
        v["gateway_rss"] = stack.proc_status(b.gw.pid).get("VmHWM")
        b.gw.stop()
        b.daemon.stop()
    finally:
        b.redis.stop()
    v["elapsed"] = time.monotonic() - t_start
    return v


# --- the report -------------------------------------------------------------------------------------------------

def fmt(x, unit=" ms"):
    if x is None:
        return "n/a"
    return f"{x:,.1f}{unit}" if x < 100 else f"{x:,.0f}{unit}"


def table(rows, header):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def report(v):
    o = v["opts"]
    bt = build_type(o.labgate)
    lines = [f"bench/queue part 2: full flow with a warm mirror; {o.flow_imports:,} notebook imports per configuration "
             f"(distinct users and notebooks: {min(o.flow_users or o.flow_imports, o.flow_imports):,} users, "
             f"{v['opts'].flow_notebooks:,} notebooks of {v['repo_bytes'] / v['opts'].flow_notebooks / 1000:.1f} KB on "
             f"average), POST /api/v1/imports over {o.flow_connections} keep-alive HTTP/1.1 connections"
             + (f" at {o.flow_rate:g}/s (open loop)" if o.flow_rate else ", each POST sent once the one before is "
                "answered (a burst)"),
             f"labgate gateway --threads {o.flow_gateway_threads} (dev sign-in), labgate worker, mirror_max_age "
             f"{o.flow_mirror_max_age}; redis-server {v.get('redis_version')}; git daemon; projects and cache in "
             f"{v['work']} ({v['fs']}); {os.cpu_count()} CPUs; labgate {o.labgate} (build type {bt or 'unknown'}); "
             f"log level {o.log_level}",
             f"warm-up: one import fetched the mirror in {v.get('warmup_s', 0) * 1000:,.0f} ms "
             f"(events: {', '.join(v.get('warmup_states', []))})"]
    if bt is not None and bt.lower() not in ("release", "relwithdebinfo", "minsizerel"):
        lines.append(f"WARNING: labgate is a {bt or 'default'} build, not optimised: its figures mean little")
    lines.append("")
    rows = []
    for x in v["configs"]:
        bad = bool(x["problems"])
        rows.append([f"{x['workers']} x {x['conc']}", "INVALID" if bad else f"{x['rate']:,.0f}",
                     f"{x['post_rate']:,.0f}" if x["post_rate"] else "n/a",
                     fmt(pct(x["total"], 50)), fmt(pct(x["total"], 99)), fmt(max(x["total"], default=None)),
                     fmt(pct(x["answer"], 50)), fmt(pct(x["answer"], 99)),
                     fmt(pct(x["waited"], 50)), fmt(pct(x["ran"], 50)), fmt(pct(x["ran"], 99)),
                     f"{x['ready']:,}/{x['n']:,}", f"{x['failed'] + x['not_accepted'] + x['missing']}"])
    lines.append(table(rows, ["workers x conc", "imports/s", "POSTs/s", "p50", "p99", "max", "202 p50", "202 p99",
                              "queued p50", "run p50", "run p99", "ready", "failures"]))
    lines.append("")
    lines.append("imports/s: ready imports per second from the first POST to the last ready event; POSTs/s: the "
                 "client's submission rate; p50, p99, max: POST-to-ready latency (the ready event's \"at\" minus the "
                 "POST's send time, same clock); 202: POST round trip; queued: queued-to-resolving (time in the "
                 "queue); run: resolving-to-ready (the worker's import, from the job's own events).")
    lines.append("")
    rows = []
    procs = [k for k in v["configs"][0]["cpu"]] if v["configs"] else []
    for x in v["configs"]:
        rows.append([f"{x['workers']} x {x['conc']}"] +
                    [("n/a" if x["cpu"].get(k) is None else
                      f"{1e6 * x['cpu'][k] / x['n']:,.0f} us ({100 * x['cpu'][k] / x['wall']:.0f}%)") for k in procs]
                    + [f"{x['others_pct']:.0f}%", f"{x['redis_calls_per_import']:.1f}"])
    lines.append(table(rows, ["workers x conc"] + [f"{k} CPU/import" for k in procs] + ["others", "Redis cmds/import"]))
    lines.append("")
    lines.append("CPU per import over the measured phase (submission to last ready), and in brackets the share of one "
                 "core the process used (100% = one core busy); a worker's includes its mirror-fetch children; "
                 "others: CPU share of processes outside the benchmark.")
    for x in v["configs"]:
        lines.append("")
        lines.append(f"{x['workers']} x {x['conc']}: Redis, costliest commands per import: " + ", ".join(
            f"{k} {c:.2f} calls {us:.0f} us" for k, c, us in x["redis_top"][:6]))
        lines.append(f"  memory: gateway VmRSS {mb(x['rss1'].get('gateway'))}, worker peak "
                     + ", ".join(f"{mb(r)}" for r in x["worker_hwm"].values())
                     + f"; files checked: {x['checked']} (bytes equal upstream's); upload-packs while measuring: "
                     f"{x['packs']}" + (f"; client p99 lateness {x['late']:.1f} ms" if x["late"] is not None else ""))
        for n in x["notes"]:
            lines.append(f"  note: {n}")
        for p in x["problems"]:
            lines.append(f"  INVALID: {p}")
    good = [x for x in v["configs"] if not x["problems"]]
    best = max(good, key=lambda x: x["rate"]) if good else None
    lines.append("")
    if best is None:
        lines.append(f"imports/s (target >= {GOAL_RATE:g}/s): INVALID")
    elif o.flow_rate:
        lines.append(f"imports/s: open loop at {o.flow_rate:g}/s, {best['rate']:,.1f}/s achieved with {best['workers']} "
                     f"worker process(es) x worker_concurrency {best['conc']}, queue wait p99 "
                     f"{fmt(pct(best['waited'], 99))}; not judged: with --rate the throughput is the offered load (the "
                     f"target, capacity >= {GOAL_RATE:g}/s, is judged on a run without --rate)")
    else:
        lines.append(f"imports/s (target >= {GOAL_RATE:g}/s): {best['rate']:,.0f}/s with {best['workers']} worker "
                     f"process(es) x worker_concurrency {best['conc']}  "
                     f"{'met' if best['rate'] >= GOAL_RATE else 'MISSED'}"
                     + ("" if len(good) == len(v["configs"]) else "  (some configurations INVALID)"))
    lines.append(f"(part 2 took {v['elapsed']:.0f} s)")
    return "\n".join(lines)
