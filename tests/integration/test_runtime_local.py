"""test_runtime_local.py - runtime = local end to end: a real `labgate worker` imports through a real
gateway, Redis and `git daemon`, then starts the user's real classic Notebook server
(/usr/bin/jupyter-notebook) on 127.0.0.1; and `labgate dev`, which runs all of it from one command.

- Start: the job ends ready with result.url = http://127.0.0.1:PORT/notebooks/REPO/PATH?token=T; that URL
  answers 200 and the notebook's JSON is served by /api/contents with the token; the server runs with
  --notebook-dir = PROJECTS/USER, its cwd there, HOME and Jupyter's runtime/config/data dirs under
  RUNTIME_DIR/USER, listens on 127.0.0.1 only, and left no dotfiles in the project; a folder link opens
  /tree/..., another file /edit/..., and repo mode with a notebook link opens the notebook.
- Reuse: a second import of the same user gets the same server (pid, port, token; server.json byte for
  byte); another user gets another server, and neither token opens the other's server.
- Replace: a server killed with SIGKILL is replaced by the next import (and the worker reaps it); one that
  is alive but not answering (SIGSTOP) is replaced too, and the stopped one is killed and reaped.
- IdleStop: runtime_idle_timeout = 10s: the server is not stopped early, an import that reuses a server
  idle past the timeout hands out a URL that keeps working, and with no more activity the server stops
  (process gone, server.json removed).
- WorkerStop: SIGTERM to the worker stops every server it started, and their kernels (exit 0, records
  removed); SIGKILL of the worker takes its server with it (parent-death signal), and a new worker
  replaces the stale record.
- SpawnFailure: a jupyter_program that exits at once with "boom: cannot start" fails the job for good
  with "Your files were imported into PATH, but ...boom..." (the files are in place); one that never
  answers fails at runtime_start_timeout and is killed; a jupyter_program that does not exist makes
  `labgate worker` refuse to start, naming jupyter-notebook and runtime = none.
- Dev: `labgate dev --listen 127.0.0.1:0` prints the URL it really serves; sign in, import over HTTP, the
  job's notebook URL answers 200; one SIGINT stops it (exit 0) along with its redis-server, its worker and
  the Jupyter server. A worker child killed with SIGKILL makes labgate dev log dev_child_exited and exit
  non-zero, stopping its redis-server.

Every process a test starts is stopped by its handle or pid; Jupyter servers are only ever signalled after
checking that their command line carries the token of a record this test read."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import types
import unittest
import urllib.parse

from gitserver import GitServer, _die_with_parent
from harness import LABGATE, curl, main
from stack import Browser, Stack, import_path, notebook, wait_until

OWNER, REPO = "octo", "lessons"
FILES = {
    "intro.ipynb": notebook("intro"),
    "week 1/loops.ipynb": notebook("loops"),
    "data/table.csv": b"a,b\n1,2\n",
}
TOKEN = r"[0-9a-f]{48}"
SERVERS = {}  # pid -> token of every Jupyter server a test saw, for the last-resort cleanup

GIT = None


def setUpModule():
    global GIT
    GIT = GitServer().__enter__()
    GIT.create(OWNER, REPO).push(FILES)


def tearDownModule():
    kill_leftover_servers()
    if GIT is not None:
        GIT.__exit__(None, None, None)


# --- helpers ------------------------------------------------------------------------------------------

def blob(path):
    return import_path(OWNER, REPO, "main", path)


def tree(path):
    return "/import/github/%s/%s/tree/main/%s" % (OWNER, REPO, urllib.parse.quote(path))


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def started_at(pid):
    """pid's start time (clock ticks since boot): with the pid, names one process even if pids are reused."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def proc_state(pid):
    """The one-letter state of pid from /proc (Z for a zombie), or None when there is no such process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def running(pid, token):
    """1 when pid is alive (not a zombie) and is the Jupyter server of that token."""
    if proc_state(pid) in (None, "Z", "X"):
        return False
    return any(("--NotebookApp.token=%s" % token).encode() == a for a in cmdline(pid))


def environ(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        return dict(e.decode().split("=", 1) for e in f.read().split(b"\0") if b"=" in e)


def children(pid):
    """The pids whose parent is pid."""
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def record(runtime_dir, user):
    """RUNTIME_DIR/USER/server.json as (dict, raw bytes), or (None, None) when there is none."""
    try:
        with open(os.path.join(runtime_dir, user, "server.json"), "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return None, None
    doc = json.loads(raw)
    SERVERS[doc["pid"]] = doc["token"]
    return doc, raw


def kill_leftover_servers():
    """Kills (SIGCONT first, in case a test stopped it) any server seen by a test that still runs."""
    for pid, token in list(SERVERS.items()):
        if running(pid, token):
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def jupyter(url, token=None, timeout=10):
    """curl against a Jupyter server; token goes in the Authorization header."""
    extra = ["-H", "Authorization: token " + token] if token else []
    return curl(url, *extra, timeout=timeout)


def parse_url(url, kind, path):
    """(port, token) of a runtime URL http://127.0.0.1:PORT/KIND/PATH?token=T; fails when it is not one."""
    m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/%s/%s\?token=(%s)" % (kind, re.escape(path), TOKEN), url or "")
    assert m, (url, kind, path)
    return int(m.group(1)), m.group(2)


