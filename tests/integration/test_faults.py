"""test_faults.py - faults in the import flow, end to end: every import is asked for over HTTP through the
gateway (the confirm form and POST /import, or POST /api/v1/imports), with a real redis-server, a real
`git daemon` standing in for GitHub and real `labgate worker` processes.

KillWorkers - the git server sits behind SlowLink, a relay of 1 MiB/s per connection, so that fetches
take long enough for kills to land in them:
1. test_kill_9_a_worker_at_each_state: 100 imports - 50 repositories holding one commit (100 notebooks,
   one of ~200 KB, a folder lesson/ of 25 files in three folders with a ~3 MB one, and a 768 KiB
   incompressible blob, so each first fetch moves real data); two links of each repository for one
   user, 12 users; every tenth link is the folder - run on 3 workers (worker_concurrency 4, job_lease
   2s, mirror_max_age 0 so that every import goes to the git server, max_attempts 25 so that a job
   killed again and again is not dead-lettered by design). Every 0.3-1.2 s, up to 24 times while jobs
   remain, a worker is killed and a replacement started: half the time any worker at that moment,
   otherwise the kill waits up to 1 s for a job seen materializing or starting (short states that a
   random moment seldom hits) and kills its worker. The victim is frozen first (SIGSTOP), the states
   of the jobs it holds are read from Redis, then it gets SIGKILL; the states are counted, and kills
   must have hit at least two of resolving/fetching/materializing/starting. The choices come from a
   seeded random.Random: the seed is printed, and LABGATE_FAULT_SEED=N replays them (the processes'
   timing still varies). Then: every job is ready, with exactly one `ready` event and no `failed` one;
   every file has its bytes; each project holds exactly the files imported and a manifest recording
   each; there is no `*.upstream-*` copy and no `.labgate-tmp-*` file anywhere; the queue is empty; no
   fetch process outlived its worker. Ten links are then imported again (dedup_window is 1s): the
   repeat of the same commit reports every file unchanged and rewrites none (same inode and mtime).
2. test_a_dead_workers_jobs_are_all_taken_over_after_one_lease: a worker holding 12 imports (its
   fetches stall on a server that never answers) is killed; an idle worker with 12 threads must deliver
   all 12 again within job_lease (4s) + a quarter lease + 2 s of the kill, as docs/queue.md promises,
   not one per quarter lease.

RedisRestart.test_restart_redis_under_load: Stack(aof=True), 2 workers (concurrency 3, job_lease 3s,
imports ~0.5 s each behind a SlowLink that answers 0.4 s late); three clients keep asking for imports
(a 503 is retried with the same link after 0.2 s rather than Retry-After's 5 s, to keep the test short:
an enqueue that ran although its answer was lost then comes back as the existing job) while Redis is
stopped twice, each time while workers hold jobs, and started again on the same port with its
append-only file after 1.5 s:
   - first with SIGTERM, which writes and fsyncs the AOF before exiting: nothing acknowledged may be
     lost;
   - then with SIGKILL, after `CONFIG SET appendfsync always`. With the default `everysec`, Redis
     postpones its write() of the AOF while a background fsync runs (up to 2 s) yet still answers, so
     a SIGKILL can lose writes it acknowledged; that is Redis's durability setting, which labgate
     cannot repair, and would make the test flaky. With `always` every acknowledged write is on disk,
     so what is tested is labgate's side of an abrupt death (connections reset mid-command, no
     goodbye): again nothing acknowledged may be lost.
Every answer is 202/303 or 503 with Retry-After; every request made wholly inside an outage gets 503;
/readyz is 200 again within 20 s of each restart; at least 20 imports are accepted before, between and
after the restarts; every accepted job, and any other job Redis knows, ends ready exactly once with
its file, and nothing is left pending.

NoWorkers.test_jobs_wait_for_a_worker: with no worker, 8 imports over HTTP stay `queued` (nothing but
their `queued` event, also through GET /api/v1/jobs/ID) for 3 s, during which every /readyz (~100) is
503 "no worker is running"; a worker starts, they all end ready with their files, and /readyz is 200
every time for the next 3 s.

Run time on a 2-core machine: about 40 s (KillWorkers), 20 s and 10 s. Every wait is bounded; every
process started here is stopped by its own handle (workers by Stack, Redis by RedisServer, git by
GitServer, relays by SlowLink). LABGATE_FAULT_LOGS=DIR keeps each test's gateway and worker logs in
DIR/TEST; LABGATE_FAULT_KILLS=N changes the number of kills."""

import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sys
import threading
import time
import unittest
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from gitserver import GitServer, StallingServer
from harness import curl, main
from stack import PREFIX, Browser, Stack, import_path, notebook

SEED = int(os.environ.get("LABGATE_FAULT_SEED") or random.SystemRandom().randrange(1 << 31))
STREAMS = (PREFIX + ":{q}:hi", PREFIX + ":{q}:lo")
STAGES = ("resolving", "fetching", "materializing", "starting")


def say(*args):
    print(*args, file=sys.stderr, flush=True)


def blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# -- a small Redis client: polling 100 jobs through redis-cli would start 100 processes a round -------

class RedisError(Exception):
    pass


class Resp:
    """One RESP connection to 127.0.0.1:port, opened again after an error. call() and pipeline()
    raise OSError while Redis is away."""

    def __init__(self, port):
        self.port = port
        self.sock = None
        self.file = None

    def close(self):
        if self.sock is not None:
            self.file.close()
            self.sock.close()
        self.sock = self.file = None

    def call(self, *args):
        return self.pipeline([args])[0]

    def pipeline(self, commands):
        """The replies to commands (reads only: a connection that went stale, as Redis restarted, is
        opened again and they are sent again)."""
        for attempt in range(2):
            fresh = self.sock is None
            try:
                if fresh:
                    self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
                    self.file = self.sock.makefile("rb")
                self.sock.sendall(b"".join(self._encode(c) for c in commands))
                return [self._read() for _ in commands]
            except (OSError, ValueError):
                self.close()
                if fresh or attempt:
                    raise OSError("Redis on port %d is not answering" % self.port)

    @staticmethod
    def _encode(args):
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(parts)

    def _read(self):
        line = self.file.readline()
        if not line.endswith(b"\r\n"):
            raise OSError("connection closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RedisError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)
            if len(data) != n + 2:
                raise OSError("connection closed")
            return data[:-2].decode("utf-8", "replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise OSError("bad reply %r" % line)


class Queue:
    """What Redis holds about jobs, read through Resp."""

    def __init__(self, port):
        self.r = Resp(port)

    def close(self):
        self.r.close()

    def states(self, ids):
        ids = list(ids)
        replies = self.r.pipeline([("HGET", "%s:job:{%s}" % (PREFIX, i), "state") for i in ids])
        return dict(zip(ids, replies))

    def job(self, job_id):
        flat = self.r.call("HGETALL", "%s:job:{%s}" % (PREFIX, job_id))
        return dict(zip(flat[0::2], flat[1::2]))

    def history(self, job_id):
        entries = self.r.call("XRANGE", "%s:job:{%s}:events" % (PREFIX, job_id), "-", "+")
        out = []
        for _, fields in entries:
            d = dict(zip(fields[0::2], fields[1::2]))
            out.append(json.loads(d["event"]))
        return out

    def job_ids(self):
        ids, cursor = set(), "0"
        while True:
            cursor, keys = self.r.call("SCAN", cursor, "MATCH", PREFIX + ":job:{*}", "COUNT", 1000)
            for k in keys:
                m = re.search(r"\{([0-9a-f]{32})\}", k)
                if m:
                    ids.add(m.group(1))
            if cursor == "0":
                return sorted(ids)

    def held_by(self, pid):
        """{job id: state in its record} for every job a worker of this pid holds (pending for one of
        its consumers, named HOST-PID-INDEX)."""
        rx = re.compile(r"-%d-\d+$" % pid)
        held = {}
        for stream in STREAMS:
            rows = self.r.call("XPENDING", stream, "workers", "-", "+", 1000)
            if isinstance(rows, RedisError):  # no group yet
                continue
            for entry, consumer, _idle, _count in rows:
                if not rx.search(consumer):
                    continue
                found = self.r.call("XRANGE", stream, entry, entry)
                if found:
                    fields = dict(zip(found[0][1][0::2], found[0][1][1::2]))
                    held[fields["id"]] = None
        if held:
            held.update(self.states(held))
        return held

    def holders(self):
        """{job id: pid of the worker holding it}."""
        out = {}
        for stream in STREAMS:
            rows = self.r.call("XPENDING", stream, "workers", "-", "+", 1000)
            if isinstance(rows, RedisError):
                continue
            for entry, consumer, _idle, _count in rows:
                m = re.search(r"-(\d+)-\d+$", consumer)
                found = self.r.call("XRANGE", stream, entry, entry)
                if m and found:
                    out[dict(zip(found[0][1][0::2], found[0][1][1::2]))["id"]] = int(m.group(1))
        return out

    def pending(self):
        total = 0
        for stream in STREAMS:
            p = self.r.call("XPENDING", stream, "workers")
            total += 0 if isinstance(p, RedisError) else p[0]
        return total

    def wait_done(self, ids, timeout, states=("ready", "failed")):
        """Waits until every job is in one of states (riding out a Redis that is away); returns
        {id: state}."""
        deadline = time.monotonic() + timeout
        seen = {}
        while time.monotonic() < deadline:
            try:
                seen = self.states(ids)
            except OSError:
                time.sleep(0.2)
                continue
            if all(s in states for s in seen.values()):
                return seen
            time.sleep(0.1)
        raise AssertionError("jobs not done in %ds: %s" % (timeout, Counter(seen.values())))


# -- files in the projects ---------------------------------------------------------------------------

def walk(top):
    """Every file and link under top, as paths relative to it."""
    out = []
    for root, dirs, files in os.walk(top):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            out.append(os.path.relpath(os.path.join(root, name), top))
    return sorted(out)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def processes_mentioning(text):
    """pids of processes whose command line mentions text (our own temporary folder: a fetch child that
    outlived its worker would name its mirror there)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if text.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def fast_commit(repo, files, branch="main"):
    """A commit of exactly files ({path: bytes}) on branch of repo, in one `git fast-import` (a process
    per blob would cost seconds); returns its id."""
    stream = []
    for n, data in enumerate(files.values(), 1):
        stream.append(b"blob\nmark :%d\ndata %d\n%s\n" % (n, len(data), data))
    stream.append(b"commit refs/heads/%s\ncommitter Test Committer <committer@example.com> 1700000000 +0000\n"
                  b"data 6\nlesson\n" % branch.encode())
    for n, path in enumerate(files, 1):
        stream.append(b"M 100644 :%d %s\n" % (n, path.encode()))
    repo.git("fast-import", "--quiet", input=b"".join(stream))
    return repo.rev("refs/heads/" + branch)


def keep_logs(st, where):
    """Copies the workers' and the gateway's logs to where (LABGATE_FAULT_LOGS=DIR, to look into a run)."""
    os.makedirs(where, exist_ok=True)
    for name in os.listdir(st.tmp):
        if name.endswith(".log"):
            shutil.copy(os.path.join(st.tmp, name), where)
    with open(os.path.join(where, "gateway.log"), "w") as f:
        f.write("\n".join(st.gw.log()))


class FaultTest(unittest.TestCase):
    @contextlib.contextmanager
    def stack(self, git, **kwargs):
        """A Stack; with LABGATE_FAULT_LOGS=DIR its logs are kept in DIR/TEST at the end."""
        with Stack(git, **kwargs) as st:
            try:
                yield st
            finally:
                if os.environ.get("LABGATE_FAULT_LOGS"):
                    keep_logs(st, os.path.join(os.environ["LABGATE_FAULT_LOGS"], self._testMethodName))

    def submit(self, browser, owner, repo, kind, path, how):
        """One import over HTTP, through the confirm form (how="form") or the JSON API; returns the job id
        (the test fails on anything but 303 or 202)."""
        if kind == "tree":
            link = "/import/github/%s/%s/tree/main/%s" % (owner, repo, path)
        else:
            link = import_path(owner, repo, "main", path)
        if how == "form":
            return browser.import_link(link)
        r = browser.post_json("/api/v1/imports", {"url": "https://github.com/%s/%s/%s/main/%s"
                                                  % (owner, repo, kind, path), "mode": "notebook"})
        self.assertEqual(r.status, 202, r.text[:300])
        return json.loads(r.text)["id"]

    def check_history(self, q, job_id):
        events = q.history(job_id)
        states = [e["state"] for e in events]
        self.assertEqual(states.count("ready"), 1, (job_id, states))
        self.assertNotIn("failed", states, (job_id, states))
        self.assertEqual(states[0], "queued", (job_id, states))
        self.assertEqual(states[-1], "ready", (job_id, states))
        return states


# -----------------------------------------------------------------------------------------------------

OWNER = "course"
N_REPOS = 50
N_USERS = 12
BLOB_BYTES = 768 << 10  # in every repository: its first fetch moves real data
RATE = 1 << 20  # bytes/s each way of each connection to the git server


class SlowLink:
    """A TCP relay on 127.0.0.1 to a port there, RATE bytes/s each way per connection and the server's
    first answer delay seconds late (a git server far away): fetches take long enough for a kill or an
    outage to land in them. A context manager; its threads end with their connections, and all are
    closed at the end."""

    def __init__(self, port, rate=RATE, delay=0.0):
        self.target = port
        self.rate = rate
        self.delay = delay
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.socks = []
        self.lock = threading.Lock()
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self):
        return "git://127.0.0.1:%d" % self.port

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.thread.join(5)
        self.listener.close()
        with self.lock:
            for s in self.socks:
                s.close()

    def _accept(self):
        self.listener.settimeout(0.2)  # to see stopping
        while not self.stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            except OSError:
                client.close()
                continue
            pair = [client, server]
            with self.lock:
                self.socks += pair
            left = [2]
            for a, b, delay in ((client, server, 0), (server, client, self.delay)):
                threading.Thread(target=self._pump, args=(a, b, delay, pair, left), daemon=True).start()

    def _pump(self, src, dst, delay, pair, left):
        try:
            time.sleep(delay)
            src.settimeout(130)
            while True:
                data = src.recv(16384)
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    break
                dst.sendall(data)
                time.sleep(len(data) / self.rate)
        except OSError:
            for s in pair:  # one side died (a killed worker's fetch): end both
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        with self.lock:
            left[0] -= 1
            if left[0] == 0:  # both directions done: the connection is over
                for s in pair:
                    s.close()
                    self.socks.remove(s)


class KillWorkers(FaultTest):
    WORKERS = 3
    MAX_KILLS = int(os.environ.get("LABGATE_FAULT_KILLS", 24))

    @classmethod
    def setUpClass(cls):
        cls.git = GitServer(verbose=False).__enter__()
        rng = random.Random(1234)  # the content, the same every run
        files = {"nb%02d.ipynb" % k: notebook("notebook %d" % k) for k in range(2 * N_REPOS)}
        files["nb00.ipynb"] = notebook("big %s" % ("%x" % rng.getrandbits(4 * 200000)))
        for i in range(24):
            files["lesson/%s/page%02d.ipynb" % ("ab"[i % 2], i)] = notebook("lesson page %d" % i)
        files["lesson/data.json"] = json.dumps({"rows": list(range(400000))}).encode()
        files["data/blob.bin"] = rng.randbytes(BLOB_BYTES)
        template = cls.git.create(OWNER, "template")
        cls.commit = fast_commit(template, files)
        cls.files = files
        for r in range(N_REPOS):  # the same commit in 50 repositories: 50 mirrors to fetch
            shutil.copytree(template.path, os.path.join(cls.git.root, OWNER, "unit%02d.git" % r), symlinks=True)
        cls.slow = SlowLink(cls.git.port).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.slow.__exit__(None, None, None)
        cls.git.__exit__(None, None, None)

    def plan(self):
        """The 100 imports: (user, repo, kind, path, how), in submission order: the two links of each
        repository go to one user (one folder, one manifest, the second import waits on the first's
        mirror lock), users cycle, every tenth link is the folder lesson/ (25 files in three folders),
        every other one goes through the confirm form, the rest through the JSON API."""
        out = []
        for k in range(2 * N_REPOS):
            user = "u%02d" % ((k // 2) % N_USERS)
            kind, path = ("tree", "lesson") if k % 10 == 9 else ("blob", "nb%02d.ipynb" % k)
            out.append((user, "unit%02d" % (k // 2), kind, path, "form" if k % 2 else "api"))
        return out

    def expected_paths(self, repo, kind, path):
        if kind == "tree":
            return sorted(p for p in self.files if p.startswith(path + "/"))
        return [path]

    def test_kill_9_a_worker_at_each_state(self):
        say("\n[kill] seed=%d (LABGATE_FAULT_SEED=%d replays these choices)" % (SEED, SEED))
        rng = random.Random(SEED)
        env = {"LABGATE_JOB_LEASE": "2s", "LABGATE_WORKER_CONCURRENCY": "4", "LABGATE_MAX_ATTEMPTS": "25",
               "LABGATE_MIRROR_MAX_AGE": "0", "LABGATE_DEDUP_WINDOW": "1s"}
        with self.stack(self.slow, worker_env=env) as st:  # the git server behind the slow link
            self.kill_run(st, rng)

    def kill_run(self, st, rng):
        q = Queue(st.redis.port)
        self.addCleanup(q.close)
        for _ in range(self.WORKERS):
            st.start_worker()
        plan = self.plan()
        users = sorted({p[0] for p in plan})
        with ThreadPoolExecutor(4) as pool:
            browsers = dict(zip(users, pool.map(lambda u: Browser(st, u), users)))
            ids = []
            lock = threading.Lock()

            def one(item):
                user, repo, kind, path, how = item
                job_id = self.submit(browsers[user], OWNER, repo, kind, path, how)
                with lock:
                    ids.append((item, job_id))

            t0 = time.monotonic()
            futures = [pool.submit(one, item) for item in plan]
            kills, states_at_kill = self.kill_while_running(st, q, rng, futures, lambda: [i for _, i in ids])
            for f in futures:
                f.result()
        self.assertEqual(len(ids), 100)
        self.assertEqual(len({i for _, i in ids}), 100, "100 different imports are 100 jobs")
        final = q.wait_done([i for _, i in ids], timeout=90)
        killed_jobs = sum(len(k) for k in kills)
        say("[kill] all ready %.1f s after the first request; %d kills (%d of idle workers), %d held jobs "
            "killed; states at kill: %s" % (time.monotonic() - t0, len(kills), sum(1 for k in kills if not k),
                                            killed_jobs, dict(states_at_kill)))
        self.assertEqual(Counter(final.values()), Counter({"ready": 100}), final)

        attempts = Counter()
        for (user, repo, kind, path, _), job_id in ids:
            self.check_history(q, job_id)
            job = q.job(job_id)
            attempts[int(job["attempts"])] += 1
            result = json.loads(job["result"])
            self.assertEqual(result["commit"], self.commit)
            self.assertEqual(os.path.realpath(result["target_dir"]),
                             os.path.realpath(os.path.join(st.project(user), repo)))
            want = self.expected_paths(repo, kind, path)
            self.assertEqual(sorted(result["files"]["created"] + result["files"]["unchanged"]), want, result)
            for key in ("updated", "restored", "kept", "beside", "skipped"):
                self.assertEqual(result["files"][key], [], (key, result))
        say("[kill] attempts per job: %s" % dict(sorted(attempts.items())))
        self.assertGreaterEqual(sum(n * c for n, c in attempts.items()), 100 + min(killed_jobs, 1))

        self.check_projects(st, ids)
        self.assertEqual(q.pending(), 0)
        for key in STREAMS + (PREFIX + ":{q}:dead",):
            self.assertEqual(q.r.call("XLEN", key), 0, key)
        self.assertEqual(q.r.call("ZCARD", PREFIX + ":{q}:delayed"), 0)
        lost = sum(st.worker_log(i).count("event=job_lost") for i in range(len(st.workers)))
        say("[kill] job_lost lines in worker logs: %d" % lost)
        hit = {s for s in states_at_kill if s in STAGES}
        self.assertGreaterEqual(len(hit), 2, "kills hit only %s; seed %d" % (dict(states_at_kill), SEED))

        self.repeat_changes_nothing(st, q, ids, browsers)
        st.kill_workers()
        deadline = time.monotonic() + 5  # a fetch dies with its worker (parent-death signal), at once
        while processes_mentioning(st.tmp) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(processes_mentioning(st.tmp), [], "a fetch outlived its worker")

    def test_a_dead_workers_jobs_are_all_taken_over_after_one_lease(self):
        # Worker A holds 12 imports (its fetches go to a server that never answers) and is killed; worker
        # B is idle with 12 threads. docs/queue.md: a job not renewed for job_lease is reclaimed by a
        # worker that asks, one take per quarter lease looking for lapsed leases, "so a lapsed job waits
        # at most a quarter lease more". So every one of the 12 must be delivered again within lease + a
        # quarter lease (+ 1 s, the blocking read between two takes, + 1 s of slack) of the kill - all of
        # them, not only the first.
        lease_ms = 4000
        env = {"LABGATE_JOB_LEASE": "%dms" % lease_ms, "LABGATE_WORKER_CONCURRENCY": "12"}
        with self.stack(self.slow, worker_env=env) as st, StallingServer() as stall:
            q = Queue(st.redis.port)
            self.addCleanup(q.close)
            a = st.start_worker("--github-url", stall.url, "--fetch-timeout", "60s")
            browsers = [Browser(st, "t%02d" % i) for i in range(12)]
            ids = [self.submit(b, OWNER, "unit%02d" % i, "blob", "nb%02d.ipynb" % (2 * i), "api")
                   for i, b in enumerate(browsers)]
            deadline = time.monotonic() + 20
            while len(q.held_by(a.pid)) < 12:
                self.assertLess(time.monotonic(), deadline, "worker A never held the 12 jobs")
                time.sleep(0.05)
            a.send_signal(signal.SIGKILL)
            a.wait(10)
            killed_ms = time.time() * 1000
            st.start_worker()
            q.wait_done(ids, timeout=60)
            again = []
            for job_id in ids:
                self.check_history(q, job_id)
                again.append(min(e["at"] for e in q.history(job_id)
                                 if e["state"] == "resolving" and e["at"] > killed_ms) - killed_ms)
            again.sort()
            say("\n[takeover] 12 jobs of a killed worker delivered again %s ms after the kill (lease %d ms)"
                % ([int(x) for x in again], lease_ms))
            self.assertLessEqual(again[-1], lease_ms * 5 / 4 + 2000,
                                 "jobs of a dead worker taken over one per quarter lease: %s" % [int(x) for x in again])

    def kill_while_running(self, st, q, rng, futures, known_ids):
        """Every 0.3-1.2 s while jobs remain (up to MAX_KILLS), SIGKILLs a worker and starts a
        replacement. Half the time the victim is any worker, at that moment; otherwise the kill waits
        (up to 1 s) for a job to be seen materializing or starting, the short states a random moment
        seldom hits, and kills its worker. The victim is frozen (SIGSTOP) first, so that the states of
        the jobs it holds can be read from Redis as they are when it dies. Returns (kills: [{id:
        state}], Counter of states)."""
        kills, states = [], Counter()
        t0 = time.monotonic()
        deadline = t0 + 120
        next_kill = t0 + rng.uniform(0.3, 1.2)
        while time.monotonic() < deadline and len(kills) < self.MAX_KILLS:
            ids = known_ids()
            if any(f.done() and f.exception() for f in futures):
                break
            now = q.states(ids) if ids else {}
            if len(ids) == 100 and all(s == "ready" for s in now.values()):
                break
            if time.monotonic() < next_kill:
                time.sleep(0.02)
                continue
            live = [p for p in st.workers if p.poll() is None]
            victim, how = rng.choice(live), "random"
            if rng.random() < 0.5:
                found = self.holder_in(q, known_ids, ("materializing", "starting"), time.monotonic() + 1)
                victim, how = next(((p, "aimed") for p in live if p.pid == found), (victim, how))
            os.kill(victim.pid, signal.SIGSTOP)
            try:
                held = q.held_by(victim.pid)
            finally:
                victim.send_signal(signal.SIGKILL)
                victim.wait(10)
            kills.append(held)
            states.update(held.values())
            say("[kill] #%d %s, pid %d at +%.1fs (%d/%d ready) held %s"
                % (len(kills), how, victim.pid, time.monotonic() - t0, sum(1 for v in now.values() if v == "ready"),
                   len(ids), sorted(held.values())))
            st.start_worker()
            next_kill = time.monotonic() + rng.uniform(0.3, 1.2)
        say("[kill] kills over at +%.1fs" % (time.monotonic() - t0))
        return kills, states

    @staticmethod
    def holder_in(q, known_ids, wanted, until):
        """The pid of a worker seen holding a job in one of the states wanted, polling until then; None."""
        while time.monotonic() < until:
            ids = [i for i, s in q.states(known_ids()).items() if s in wanted]
            if ids:
                holders = q.holders()
                for i in ids:
                    if i in holders:
                        return holders[i]
            time.sleep(0.002)
        return None

    def check_projects(self, st, ids):
        want = {}  # user -> {repo: set of paths}
        for (user, repo, kind, path, _), _ in ids:
            want.setdefault(user, {}).setdefault(repo, set()).update(self.expected_paths(repo, kind, path))
        projects = os.path.join(st.tmp, "projects")
        self.assertEqual(sorted(os.listdir(projects)), sorted(want))
        for user, repos in want.items():
            top = st.project(user)
            everything = walk(top)
            temps = [p for p in everything if os.path.basename(p).startswith(".labgate-tmp-")]
            self.assertEqual(temps, [], "temporary files left in %s" % user)
            copies = [p for p in everything if ".upstream-" in os.path.basename(p)]
            self.assertEqual(copies, [], "files written twice in %s" % user)
            expected = sorted(["%s/%s" % (r, p) for r, paths in repos.items() for p in paths] +
                              [".labgate/imports/%s.json" % r for r in repos])
            self.assertEqual(everything, expected, user)
            for repo, paths in repos.items():
                for p in paths:
                    self.assertEqual(read(os.path.join(top, repo, p)), self.files[p], (user, repo, p))
                manifest = json.loads(read(os.path.join(top, ".labgate", "imports", repo + ".json")))
                self.assertEqual(manifest["files"], {p: blob_id(self.files[p]) for p in paths},
                                 (user, repo))
                self.assertEqual(manifest["commit"], self.commit)

    def repeat_changes_nothing(self, st, q, ids, browsers):
        """Ten links imported again (new jobs: dedup_window is 1 s): every file is unchanged and not
        rewritten (same inode and mtime)."""
        time.sleep(1.1)
        sample = [x for x in ids if x[0][2] == "tree"][:3] + [x for x in ids if x[0][2] == "blob"][:7]
        before = {}
        for (user, repo, kind, path, _), _ in sample:
            for p in self.expected_paths(repo, kind, path):
                s = os.stat(os.path.join(st.project(user), repo, p))
                before[(user, repo, p)] = (s.st_ino, s.st_mtime_ns)
        again = []
        for (user, repo, kind, path, how), old in sample:
            job_id = self.submit(browsers[user], OWNER, repo, kind, path, how)
            self.assertNotEqual(job_id, old)
            again.append(((user, repo, kind, path), job_id))
        q.wait_done([i for _, i in again], timeout=60)
        for (user, repo, kind, path), job_id in again:
            job = q.job(job_id)
            self.assertEqual(job["state"], "ready", job)
            files = json.loads(job["result"])["files"]
            self.assertEqual(files["unchanged"], self.expected_paths(repo, kind, path), files)
            self.assertEqual(files["created"] + files["updated"] + files["beside"] + files["kept"], [], files)
        for (user, repo, p), (ino, mtime) in before.items():
            s = os.stat(os.path.join(st.project(user), repo, p))
            self.assertEqual((s.st_ino, s.st_mtime_ns), (ino, mtime), "rewritten: %s %s %s" % (user, repo, p))
        self.check_projects(st, ids)


# -----------------------------------------------------------------------------------------------------

class RedisRestart(FaultTest):
    N_NOTEBOOKS = 600
    OUTAGE_S = 1.5
    PER_PHASE = 20  # imports accepted before the first outage, and after each

    @classmethod
    def setUpClass(cls):
        cls.git = GitServer(verbose=False).__enter__()
        cls.repo = cls.git.create(OWNER, "stream")
        cls.files = {"n%03d.ipynb" % i: notebook("stream notebook %d" % i) for i in range(cls.N_NOTEBOOKS)}
        cls.commit = fast_commit(cls.repo, cls.files)
        cls.slow = SlowLink(cls.git.port, delay=0.4).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.slow.__exit__(None, None, None)
        cls.git.__exit__(None, None, None)

    def test_restart_redis_under_load(self):
        env = {"LABGATE_JOB_LEASE": "3s", "LABGATE_WORKER_CONCURRENCY": "3", "LABGATE_MIRROR_MAX_AGE": "0"}
        with self.stack(self.slow, aof=True, worker_env=env) as st:
            q = Queue(st.redis.port)
            self.addCleanup(q.close)
            st.start_worker()
            st.start_worker()
            st.wait_ready_gateway()
            users = ["s%d" % i for i in range(8)]
            browsers = {u: Browser(st, u) for u in users}
            log = []  # (t0, t1, user, path, status, retry-after, job id or None, existing)
            log_lock = threading.Lock()
            counter = iter(range(self.N_NOTEBOOKS))
            stop = threading.Event()

            def client(n):
                while not stop.is_set():
                    with log_lock:
                        k = next(counter, None)
                    if k is None:
                        return
                    user, path = users[k % len(users)], "n%03d.ipynb" % k
                    while not stop.is_set():
                        t0 = time.monotonic()
                        status, retry, job_id, existing = self.ask(browsers[user], path, form=(k + n) % 2 == 0)
                        t1 = time.monotonic()
                        with log_lock:
                            log.append((t0, t1, user, path, status, retry, job_id, existing))
                        if status in (202, 303):
                            time.sleep(0.1)
                            break
                        time.sleep(0.2)

            threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(3)]
            for t in threads:
                t.start()
            try:
                outages = []
                self.wait_accepted(log, log_lock, after=0, count=self.PER_PHASE)
                for how in ("SIGTERM", "SIGKILL"):
                    outages.append(self.outage(st, q, how))
                    self.wait_accepted(log, log_lock, after=outages[-1][2], count=self.PER_PHASE)
            finally:
                stop.set()
                for t in threads:
                    t.join(30)
            self.assertFalse(any(t.is_alive() for t in threads))
            self.check_answers(st, q, log, outages)

    def ask(self, browser, path, form):
        """One import request; (status, Retry-After, job id, existing)."""
        if form:
            token, link = browser.csrf(import_path(OWNER, "stream", "main", path))
            r = browser.post("/import", {"csrf": token, "link": link, "mode": "notebook"})
            m = re.fullmatch(r"/jobs/([0-9a-f]{32})", r.header("location") or "")
            return r.status, r.header("retry-after"), m.group(1) if m and r.status == 303 else None, None
        r = browser.post_json("/api/v1/imports", {"url": "https://github.com/%s/stream/blob/main/%s"
                                                  % (OWNER, path)})
        doc = json.loads(r.text) if r.status == 202 else {}
        return r.status, r.header("retry-after"), doc.get("id"), doc.get("existing")

    def wait_accepted(self, log, lock, after, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with lock:
                n = sum(1 for e in log if e[0] > after and e[6])
            if n >= count:
                return
            time.sleep(0.05)
        raise AssertionError("fewer than %d imports accepted in %ds after %.1f" % (count, timeout, after))

    def outage(self, st, q, how):
        """Once workers hold jobs, stops Redis with SIGTERM (its AOF written and synced on the way out) or
        SIGKILL (after making every acknowledged write synced: see the module's docstring), waits
        OUTAGE_S, starts it again on the same port. Returns (how, down: when it was surely gone, up_start:
        when it was started again)."""
        deadline = time.monotonic() + 15
        while q.pending() < 2:
            self.assertLess(time.monotonic(), deadline, "workers never held two jobs at once")
            time.sleep(0.01)
        held = q.pending()
        proc = st.redis.proc
        if how == "SIGKILL":
            self.assertEqual(st.redis.cli("CONFIG", "SET", "appendfsync", "always").strip(), "OK")
            proc.kill()
        else:
            proc.terminate()
        proc.wait(15)
        down = time.monotonic()
        say("[redis] %s: Redis exited (%s) while workers held %d jobs" % (how, proc.returncode, held))
        time.sleep(self.OUTAGE_S)
        up_start = time.monotonic()
        st.redis.start()
        say("[redis] started again on port %d after %.1f s" % (st.redis.port, time.monotonic() - down))
        deadline = time.monotonic() + 20
        while curl(st.gw.url("/readyz")).status != 200:
            self.assertLess(time.monotonic(), deadline, "/readyz not 200 again in 20 s after Redis came back")
            time.sleep(0.1)
        say("[redis] /readyz 200 again %.1f s after the restart" % (time.monotonic() - up_start))
        return how, down, up_start

    def check_answers(self, st, q, log, outages):
        statuses = Counter(e[4] for e in log)
        say("[redis] answers: %s" % dict(statuses))
        self.assertEqual(set(statuses) - {202, 303, 503}, set(), "answers other than 202/303/503")
        for e in log:
            if e[4] == 503:
                self.assertTrue(e[5] and e[5].isdigit() and int(e[5]) > 0, "503 without Retry-After: %r" % (e,))
        accepted = [e for e in log if e[4] in (202, 303)]
        self.assertTrue(all(e[6] for e in accepted))
        edges = [0] + [o[2] for o in outages] + [float("inf")]
        per_phase = [sum(1 for e in accepted if edges[i] <= e[0] < edges[i + 1]) for i in range(len(edges) - 1)]
        say("[redis] accepted per phase (before, after SIGTERM restart, after SIGKILL restart): %s" % per_phase)
        for n in per_phase:
            self.assertGreater(n, 0)
        for how, down, up_start in outages:
            inside = [e for e in log if e[0] > down and e[1] < up_start]
            n503 = sum(1 for e in log if e[4] == 503 and e[1] > down - 1 and e[0] < up_start + 5)
            say("[redis] %s outage: %d requests wholly inside it, %d answered 503 around it"
                % (how, len(inside), n503))
            self.assertGreater(len(inside), 0)
            self.assertEqual({e[4] for e in inside}, {503}, "requests inside the %s outage" % how)
        # a link answered 503 and then accepted as the job already queued: the 503 had in fact queued it
        queued_anyway = sum(1 for e in accepted if e[7])
        say("[redis] accepted as an existing job after a 503 (its enqueue had run): %d" % queued_anyway)

        ids = sorted({e[6] for e in accepted})
        final = q.wait_done(ids, timeout=90)
        self.assertEqual(Counter(final.values()), Counter({"ready": len(ids)}), final)
        everything = q.job_ids()
        self.assertEqual(set(ids) - set(everything), set(), "accepted jobs Redis does not know")
        others = sorted(set(everything) - set(ids))
        say("[redis] %d jobs accepted, %d more in Redis from answers that did not get through"
            % (len(ids), len(others)))
        final = q.wait_done(others, timeout=60)
        self.assertEqual(Counter(final.values()), Counter({"ready": len(others)}), final)
        by_id = {}
        for e in accepted:
            by_id.setdefault(e[6], set()).add((e[2], e[3]))
        for job_id in everything:
            self.check_history(q, job_id)
            job = q.job(job_id)
            path = job["link"].rsplit("/", 1)[1]
            user = job["user"]
            if job_id in by_id:
                self.assertEqual(by_id[job_id], {(user, path)})
            self.assertEqual(read(os.path.join(st.project(user), "stream", path)), self.files[path])
        for user in os.listdir(os.path.join(st.tmp, "projects")):
            names = walk(st.project(user))
            self.assertEqual([n for n in names if ".labgate-tmp-" in n or ".upstream-" in n], [])
        self.assertEqual(q.pending(), 0)


# -----------------------------------------------------------------------------------------------------

class NoWorkers(FaultTest):
    @classmethod
    def setUpClass(cls):
        cls.git = GitServer(verbose=False).__enter__()
        cls.repo = cls.git.create(OWNER, "waiting")
        cls.files = {"w%d.ipynb" % i: notebook("waiting %d" % i) for i in range(8)}
        cls.commit = cls.repo.commit(cls.files)

    @classmethod
    def tearDownClass(cls):
        cls.git.__exit__(None, None, None)

    def test_jobs_wait_for_a_worker(self):
        with self.stack(self.git) as st:
            q = Queue(st.redis.port)
            self.addCleanup(q.close)
            # the gateway's first look at the queue (it polls every second) says there is no worker
            deadline = time.monotonic() + 10
            while curl(st.gw.url("/readyz")).text.strip() != "no worker is running: imports would wait":
                self.assertLess(time.monotonic(), deadline, "/readyz never said that no worker runs")
                time.sleep(0.05)
            browsers = [Browser(st, "ann"), Browser(st, "bob")]
            ids = {}
            for i, path in enumerate(sorted(self.files)):
                b = browsers[i % 2]
                ids[self.submit(b, OWNER, "waiting", "blob", path, "form" if i % 3 else "api")] = (b, path)
            self.assertEqual(len(ids), 8)
            # for 3 s: nothing moves, and every /readyz says why imports would wait
            answers = Counter()
            until = time.monotonic() + 3
            while time.monotonic() < until:
                r = curl(st.gw.url("/readyz"))
                answers[(r.status, r.text.strip())] += 1
                time.sleep(0.02)
            say("\n[wait] /readyz with no worker: %s" % dict(answers))
            self.assertEqual(list(answers), [(503, "no worker is running: imports would wait")], answers)
            self.assertEqual(set(q.states(ids).values()), {"queued"})
            for job_id in ids:
                self.assertEqual([e["state"] for e in q.history(job_id)], ["queued"])
            for job_id, (b, _) in ids.items():
                r = b.get("/api/v1/jobs/%s" % job_id)
                self.assertEqual((r.status, json.loads(r.text)["state"]), (200, "queued"))
            self.assertFalse(os.path.exists(os.path.join(st.tmp, "projects", "ann")))
            st.start_worker()
            final = q.wait_done(ids, timeout=60)
            self.assertEqual(set(final.values()), {"ready"})
            st.wait_ready_gateway()
            answers = Counter()  # and it stays ready: 3 s of /readyz, every one 200
            until = time.monotonic() + 3
            while time.monotonic() < until:
                r = curl(st.gw.url("/readyz"))
                answers[(r.status, r.text.strip())] += 1
                time.sleep(0.02)
            say("[wait] /readyz with a worker: %s" % dict(answers))
            self.assertEqual(list(answers), [(200, "ready")], answers)
            for job_id, (b, path) in ids.items():
                self.check_history(q, job_id)
                self.assertEqual(read(os.path.join(st.project(b.user), "waiting", path)), self.files[path])
                r = b.get("/api/v1/jobs/%s" % job_id)
                self.assertEqual(json.loads(r.text)["state"], "ready")


if __name__ == "__main__":
    main()