def stop_worker(test, proc, log, sig=signal.SIGTERM, timeout=40):
    """Signals the worker and fails the test unless it exits 0 (no crash, no sanitizer report)."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        rc = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc = None
    test.assertEqual(rc, 0, "the worker exited with %r:\n%s" % (rc, log()[-4000:]))
    test.assertNotIn("Sanitizer", log())


class RuntimeCase(unittest.TestCase):
    """A stack with one runtime = local worker (RUNTIME_DIR in the stack's folder) for the class."""

    WORKER_ENV = {}
    START_WORKER = True

    @classmethod
    def setUpClass(cls):
        cls.stack = Stack(GIT).__enter__()
        cls.runtime_dir = os.path.join(cls.stack.tmp, "runtime")
        cls.killed = []  # workers a test killed on purpose
        cls.worker = cls.first_worker() if cls.START_WORKER else None

    @classmethod
    def first_worker(cls):
        return cls.start_worker(**cls.WORKER_ENV)

    @classmethod
    def start_worker(cls, **env):
        return cls.stack.start_worker(**dict(dict(LABGATE_RUNTIME="local", LABGATE_RUNTIME_DIR=cls.runtime_dir),
                                             **env))

    @classmethod
    def tearDownClass(cls):
        """Stops every worker with SIGTERM: each must exit 0 (no crash, no sanitizer report), as must the
        gateway (Stack)."""
        bad = []
        try:
            for i, proc in enumerate(cls.stack.workers):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(40)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
                if proc not in cls.killed and (proc.returncode != 0 or "Sanitizer" in cls.stack.worker_log(i)):
                    bad.append("worker %d exited with %r:\n%s" % (i, proc.returncode, cls.stack.worker_log(i)[-3000:]))
        finally:
            kill_leftover_servers()
            cls.stack.__exit__(None, None, None)
        if bad:
            raise AssertionError("\n".join(bad))

    def log(self, i=0):
        return self.stack.worker_log(i)

    def run_import(self, user, path, mode="notebook", folder=False, states=("ready",), timeout=60):
        """Imports the link as user through the gateway; returns the job's record once it has ended."""
        b = Browser(self.stack, user)
        job_id = b.import_link(tree(path) if folder else blob(path), mode)
        job = self.stack.wait_for([job_id], timeout=timeout)[job_id]
        self.assertIn(job.get("state"), states, (job, self.log()[-3000:]))
        return job

    def open_notebook(self, user, path="intro.ipynb"):
        """Imports a notebook as user; returns (port, token, url, record)."""
        job = self.run_import(user, path)
        result = json.loads(job["result"])
        port, token = parse_url(result.get("url"), "notebooks", "%s/%s" % (REPO, urllib.parse.quote(path)))
        rec, _ = record(self.runtime_dir, user)
        self.assertIsNotNone(rec, "no server.json for %s" % user)
        self.assertEqual((rec["port"], rec["token"]), (port, token))
        self.assertTrue(running(rec["pid"], token), rec)
        return port, token, result["url"], rec

    def assertServerGone(self, rec, timeout, why):
        wait_until(lambda: not running(rec["pid"], rec["token"]), timeout,
                   "%s: the server (pid %d) still runs" % (why, rec["pid"]))


# --- 1. start ----------------------------------------------------------------------------------------

class Start(RuntimeCase):

    def test_notebook_opens_in_its_server(self):
        port, token, url, rec = self.open_notebook("alice")
        r = curl(url)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertIn("intro.ipynb", r.text)
        r = jupyter("http://127.0.0.1:%d/api/contents/%s/intro.ipynb" % (port, REPO), token)
        self.assertEqual(r.status, 200, r.text[:300])
        doc = json.loads(r.text)
        self.assertEqual(doc["type"], "notebook")
        self.assertEqual(doc["content"]["cells"][0]["source"], "intro")
        # without the token the API is closed
        self.assertEqual(jupyter("http://127.0.0.1:%d/api/contents/%s/intro.ipynb" % (port, REPO)).status, 403)
        # loopback only: not even another loopback address reaches it
        self.assertEqual(curl("http://127.0.0.2:%d/api/status" % port, timeout=3).status, 0)

        # the process: root = the project, everything else under RUNTIME_DIR/alice
        project = self.stack.project("alice")
        argv = [a.decode() for a in cmdline(rec["pid"])]
        self.assertIn("--notebook-dir=" + project, argv)
        self.assertIn("--ip=127.0.0.1", argv)
        self.assertIn("--port=%d" % port, argv)
        self.assertEqual(os.path.realpath("/proc/%d/cwd" % rec["pid"]), os.path.realpath(project))
        env = environ(rec["pid"])
        home = os.path.join(self.runtime_dir, "alice")
        for name, sub in (("HOME", "home"), ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"),
                          ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "home")):
            self.assertEqual(env.get(name), os.path.join(home, sub), name)
        self.assertFalse(any(k.startswith("LABGATE_") for k in env), sorted(env))  # no secrets handed over

        # nothing of Jupyter's inside the project (the importer's own .labgate is expected)
        dotfiles = []
        for root, dirs, files in os.walk(project):
            for name in dirs + files:
                if name.startswith(".") and name not in (".labgate", ".ipynb_checkpoints"):
                    dotfiles.append(os.path.relpath(os.path.join(root, name), project))
        self.assertEqual(dotfiles, [])
        # its runtime files did land outside it
        self.assertTrue(os.listdir(os.path.join(home, "runtime")), "no runtime files in %s" % home)

    def test_folder_file_and_repo_mode(self):
        user = "bob"
        folder = json.loads(self.run_import(user, "week 1", folder=True)["result"])
        port, token = parse_url(folder.get("url"), "tree", REPO + "/week%201")
        r = curl(folder["url"])
        self.assertEqual(r.status, 200, r.text[:300])

        other = json.loads(self.run_import(user, "data/table.csv")["result"])
        self.assertEqual(parse_url(other.get("url"), "edit", REPO + "/data/table.csv"), (port, token))
        self.assertEqual(curl(other["url"]).status, 200)
        r = jupyter("http://127.0.0.1:%d/api/contents/%s/data/table.csv" % (port, REPO), token)
        self.assertEqual(json.loads(r.text)["content"], "a,b\n1,2\n")

        repo = json.loads(self.run_import(user, "intro.ipynb", mode="repo")["result"])
        self.assertEqual(repo["mode"], "repo")
        self.assertEqual(parse_url(repo.get("url"), "notebooks", repo["open_path"]), (port, token))
        self.assertTrue(repo["open_path"].endswith("/intro.ipynb"), repo["open_path"])
        self.assertEqual(curl(repo["url"]).status, 200)
        self.assertEqual(self.log().count("event=runtime_started user=bob "), 1)

    # --- 2. reuse ------------------------------------------------------------------------------------

    def test_same_user_reuses_the_server(self):
        port, token, _, rec = self.open_notebook("carol")
        _, raw = record(self.runtime_dir, "carol")
        time.sleep(1.1)  # a rewritten record would carry another "started" second
        port2, token2, url2, rec2 = self.open_notebook("carol", "week 1/loops.ipynb")
        self.assertEqual((port2, token2, rec2["pid"]), (port, token, rec["pid"]))
        self.assertEqual(record(self.runtime_dir, "carol")[1], raw)
        self.assertEqual(curl(url2).status, 200)
        self.assertEqual(self.log().count("event=runtime_started user=carol "), 1)

    def test_other_user_gets_another_server(self):
        port_d, token_d, url_d, rec_d = self.open_notebook("dave")
        port_e, token_e, url_e, rec_e = self.open_notebook("erin")
        self.assertNotEqual(port_d, port_e)
        self.assertNotEqual(token_d, token_e)
        self.assertNotEqual(rec_d["pid"], rec_e["pid"])
        self.assertEqual(curl(url_d).status, 200)
        self.assertEqual(curl(url_e).status, 200)
        self.assertIn("--notebook-dir=" + self.stack.project("erin"), [a.decode() for a in cmdline(rec_e["pid"])])
        # dave's token does not open erin's server, nor the other way round
        for port, wrong in ((port_e, token_d), (port_d, token_e)):
            r = curl("http://127.0.0.1:%d/notebooks/%s/intro.ipynb?token=%s" % (port, REPO, wrong))
            self.assertTrue(r.status == 403 or (r.status == 302 and "/login" in (r.header("location") or "")),
                            (r.status, r.headers))
            r = jupyter("http://127.0.0.1:%d/api/contents/%s/intro.ipynb" % (port, REPO), wrong)
            self.assertEqual(r.status, 403, r.text[:200])


# --- 3. replace --------------------------------------------------------------------------------------

class Replace(RuntimeCase):

    def test_killed_server_is_replaced(self):
        port, token, url, rec = self.open_notebook("frank")
        os.kill(rec["pid"], signal.SIGKILL)
        self.assertServerGone(rec, 5, "SIGKILL")
        self.assertEqual(curl(url, timeout=3).status, 0)
        port2, token2, url2, rec2 = self.open_notebook("frank")
        self.assertNotEqual(rec2["pid"], rec["pid"])
        self.assertNotEqual(token2, token)
        self.assertEqual(curl(url2).status, 200, url2)
        # the worker reaps the one that died (it is its child): no zombie left behind
        wait_until(lambda: proc_state(rec["pid"]) is None, 12, "the killed server reaped")
        wait_until(lambda: "event=runtime_exited user=frank pid=%d" % rec["pid"] in self.log(), 5, "runtime_exited")

    def test_stopped_server_is_replaced(self):
        port, token, url, rec = self.open_notebook("gina")
        os.kill(rec["pid"], signal.SIGSTOP)
        try:
            started = time.monotonic()
            port2, token2, url2, rec2 = self.open_notebook("gina")
            took = time.monotonic() - started
            self.assertNotEqual(rec2["pid"], rec["pid"])
            self.assertEqual(curl(url2).status, 200)
            # the stopped one was killed and reaped, not left stopped beside the new one
            self.assertIsNone(proc_state(rec["pid"]), "the stopped server is still there")
            self.assertIn("event=runtime_replaced user=gina pid=%d" % rec["pid"], self.log())
            self.assertLess(took, 30)
        finally:
            if running(rec["pid"], token):
                os.kill(rec["pid"], signal.SIGCONT)


# --- 4. idle stop ------------------------------------------------------------------------------------

class IdleStop(RuntimeCase):
    WORKER_ENV = {"LABGATE_RUNTIME_IDLE_TIMEOUT": "10s"}

    def test_idle_server_stops(self):
        port, token, url, rec = self.open_notebook("hank")
        r = jupyter("http://127.0.0.1:%d/api/contents/%s/intro.ipynb" % (port, REPO), token)  # activity
        self.assertEqual(r.status, 200)
        active = time.monotonic()

        # not stopped early: still there 7 s after the last activity
        time.sleep(max(0, active + 7 - time.monotonic()))
        self.assertTrue(running(rec["pid"], token), "stopped before runtime_idle_timeout")
        self.assertNotIn("event=runtime_idle", self.log())

        # an import when the server is idle past the timeout (but not yet stopped) hands out a URL that
        # must keep working: handing out the URL counts as activity
        time.sleep(max(0, active + 10.3 - time.monotonic()))
        port2, token2, url2, rec2 = self.open_notebook("hank")
        handed_out = time.monotonic()
        reused = rec2["pid"] == rec["pid"]
        if not reused:  # only because the idle stop had ended it already (a tick just before the import)
            self.assertIn("event=runtime_stopped user=hank pid=%d" % rec["pid"], self.log())
        time.sleep(6)  # at least one tick (every 5 s) later
        self.assertEqual(curl(url2, timeout=5).status, 200,
                         "the URL the job handed out %.1fs ago no longer answers (reused: %s)\n%s"
                         % (time.monotonic() - handed_out, reused, self.log()[-2000:]))

        # no more activity: stopped within idle timeout + a tick + the stop itself
        wait_until(lambda: not running(rec2["pid"], token2), handed_out + 10 + 5 + 13 - time.monotonic(),
                   "the idle server stopped")
        stopped = time.monotonic() - handed_out
        self.assertGreaterEqual(stopped, 9, "stopped before runtime_idle_timeout")
        wait_until(lambda: record(self.runtime_dir, "hank")[0] is None, 5, "server.json removed")
        self.assertIn("event=runtime_idle user=hank", self.log())
        self.assertEqual(curl(url2, timeout=3).status, 0)


# --- 5. stop with the worker -------------------------------------------------------------------------

class WorkerStop(RuntimeCase):
    START_WORKER = False  # each test starts its own

    def test_sigterm_stops_every_server_and_kernel(self):
        worker = self.start_worker()
        index = len(self.stack.workers) - 1
        recs = [self.open_notebook(user)[3] for user in ("ivan", "judy")]
        # a kernel in ivan's server: it must stop with the server
        r = curl("http://127.0.0.1:%d/api/kernels" % recs[0]["port"], "-X", "POST", "-H",
                 "Authorization: token " + recs[0]["token"], "-d", "{}")
        self.assertEqual(r.status, 201, r.text[:300])
        kernels = wait_until(lambda: children(recs[0]["pid"]), 20, "a kernel process")
        self.assertTrue(any(b"ipykernel_launcher" in a for k in kernels for a in cmdline(k)),
                        [cmdline(k) for k in kernels])
        stop_worker(self, worker, lambda: self.log(index))
        for rec in recs:  # stopped before the worker exited
            self.assertFalse(running(rec["pid"], rec["token"]), rec)
        for user in ("ivan", "judy"):
            self.assertIsNone(record(self.runtime_dir, user)[0], user)
        wait_until(lambda: all(proc_state(k) in (None, "Z") for k in kernels), 10, "the kernel stopped")

    def test_sigkill_takes_the_servers_along(self):
        worker = self.start_worker()
        self.killed.append(worker)
        rec = self.open_notebook("kim")[3]
        worker.kill()
        worker.wait(10)
        self.assertServerGone(rec, 10, "the worker was killed")
        # the record stays behind, stale: a new worker starts a new server in its place
        self.assertEqual(record(self.runtime_dir, "kim")[0], rec)
        worker = self.start_worker()
        index = len(self.stack.workers) - 1
        port2, token2, url2, rec2 = self.open_notebook("kim")
        self.assertNotEqual(rec2["pid"], rec["pid"])
        self.assertEqual(curl(url2).status, 200)
        stop_worker(self, worker, lambda: self.log(index))
        self.assertFalse(running(rec2["pid"], token2))


# --- 6. a server that cannot start -------------------------------------------------------------------

def script(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + text)
    os.chmod(path, 0o755)
    return path


class SpawnFailure(RuntimeCase):

    @classmethod
    def first_worker(cls):
        boom = script(cls.stack.tmp, "boom", 'echo "boom: cannot start" >&2\nexit 1\n')
        return cls.start_worker(LABGATE_JUPYTER_PROGRAM=boom)

    def test_program_that_fails_fails_the_job(self):
        job = self.run_import("lena", "intro.ipynb", states=("failed",))
        error = job.get("error", "")
        self.assertIn("Your files were imported into %s/intro.ipynb, but " % REPO, error)
        self.assertIn("boom: cannot start", error)
        self.assertEqual(job.get("attempts"), "1", job)  # for good: not retried
        with open(os.path.join(self.stack.project("lena"), REPO, "intro.ipynb"), "rb") as f:
            self.assertEqual(f.read(), FILES["intro.ipynb"])
        self.assertIsNone(record(self.runtime_dir, "lena")[0])

    def test_program_that_never_answers_times_out(self):
        pidfile = os.path.join(self.stack.tmp, "slow.pid")
        slow = script(self.stack.tmp, "slow", 'echo $$ > %s\nexec sleep 600\n' % pidfile)
        worker = self.start_worker(LABGATE_JUPYTER_PROGRAM=slow, LABGATE_RUNTIME_START_TIMEOUT="2s")
        index = len(self.stack.workers) - 1
        self.worker.send_signal(signal.SIGTERM)
        self.assertEqual(self.worker.wait(40), 0)
        try:
            job = self.run_import("mona", "intro.ipynb", states=("failed",))
            self.assertIn("Your files were imported into %s/intro.ipynb, but " % REPO, job.get("error", ""))
            self.assertIn("did not start within 2 s", job.get("error", ""))
            with open(pidfile) as f:
                pid = int(f.read())
            self.assertIsNone(proc_state(pid), "the server that never answered is still there")
            stop_worker(self, worker, lambda: self.log(index))
        finally:
            if os.path.exists(pidfile):
                with open(pidfile) as f:
                    pid = int(f.read())
                if b"sleep" in b" ".join(cmdline(pid)):
                    os.kill(pid, signal.SIGKILL)

    def test_missing_program_refuses_to_start(self):
        missing = os.path.join(self.stack.tmp, "no-such-jupyter-notebook")
        done = subprocess.run([LABGATE, "worker"], capture_output=True, text=True, timeout=30,
                              env=dict(self.stack.env, LABGATE_RUNTIME="local", LABGATE_JUPYTER_PROGRAM=missing,
                                       LABGATE_RUNTIME_DIR=self.runtime_dir))
        self.assertNotEqual(done.returncode, 0, done.stderr)
        self.assertIn("event=runtime_unusable", done.stderr)
        self.assertIn("jupyter-notebook", done.stderr)
        self.assertIn(missing, done.stderr)
        self.assertIn("runtime = none", done.stderr)
        self.assertNotIn("event=started", done.stderr)


# --- 7. labgate dev ----------------------------------------------------------------------------------

class Dev(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="labgate-dev-")
        self.dirs = {name: os.path.join(self.tmp, name) for name in ("projects", "cache", "runtime")}
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LABGATE_")}
        self.env.update(LABGATE_GITHUB_URL=GIT.url, LABGATE_PROJECTS_DIR=self.dirs["projects"],
                        LABGATE_CACHE_DIR=self.dirs["cache"], LABGATE_RUNTIME_DIR=self.dirs["runtime"])
        self.proc = None
        self.kids = []

    def tearDown(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid, since in self.kids:  # children it should have stopped: only if still the same processes
            if proc_state(pid) not in (None, "Z") and started_at(pid) == since:
                os.kill(pid, signal.SIGKILL)
        kill_leftover_servers()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def output(self):
        with open(os.path.join(self.tmp, "dev.log"), encoding="utf-8", errors="replace") as f:
            return f.read()

    def start(self, listen="127.0.0.1:0"):
        """Starts labgate dev; returns the base URL it prints, once it answers, and its children."""
        with open(os.path.join(self.tmp, "dev.log"), "wb") as log:
            self.proc = subprocess.Popen([LABGATE, "dev", "--listen", listen], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, env=self.env, cwd=self.tmp,
                                         preexec_fn=_die_with_parent)
        m = wait_until(lambda: self.proc.poll() is None and re.search(
            r"labgate is running: open (http://127\.0\.0\.1:(\d+)/) ", self.output()), 20, "the URL printed")
        base = m.group(1)
        self.assertNotEqual(m.group(2), "0", self.output())
        wait_until(lambda: curl(base + "readyz", timeout=3).status == 200, 20, "labgate dev ready")
        kids = children(self.proc.pid)
        self.kids = [(pid, started_at(pid)) for pid in kids]
        worker = [p for p in kids if cmdline(p)[1:3] == [b"worker", b"--config"]]
        redis = [p for p in kids if comm(p) == "redis-server"]
        self.assertEqual((len(worker), len(redis)), (1, 1), [cmdline(p) for p in kids])
        return base, worker[0], redis[0]

    def browser(self, base, user):
        shim = types.SimpleNamespace(gw=types.SimpleNamespace(url=lambda path: base.rstrip("/") + path))
        return Browser(shim, user)

    def test_dev_runs_everything_and_ctrl_c_stops_it(self):
        base, worker, redis = self.start()
        self.assertIn(self.dirs["projects"], self.output())
        b = self.browser(base, "nina")
        job_id = b.import_link(blob("intro.ipynb"))

        def ended():
            r = b.get("/api/v1/jobs/" + job_id)
            doc = json.loads(r.text) if r.status == 200 else {}
            return doc if doc.get("state") in ("ready", "failed") else None
        job = wait_until(ended, 60, "the job ended")
        self.assertEqual(job["state"], "ready", job)
        port, token = parse_url(job["result"].get("url"), "notebooks", REPO + "/intro.ipynb")
        self.assertEqual(curl(job["result"]["url"]).status, 200)
        rec, _ = record(self.dirs["runtime"], "nina")
        self.assertEqual((rec["port"], rec["token"]), (port, token))
        self.assertIn(rec["pid"], children(worker))
        with open(os.path.join(self.dirs["projects"], "nina", REPO, "intro.ipynb"), "rb") as f:
            self.assertEqual(f.read(), FILES["intro.ipynb"])

        started = time.monotonic()
        self.proc.send_signal(signal.SIGINT)  # once, as Ctrl-C does
        try:
            rc = self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.fail("labgate dev still runs 15 s after SIGINT:\n" + self.output()[-3000:])
        self.assertEqual(rc, 0, self.output()[-3000:])
        self.assertLess(time.monotonic() - started, 15)
        for pid, what in ((worker, "worker"), (redis, "redis-server")):
            self.assertIsNone(proc_state(pid), "the %s outlived labgate dev" % what)
        self.assertFalse(running(rec["pid"], token), "the Jupyter server outlived labgate dev")
        self.assertNotIn("Sanitizer", self.output())
        with open(os.path.join(self.dirs["cache"], ".labgate-dev", "worker.log"), errors="replace") as f:
            wlog = f.read()
        self.assertIn("event=stopped", wlog)
        self.assertNotIn("Sanitizer", wlog)

    def test_worker_dying_ends_dev(self):
        base, worker, redis = self.start()
        os.kill(worker, signal.SIGKILL)
        try:
            rc = self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.fail("labgate dev still runs 15 s after its worker died:\n" + self.output()[-3000:])
        self.assertNotEqual(rc, 0)
        self.assertGreater(rc, 0, "killed by a signal rather than exiting: %r" % rc)
        self.assertRegex(self.output(), r"level=error .*event=dev_child_exited what=worker status=137")
        self.assertIsNone(proc_state(redis), "the redis-server outlived labgate dev")
        self.assertNotIn("Sanitizer", self.output())


if __name__ == "__main__":
    main()
