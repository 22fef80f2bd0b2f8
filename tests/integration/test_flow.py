"""test_flow.py - the import flow end to end through the gateway: a real redis-server, a real `git daemon`
standing in for GitHub, a real `labgate gateway` with dev sign-in and real `labgate worker`s, driven by curl
as a browser would drive it.

- WholeFlow: sign in, the import page and its two buttons, POST /import, the job page, and the job's event
  stream (queued, resolving, fetching, materializing, starting, ready; each with its history id; the stream
  ends after ready), over HTTP/1.1 and over HTTP/2 (h2c, prior knowledge); the notebook lands in
  PROJECTS/USER/REPO/PATH with the right bytes, and mode=repo makes a git working copy.
- Csrf: POST /import without a token, with a wrong one, with another session's, and from another site is
  403 in words; signed out is 401; a bad mode or link is 400; none of them leaves a job in Redis.
- CrossUser: another user's job answers exactly like a made-up id (404) on the page, the API and the event
  stream; malformed ids are 404; the API signed out is 401 JSON.
- LateClient: a stream opened after the job ended replays the whole history and ends; Last-Event-ID
  resumes after that event.
- LiveClient: a stream opened before any worker runs shows queued and stays open; once a worker starts it
  receives the rest and ends.
- Api: POST /api/v1/imports (202, Location, dedup), the JSON errors (415, 400, 413), GET /api/v1/jobs/ID.
- RedisDown: Redis stopped under the gateway: 503 with Retry-After for the form and the API, /readyz 503,
  open streams told `event: unavailable`; Redis back on the same port: the gateway recovers by itself, and
  a stream catches up from the history on what it missed while the gateway was cut off from Redis.
- Readiness: /readyz without and with a worker, and the queue and job metrics on /metrics."""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from gitserver import GitServer, StallingServer, _die_with_parent
from harness import curl, main
from redisserver import free_port
from stack import PREFIX, Browser, Stack, import_path, notebook, parse_events, wait_until

OWNER, REPO = "octo", "lessons"
NOTEBOOKS = {
    "intro.ipynb": notebook("intro"),
    "week 1/loops.ipynb": notebook("loops"),
    "week 2/lists.ipynb": notebook("lists"),
    "data/table.csv": b"a,b\n1,2\n",
}
STATES = ["queued", "resolving", "fetching", "materializing", "starting", "ready"]
H1 = ()
H2 = ("--http2-prior-knowledge",)


# --- helpers ------------------------------------------------------------------------------------------

def page_path(path):
    return import_path(OWNER, REPO, "main", path)


def github_url(path):
    return "https://github.com/%s/%s/blob/main/%s" % (OWNER, REPO, urllib.parse.quote(path))


def history(stack, job_id):
    """The job's history in Redis: [(entry id, event as JSON)], oldest first."""
    lines = stack.redis.cli("XRANGE", "%s:job:{%s}:events" % (PREFIX, job_id), "-", "+").splitlines()
    out, entry = [], None
    for i, line in enumerate(lines):  # ENTRY, then its fields and values, one per line
        if re.fullmatch(r"\d+-\d+", line):
            entry = line
        elif line == "event" and entry and i + 1 < len(lines):
            out.append((entry, json.loads(lines[i + 1])))
    return out


def states_of(events):
    """The state of each `event: state`, with repeats (progress of one state) collapsed."""
    out = []
    for _, kind, data in events:
        if kind == "state" and (not out or out[-1] != data["state"]):
            out.append(data["state"])
    return out


def wait_for_answer(request, want, timeout, what):
    """Repeats request() (a Response) until want(response); returns that response, or fails after timeout."""
    last = []

    def check():
        last[:] = [request()]
        return last[0] if want(last[0]) else None
    try:
        return wait_until(check, timeout, what)
    except AssertionError as e:
        raise AssertionError("%s; the last answer: %d %s" % (e, last[0].status, last[0].text[:300])) from None


def metric(text, name):
    """The value of the sample `name` (with its labels, as written) in a /metrics text, or None."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def metrics(stack):
    r = curl(stack.gw.url("/metrics"))
    assert r.status == 200, r.status
    return r.text


def metrics_until(stack, want, timeout, what):
    """The /metrics text once want(text) holds; fails after timeout seconds."""
    return wait_until(lambda: (lambda text: text if want(text) else None)(metrics(stack)), timeout, what)


def error_of(r):
    """(code, message) of a JSON error answer; fails when the answer is not one."""
    assert r.header("content-type") == "application/json", (r.status, r.header("content-type"), r.text)
    doc = json.loads(r.text)
    assert set(doc) == {"error"}, doc
    assert isinstance(doc["error"].get("code"), str) and isinstance(doc["error"].get("message"), str), doc
    assert doc["error"]["message"].strip(), doc
    return doc["error"]["code"], doc["error"]["message"]


class EventStream:
    """A client of an event stream: curl in the background, so that the test can act while the stream is
    open. Collects what the server sends until it ends the response (curl exits 0), or timeout."""

    def __init__(self, browser, path, *extra, timeout=60):
        self.tmp = tempfile.mkdtemp(prefix="labgate-sse-")
        self.head = os.path.join(self.tmp, "head")
        argv = (["curl", "-sS", "-N", "--max-time", str(timeout), "-D", self.head] + browser._args(extra) +
                [browser.stack.gw.url(path)])
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     preexec_fn=_die_with_parent)
        self._data = b""
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                return
            with self._lock:
                self._data += chunk

    @property
    def text(self):
        with self._lock:
            return self._data.decode("utf-8", "replace")

    def events(self):
        """[(id, event, data as JSON)] of the complete events received so far."""
        text = self.text
        return parse_events(text[:text.rfind("\n\n") + 2])

    def status_line(self):
        with open(self.head, encoding="latin-1") as f:
            return f.readline().strip()

    def header(self, name):
        with open(self.head, encoding="latin-1") as f:
            for line in f.read().splitlines()[1:]:
                k, _, v = line.partition(":")
                if k.strip().lower() == name:
                    return v.strip()
        return None

    def open(self):
        return self.proc.poll() is None

    def wait_for(self, check, timeout, what):
        """Waits until check(events) is true; fails after timeout seconds, or when the stream ended first."""
        deadline = time.monotonic() + timeout
        while not check(self.events()):
            if not self.open():
                self._reader.join(5)
                if check(self.events()):
                    break
                raise AssertionError("%s: the stream ended (curl %s) first; got:\n%s"
                                     % (what, self.proc.returncode, self.text))
            if time.monotonic() > deadline:
                raise AssertionError("%s: not within %gs; got:\n%s" % (what, timeout, self.text))
            time.sleep(0.05)
        return self.events()

    def wait_end(self, timeout):
        """Waits for the server to end the stream; returns curl's exit code (0: ended cleanly)."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("the stream did not end within %gs; got:\n%s" % (timeout, self.text))
        self._reader.join(5)
        return self.proc.returncode

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._reader.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


class RedisProxy:
    """A TCP relay 127.0.0.1:port -> a Redis, put between the gateway and Redis so that a test can cut the
    gateway off while workers, talking to Redis directly, go on. cut() closes the listener and every relayed
    connection (the gateway is refused, as if Redis were down); restore(subscribe_first=S) listens again, and
    for S seconds relays only the connections whose first command is SUBSCRIBE (the gateway's event
    subscription) and closes the others: the subscription is back before the gateway's command connections,
    an order that a Redis restart also produces when the reconnections happen to come in that order."""

    def __init__(self, redis_port):
        self.target = redis_port
        self.port = free_port()
        self.lock = threading.Lock()
        self.socks = set()
        self.subscribe_only_until = 0.0
        self.listener = None
        self.stop = None
        self.thread = None

    @property
    def url(self):
        return "redis://127.0.0.1:%d" % self.port

    def start(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(64)
        s.settimeout(0.05)
        self.listener, self.stop = s, threading.Event()
        self.thread = threading.Thread(target=self._accept, args=(s, self.stop), daemon=True)
        self.thread.start()
        return self

    def _accept(self, listener, stop):
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(None)
            self._track(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _track(self, s):
        with self.lock:
            self.socks.add(s)

    def _close(self, s):
        with self.lock:
            self.socks.discard(s)
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()

    def _serve(self, client):
        first = b""
        left = self.subscribe_only_until - time.monotonic()
        if left > 0:
            client.settimeout(left)
            try:
                first = client.recv(65536)
            except OSError:
                first = b""
            if b"SUBSCRIBE" not in first.upper():
                self._close(client)
                return
            client.settimeout(None)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
            upstream.settimeout(None)
        except OSError:
            self._close(client)
            return
        self._track(upstream)
        if first:
            upstream.sendall(first)
        threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()
        self._pump(client, upstream)

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        self._close(src)
        self._close(dst)

    def cut(self):
        if self.stop is not None:
            self.stop.set()
            self.thread.join(5)
            self.listener.close()
            self.stop = None
        with self.lock:
            socks = list(self.socks)
        for s in socks:
            self._close(s)

    def restore(self, subscribe_first=0.0):
        self.subscribe_only_until = time.monotonic() + subscribe_first
        return self.start()


# --- the tests ------------------------------------------------------------------------------------------

class FlowTest(unittest.TestCase):
    """One git server per class with OWNER/REPO; helpers shared by the themes."""

    @classmethod
    def setUpClass(cls):
        cls.git = GitServer(verbose=False).__enter__()
        cls.addClassCleanup(cls.git.__exit__, None, None, None)
        cls.repo = cls.git.create(OWNER, REPO)
        cls.commit = cls.repo.commit(NOTEBOOKS)

    @classmethod
    def class_stack(cls, **kwargs):
        stack = Stack(cls.git, **kwargs)
        cls.addClassCleanup(stack.__exit__, None, None, None)
        return stack.__enter__()

    def new_stack(self, **kwargs):
        stack = Stack(self.git, **kwargs)
        self.addCleanup(stack.__exit__, None, None, None)
        return stack.__enter__()

    def stream(self, browser, job_id, *extra, timeout=60, path=None):
        s = EventStream(browser, path or "/api/v1/jobs/%s/events" % job_id, *extra, timeout=timeout)
        self.addCleanup(s.close)
        return s

    def assert_whole_history(self, stack, job_id, events):
        """events are the job's whole history as Redis holds it, in order, each `event: state` with its
        history entry id, going through every state to ready."""
        want = history(stack, job_id)
        self.assertTrue(events, "no event")
        for entry, kind, data in events:
            self.assertEqual(kind, "state", events)
            self.assertRegex(entry or "", r"^\d+-\d+$", events)
            self.assertEqual(data["id"], job_id)
        self.assertEqual([(e[0], e[2]) for e in events], want)
        self.assertEqual(states_of(events), STATES)

    def assert_file(self, stack, user, path):
        with open(os.path.join(stack.project(user), REPO, path), "rb") as f:
            self.assertEqual(f.read(), NOTEBOOKS[path])


class WholeFlow(FlowTest):
    """Sign-in to the file in the project, over HTTP/1.1 and HTTP/2. A stack per test: with an empty cache
    the worker fetches, so every state shows."""

    def setUp(self):
        self.stack = self.new_stack()
        self.stack.start_worker()

    def flow(self, user, path, mode, curl_args, version):
        """Goes through the flow as a browser does; returns the job id."""
        b = Browser(self.stack, user, *curl_args)
        page = b.get(page_path(path))
        self.assertEqual((page.status, page.version), (200, version), page.text[:300])
        self.assertIn('<form class="actions" method="post" action="/import">', page.text)
        self.assertIn('<button type="submit" name="mode" value="notebook">Copy notebook</button>', page.text)
        self.assertIn('<button type="submit" name="mode" value="repo" class="secondary">', page.text)
        self.assertIn('<strong class="user">%s</strong>' % user, page.text)
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text).group(1)
        link = re.search(r'name="link" value="([^"]*)"', page.text).group(1).replace("&amp;", "&")
        self.assertEqual(link, page_path(path))

        r = b.post("/import", {"csrf": token, "link": link, "mode": mode})
        self.assertEqual((r.status, r.version), (303, version), r.text[:300])
        job_id = re.fullmatch(r"/jobs/([0-9a-f]{32})", r.header("location")).group(1)

        job_page = b.get("/jobs/" + job_id)
        self.assertEqual((job_page.status, job_page.version), (200, version), job_page.text[:300])
        self.assertIn('data-job="%s"' % job_id, job_page.text)
        events_url = re.search(r'data-events="([^"]+)"', job_page.text).group(1)
        self.assertEqual(events_url, "/api/v1/jobs/%s/events" % job_id)

        s = self.stream(b, job_id, path=events_url, timeout=60)
        self.assertEqual(s.wait_end(60), 0, "the stream did not end cleanly:\n" + s.text)
        self.assertEqual(s.status_line().split()[:2], ["HTTP/" + version, "200"])
        self.assertEqual(s.header("content-type"), "text/event-stream; charset=utf-8")
        self.assertEqual(s.header("cache-control"), "no-store")
        events = s.events()
        self.assert_whole_history(self.stack, job_id, events)
        self.assertEqual(events[-1][2]["state"], "ready")
        self.assertEqual(s.text[s.text.rfind("event: state"):].count("\n\n"), 1, "nothing comes after ready")
        return job_id

    def test_notebook_over_http1(self):
        self.flow("ann", "week 1/loops.ipynb", "notebook", H1, "1.1")
        self.assert_file(self.stack, "ann", "week 1/loops.ipynb")
        self.assertFalse(os.path.exists(os.path.join(self.stack.project("ann"), REPO, "intro.ipynb")))

    def test_notebook_over_http2(self):
        self.flow("ben", "week 2/lists.ipynb", "notebook", H2, "2")
        self.assert_file(self.stack, "ben", "week 2/lists.ipynb")
        self.assertFalse(os.path.exists(os.path.join(self.stack.project("ben"), REPO, "week 1")))

    def test_repo_mode_makes_a_git_working_copy(self):
        job_id = self.flow("cat", "intro.ipynb", "repo", H2, "2")
        target = os.path.join(self.stack.project("cat"), REPO)
        self.assertTrue(os.path.isdir(os.path.join(target, ".git")), os.listdir(target))
        for path in NOTEBOOKS:
            self.assert_file(self.stack, "cat", path)
        git = lambda *a: subprocess.run(["git", "-C", target] + list(a), capture_output=True, text=True,
                                        env=self.git.env, timeout=30)
        self.assertEqual(git("rev-parse", "HEAD").stdout.strip(), self.commit)
        self.assertEqual(git("status", "--porcelain").stdout, "")
        self.assertEqual(self.stack.job(job_id)["mode"], "repo")


class Csrf(FlowTest):
    """POST /import refuses what did not come from the user's own page; nothing reaches Redis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stack = cls.class_stack()
        cls.bob = Browser(cls.stack, "bob")
        cls.token, cls.link = cls.bob.csrf(page_path("intro.ipynb"))

    def form(self, **override):
        form = {"csrf": self.token, "link": self.link, "mode": "notebook"}
        form.update(override)
        return {k: v for k, v in form.items() if v is not None}

    def refused(self, browser, form, status, words, *extra):
        before = self.stack.job_ids()
        r = browser.post("/import", form, *extra)
        self.assertEqual(r.status, status, r.text[:500])
        self.assertTrue(r.header("content-type").startswith("text/html"), r.header("content-type"))
        self.assertIn(words, r.text)
        self.assertIsNone(r.header("location"))
        self.assertEqual(self.stack.job_ids(), before, "a refused form queued a job")
        return r

    def test_without_a_token(self):
        self.refused(self.bob, self.form(csrf=None), 403, "did not come from your session here")
        self.refused(self.bob, self.form(csrf=""), 403, "did not come from your session here")

    def test_with_a_wrong_token(self):
        for token in ("0" * 64, self.token[:-1] + ("0" if self.token[-1] != "0" else "1"), self.token[:63],
                      self.token + "0", self.token.upper(), "x"):
            self.refused(self.bob, self.form(csrf=token), 403, "did not come from your session here")

    def test_with_another_sessions_token(self):
        carol = Browser(self.stack, "carol")
        carols, _ = carol.csrf(page_path("intro.ipynb"))
        self.refused(self.bob, self.form(csrf=carols), 403, "did not come from your session here")
        self.refused(carol, self.form(), 403, "did not come from your session here")  # bob's token
        bob_again = Browser(self.stack, "bob")  # the same user, signed in again: another session
        self.assertNotEqual(bob_again.cookie, self.bob.cookie)
        self.refused(bob_again, self.form(), 403, "did not come from your session here")

    def test_cross_site(self):
        words = "sent from another site"
        self.refused(self.bob, self.form(), 403, words, "-H", "Origin: http://evil.example")
        self.refused(self.bob, self.form(), 403, words, "-H", "Sec-Fetch-Site: cross-site")
        self.refused(self.bob, self.form(), 403, words, "-H", "Origin: http://127.0.0.1:%d.evil.example"
                     % self.stack.gw.port)
        h2 = Browser(self.stack, "bob", *H2)
        h2.cookie = self.bob.cookie
        self.refused(h2, self.form(), 403, words, "-H", "Origin: http://evil.example")

    def test_cross_site_api(self):
        before = self.stack.job_ids()
        for header in ("Origin: http://evil.example", "Sec-Fetch-Site: cross-site"):
            r = self.bob.post_json("/api/v1/imports", {"url": github_url("intro.ipynb")}, "-H", header)
            self.assertEqual(r.status, 403, r.text)
            self.assertEqual(error_of(r)[0], "cross_site")
        self.assertEqual(self.stack.job_ids(), before)

    def test_signed_out(self):
        nobody = Browser(self.stack, None)
        self.refused(nobody, self.form(), 401, "Sign in first")
        forged = Browser(self.stack, None)
        forged.cookie = "labgate_session=" + "A" * 80
        self.refused(forged, self.form(), 401, "Sign in first")

    def test_bad_mode(self):
        for mode in (None, "", "bogus", "Notebook", "repo "):
            self.refused(self.bob, self.form(mode=mode), 400, "Choose how to import")

    def test_bad_link(self):
        self.refused(self.bob, self.form(link=None), 400, "The form lacks the link to import")
        for link in ("", "https://github.com/octo/lessons", "/import/github/octo", "/import/gitlab/octo/lessons",
                     "/import/github/octo/lessons/blob/main/../../../etc/passwd",
                     "/import/github/octo/..", "/import/github/-octo/lessons"):
            r = self.refused(self.bob, self.form(link=link), 400, '<p class="message">')
            self.assertNotIn("<p class=\"message\"></p>", r.text)

    def test_the_real_page_and_same_site_headers_do_queue(self):
        # the control: the checks above can see a job, and same-site headers are let through
        before = set(self.stack.job_ids())
        r = self.bob.post("/import", self.form(), "-H", "Origin: " + self.stack.gw.base,
                          "-H", "Sec-Fetch-Site: same-origin")
        self.assertEqual(r.status, 303, r.text[:500])
        job_id = r.header("location").rsplit("/", 1)[1]
        self.assertEqual(set(self.stack.job_ids()) - before, {job_id})
        self.assertEqual(self.stack.job(job_id)["user"], "bob")


class CrossUser(FlowTest):
    """A job is its owner's: to anyone else it does not exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stack = cls.class_stack()
        cls.bob = Browser(cls.stack, "bob")
        cls.carol = Browser(cls.stack, "carol")
        cls.job = cls.bob.import_link(page_path("intro.ipynb"))
        cls.made_up = secrets.token_hex(16)

    def answer(self, browser, path, *extra, timeout=5):
        return browser.get(path, "--path-as-is", *extra, timeout=timeout)

    def test_other_users_job_is_like_a_missing_one(self):
        for template in ("/jobs/%s", "/api/v1/jobs/%s", "/api/v1/jobs/%s/events"):
            mine = self.answer(self.bob, template % self.job, timeout=1)  # the stream stays open: cut short
            self.assertEqual(mine.status, 200, (template, mine.text[:300]))
            theirs = self.answer(self.carol, template % self.job)
            missing = self.answer(self.carol, template % self.made_up)
            self.assertEqual(theirs.status, 404, (template, theirs.text[:300]))
            self.assertEqual((theirs.status, theirs.header("content-type"), theirs.body),
                             (missing.status, missing.header("content-type"), missing.body), template)
            self.assertNotIn(self.job, theirs.text)
            self.assertNotIn("bob", theirs.text)
        for path in ("/api/v1/jobs/%s" % self.job, "/api/v1/jobs/%s/events" % self.job):
            r = self.answer(self.carol, path, *H2)
            self.assertEqual((r.status, r.version), (404, "2"))
            self.assertEqual(error_of(r)[0], "job_not_found")

    def test_malformed_ids(self):
        # asked by the owner, so that a lax reading of the id would show as a 200
        j = self.job
        self.assertNotEqual(j, j.upper(), "the id has no letter to upper-case")
        paths = ["/jobs/" + j[:31], "/jobs/" + j.upper(), "/jobs/" + j + "0", "/jobs/" + j + "/",
                 "/jobs/" + j + "/events", "/jobs/../" + j[3:], "/jobs/%2e%2e%2f" + j[3:],
                 "/jobs/" + j[:16] + "/../" + j[16:], "/jobs/..%2f..%2f" + j,
                 "/api/v1/jobs/" + j[:31], "/api/v1/jobs/" + j.upper(), "/api/v1/jobs/" + j + "x",
                 "/api/v1/jobs/" + j + "/", "/api/v1/jobs/" + j + "/events/", "/api/v1/jobs/" + j + "/event",
                 "/api/v1/jobs/../" + j[3:], "/api/v1/jobs/" + j[:29] + "/..",
                 "/api/v1/jobs/" + j.upper() + "/events", "/api/v1/jobs/%s/events" % j[:31],
                 # a NUL is no end of the path
                 "/jobs/" + j + "%00", "/jobs/" + j + "%00zzz", "/api/v1/jobs/" + j + "%00",
                 "/api/v1/jobs/" + j + "%00/events", "/api/v1/jobs/" + j + "/events%00x"]
        for path in paths:
            r = self.answer(self.bob, path)
            self.assertEqual(r.status, 404, "%s: %d %s" % (path, r.status, r.text[:200]))

    def test_signed_out(self):
        nobody = Browser(self.stack, None)
        for path in ("/api/v1/jobs/" + self.job, "/api/v1/jobs/%s/events" % self.job,
                     "/api/v1/jobs/" + self.made_up):
            r = nobody.get(path, timeout=5)
            self.assertEqual(r.status, 401, (path, r.text[:300]))
            self.assertEqual(error_of(r)[0], "not_signed_in")
        r = nobody.post_json("/api/v1/imports", {"url": github_url("intro.ipynb")})
        self.assertEqual(r.status, 401, r.text)
        self.assertEqual(error_of(r)[0], "not_signed_in")
        r = nobody.get("/jobs/" + self.job)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/signin?next=" + urllib.parse.quote("/jobs/" + self.job, safe=""))


class LateClient(FlowTest):
    """A stream opened after the job ended: its history, then the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stack = cls.class_stack()
        cls.stack.start_worker()
        cls.bob = Browser(cls.stack, "bob")
        cls.job = cls.bob.import_link(page_path("intro.ipynb"))
        cls.stack.wait_for([cls.job])
        cls.ids = [entry for entry, _ in history(cls.stack, cls.job)]

    def test_whole_history_then_the_end(self):
        self.assertEqual(self.stack.job(self.job)["state"], "ready")
        for args in (H1, H2):
            b = Browser(self.stack, "bob", *args)
            b.cookie = self.bob.cookie
            s = self.stream(b, self.job, timeout=20)
            self.assertEqual(s.wait_end(20), 0, s.text)
            self.assert_whole_history(self.stack, self.job, s.events())

    def test_resume_after_the_third_event(self):
        self.assertGreater(len(self.ids), 4)
        for args in (H1, H2):
            b = Browser(self.stack, "bob", *args)
            b.cookie = self.bob.cookie
            s = self.stream(b, self.job, "-H", "Last-Event-ID: " + self.ids[2], timeout=20)
            self.assertEqual(s.wait_end(20), 0, s.text)
            events = s.events()
            self.assertEqual([e[0] for e in events], self.ids[3:])
            self.assertEqual([(e[0], e[2]) for e in events], history(self.stack, self.job)[3:])
            self.assertEqual(events[-1][2]["state"], "ready")

    def test_an_unusable_last_event_id_replays_everything(self):
        for value in ("garbage", "12-", "-5", "1-2-3", "1" * 50 + "-0"):
            s = self.stream(self.bob, self.job, "-H", "Last-Event-ID: " + value, timeout=20)
            self.assertEqual(s.wait_end(20), 0, s.text)
            self.assertEqual([e[0] for e in s.events()], self.ids, value)

    def test_resume_after_the_last_event_ends_at_once(self):
        # the job is over and the client has its last event: there is nothing left to wait for
        started = time.monotonic()
        s = self.stream(self.bob, self.job, "-H", "Last-Event-ID: " + self.ids[-1], timeout=10)
        self.assertEqual(s.wait_end(15), 0, "the stream of a finished job stayed open:\n" + s.text)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(s.events(), [])


class LiveClient(FlowTest):
    """A stream opened while the job waits for a worker follows it to the end."""

    def follow_live(self, args, version):
        stack = self.new_stack()
        b = Browser(stack, "dan", *args)
        job_id = b.import_link(page_path("intro.ipynb"))
        s = self.stream(b, job_id, timeout=90)
        s.wait_for(lambda ev: states_of(ev) == ["queued"], 15, "queued")
        self.assertEqual(s.status_line().split()[:2], ["HTTP/" + version, "200"])
        time.sleep(1.0)
        self.assertTrue(s.open(), "the stream of a queued job ended:\n" + s.text)
        self.assertEqual(states_of(s.events()), ["queued"])
        self.assertEqual(stack.job(job_id)["state"], "queued")
        self.assertEqual(metric(metrics(stack), "labgate_event_streams"), 1)

        stack.start_worker()
        self.assertEqual(s.wait_end(60), 0, s.text)
        self.assert_whole_history(stack, job_id, s.events())
        self.assert_file(stack, "dan", "intro.ipynb")
        wait_until(lambda: metric(metrics(stack), "labgate_event_streams") == 0, 10, "the stream is counted out")

    def test_over_http1(self):
        self.follow_live(H1, "1.1")

    def test_over_http2(self):
        self.follow_live(H2, "2")


class Api(FlowTest):
    """POST /api/v1/imports and GET /api/v1/jobs/ID; no worker runs, so jobs stay queued."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stack = cls.class_stack()
        cls.eve = Browser(cls.stack, "eve")

    def test_enqueue_read_and_dedup(self):
        url = github_url("week 1/loops.ipynb")
        r = self.eve.post_json("/api/v1/imports", {"url": url, "mode": "notebook"})
        self.assertEqual(r.status, 202, r.text)
        self.assertEqual(r.header("content-type"), "application/json")
        doc = json.loads(r.text)
        job_id = doc["id"]
        self.assertRegex(job_id, r"^[0-9a-f]{32}$")
        self.assertEqual(doc, {"id": job_id, "status_url": "/api/v1/jobs/" + job_id,
                               "events_url": "/api/v1/jobs/%s/events" % job_id, "page_url": "/jobs/" + job_id,
                               "existing": False})
        self.assertEqual(r.header("location"), doc["status_url"])
        self.assertIn(job_id, self.stack.job_ids())

        again = self.eve.post_json("/api/v1/imports", {"url": url, "mode": "notebook"})
        self.assertEqual(again.status, 202, again.text)
        self.assertEqual(json.loads(again.text), dict(doc, existing=True))
        # another spelling of the same link, over HTTP/2, is the same import too
        h2 = Browser(self.stack, "eve", *H2)
        h2.cookie = self.eve.cookie
        other = h2.post_json("/api/v1/imports", {"url": url.replace("https://", "") + "?plain=1"})
        self.assertEqual((other.status, other.version), (202, "2"), other.text)
        self.assertEqual(json.loads(other.text)["id"], job_id)
        self.assertTrue(json.loads(other.text)["existing"])
        # another mode, or another user, is another job
        repo = self.eve.post_json("/api/v1/imports", {"url": url, "mode": "repo"})
        self.assertEqual(repo.status, 202, repo.text)
        self.assertNotEqual(json.loads(repo.text)["id"], job_id)
        frank = Browser(self.stack, "frank").post_json("/api/v1/imports", {"url": url})
        self.assertNotEqual(json.loads(frank.text)["id"], job_id)

        r = self.eve.get(doc["status_url"])
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.header("content-type"), "application/json")
        self.assertEqual(r.header("cache-control"), "no-store")
        job = json.loads(r.text)
        self.assertEqual(job["id"], job_id)
        self.assertEqual(job["state"], "queued")
        self.assertEqual(job["link"], url)
        self.assertEqual(job["mode"], "notebook")
        self.assertEqual(job["user"], "eve")
        self.assertEqual(self.eve.get(doc["page_url"]).status, 200)

    def post_raw(self, body, *extra):
        """POSTs body (bytes) to /api/v1/imports from a file, with the headers given."""
        with tempfile.NamedTemporaryFile(prefix="labgate-body-") as f:
            f.write(body)
            f.flush()
            return curl(self.stack.gw.url("/api/v1/imports"), *self.eve._args(
                list(extra) + ["--data-binary", "@" + f.name]), timeout=30)

    def test_not_json_is_415(self):
        before = self.stack.job_ids()
        body = json.dumps({"url": github_url("intro.ipynb")}).encode()
        for extra in ((), ("-H", "Content-Type: text/plain"), ("-H", "Content-Type: application/jsonx"),
                      ("-H", "Content-Type: application/x-www-form-urlencoded")):
            r = self.post_raw(body, *extra)
            self.assertEqual(r.status, 415, (extra, r.text))
            self.assertEqual(error_of(r)[0], "unsupported_media_type")
        r = self.post_raw(body, "-H", "Content-Type: application/json; charset=utf-8")  # the control
        self.assertEqual(r.status, 202, r.text)
        self.assertEqual(set(self.stack.job_ids()) - set(before), {json.loads(r.text)["id"]})

    def test_bad_bodies_are_400(self):
        url = github_url("intro.ipynb")
        cases = [
            (b"", "invalid_json"),
            (b"{", "invalid_json"),
            (b'{"url": "%s"' % url.encode(), "invalid_json"),
            (b'{"url": "%s", "mode": "notebook"}}' % url.encode(), "invalid_json"),
            (b"not json", "invalid_json"),
            (b"[]", "invalid_json"),
            (b'["%s"]' % url.encode(), "invalid_json"),
            (b'"%s"' % url.encode(), "invalid_json"),
            (b"null", "invalid_json"),
            (b'{"url": "%s", "url": "%s"}' % (url.encode(), url.encode()), "invalid_json"),
            (b"{}", "missing_url"),
            (b'{"link": "%s"}' % url.encode(), "missing_url"),
            (b'{"url": 5}', "missing_url"),
            (b'{"url": null}', "missing_url"),
            (b'{"url": "https://gitlab.com/octo/lessons/-/blob/main/intro.ipynb"}', "invalid_github_url"),
            (b'{"url": "https://github.com.evil.example/octo/lessons"}', "invalid_github_url"),
            (b'{"url": "https://github.com/octo"}', "invalid_github_url"),
            (b'{"url": "https://github.com/octo/../etc"}', "invalid_github_url"),
            (b'{"url": ""}', "invalid_github_url"),
            (b'{"url": "%s", "mode": "bogus"}' % url.encode(), "invalid_mode"),
            (b'{"url": "%s", "mode": 1}' % url.encode(), "invalid_mode"),
            (b'{"url": "%s", "mode": null}' % url.encode(), "invalid_mode"),
            (b'{"url": "%s", "mode": "Repo"}' % url.encode(), "invalid_mode"),
        ]
        before = self.stack.job_ids()
        for body, code in cases:
            r = self.post_raw(body, "-H", "Content-Type: application/json")
            self.assertEqual(r.status, 400, (body, r.text))
            self.assertEqual(error_of(r)[0], code, body)
        self.assertEqual(self.stack.job_ids(), before)

    def test_a_body_over_max_body_bytes_is_413(self):
        before = self.stack.job_ids()
        head = b'{"url": "%s", "pad": "' % github_url("padded.ipynb").encode()
        over = head + b"a" * (1024 * 1024 + 1 - len(head) - 2) + b'"}'
        self.assertEqual(len(over), 1024 * 1024 + 1)
        r = self.post_raw(over, "-H", "Content-Type: application/json")
        self.assertEqual(r.status, 413, r.text[:300])
        self.assertEqual(self.stack.job_ids(), before)
        under = head + b"a" * (1000 * 1000 - len(head) - 2) + b'"}'  # the control: a big body under the limit
        r = self.post_raw(under, "-H", "Content-Type: application/json")
        self.assertEqual(r.status, 202, r.text[:300])


class RedisDown(FlowTest):
    """Redis goes away under the gateway and comes back."""

    def test_redis_stops_and_comes_back(self):
        stack = self.new_stack(aof=True)  # the queue survives the restart, as a real one would
        bob = Browser(stack, "bob")
        token, link = bob.csrf(page_path("intro.ipynb"))  # a valid token, obtained before the stop
        with StallingServer() as stall:
            # a worker that takes the job and then hangs fetching it: the job is open, the gateway ready
            stuck = stack.start_worker("--github-url", stall.url, "--job-lease", "2s", "--fetch-timeout", "60s",
                                       "--worker-concurrency", "1")
            stack.wait_ready_gateway()
            job_id = bob.import_link(page_path("intro.ipynb"))
            s = self.stream(bob, job_id, timeout=90)
            s.wait_for(lambda ev: states_of(ev)[:2] == ["queued", "resolving"], 15, "the job under way")

            stack.redis.stop()
            stuck.kill()
            stuck.wait(10)
            s.wait_for(lambda ev: any(k == "unavailable" for _, k, _ in ev), 10, "event: unavailable")
            gone = [d for _, k, d in s.events() if k == "unavailable"][0]
            self.assertEqual(gone["error"]["code"], "queue_unavailable")
            self.assertTrue(s.open(), "the stream was dropped when Redis went away")

            r = bob.post("/import", {"csrf": token, "link": link, "mode": "notebook"})
            self.assertEqual(r.status, 503, r.text[:500])
            self.assertTrue(r.header("retry-after").isdigit(), r.headers)
            self.assertTrue(r.header("content-type").startswith("text/html"))
            self.assertIn("The import queue cannot be reached right now, so nothing was queued", r.text)
            r = bob.post_json("/api/v1/imports", {"url": github_url("week 1/loops.ipynb")})
            self.assertEqual(r.status, 503, r.text)
            self.assertTrue(r.header("retry-after").isdigit(), r.headers)
            self.assertEqual(error_of(r)[0], "queue_unavailable")
            for path in ("/api/v1/jobs/" + job_id, "/jobs/" + job_id):  # unknown now, not missing
                r = bob.get(path)
                self.assertEqual(r.status, 503, (path, r.text[:300]))
                self.assertTrue(r.header("retry-after").isdigit())
            ready = wait_for_answer(lambda: curl(stack.gw.url("/readyz")), lambda r: r.status == 503, 10,
                                    "/readyz says 503")
            self.assertIn("Redis is not answering", ready.text)

            stack.redis.start()  # the same port, the same data
            lists = {"url": github_url("week 2/lists.ipynb")}
            r = wait_for_answer(lambda: bob.post_json("/api/v1/imports", lists), lambda r: r.status != 503, 15,
                                "enqueueing works again")
            self.assertEqual(r.status, 202, r.text)
            after = json.loads(r.text)["id"]
            # each gateway thread has its own connection to Redis: the form may land on another thread
            r = wait_for_answer(lambda: bob.post("/import", {"csrf": token, "link": link, "mode": "repo"}),
                                lambda r: r.status != 503, 15, "the form works again")
            self.assertEqual(r.status, 303, r.text[:300])
            stack.start_worker("--job-lease", "2s")
            stack.wait_ready_gateway(timeout=20)
            # the stream opened before the stop follows the job to its end: another worker takes it over
            self.assertEqual(s.wait_end(60), 0, s.text)
            events = [e for e in s.events() if e[1] == "state"]
            self.assertEqual(events[-1][2]["state"], "ready")
            self.assertEqual([(e[0], e[2]) for e in events], history(stack, job_id))
        jobs = stack.wait_for([job_id, after])
        self.assertEqual({j["state"] for j in jobs.values()}, {"ready"})
        self.assert_file(stack, "bob", "week 2/lists.ipynb")

    def test_a_stream_catches_up_on_what_it_missed(self):
        # the gateway is cut off from Redis while a worker runs the job to its end; when the gateway is
        # back, its open stream reads what it missed from the history
        stack = Stack(self.git)
        proxy = RedisProxy(stack.redis.port).start()
        self.addCleanup(proxy.cut)
        stack.gateway_args += ["--redis", proxy.url]
        self.addCleanup(stack.__exit__, None, None, None)
        stack.__enter__()

        bob = Browser(stack, "bob")
        job_id = bob.import_link(page_path("intro.ipynb"))
        s = self.stream(bob, job_id, timeout=90)
        s.wait_for(lambda ev: states_of(ev) == ["queued"], 15, "queued")

        proxy.cut()
        s.wait_for(lambda ev: any(k == "unavailable" for _, k, _ in ev), 10, "event: unavailable")
        self.assertEqual(bob.post_json("/api/v1/imports", {"url": github_url("intro.ipynb")}).status, 503)
        stack.start_worker()  # talks to Redis itself
        self.assertEqual(stack.wait_for([job_id])[job_id]["state"], "ready")
        time.sleep(0.5)
        self.assertEqual(states_of(s.events()), ["queued"])

        proxy.restore(subscribe_first=3.0)
        self.assertEqual(s.wait_end(20), 0, "the stream did not catch up:\n" + s.text)
        events = [e for e in s.events() if e[1] == "state"]
        self.assertEqual([(e[0], e[2]) for e in events], history(stack, job_id))
        self.assertEqual(states_of(events), STATES)


class Readiness(FlowTest):
    """/readyz and the queue's metrics."""

    def test_readyz_and_metrics(self):
        stack = self.new_stack()
        ready = wait_for_answer(lambda: curl(stack.gw.url("/readyz")), lambda r: "no worker" in r.text, 10,
                                "/readyz says no worker")
        self.assertEqual(ready.status, 503)
        text = metrics(stack)
        self.assertEqual(metric(text, "labgate_workers_live"), 0)
        self.assertEqual(metric(text, "labgate_redis_up"), 1)
        self.assertEqual(metric(text, "labgate_event_streams"), 0)

        gil = Browser(stack, "gil")
        r = gil.post_json("/api/v1/imports", {"url": github_url("intro.ipynb")})
        self.assertEqual(r.status, 202, r.text)
        job_id = json.loads(r.text)["id"]
        waiting = 'labgate_queue_jobs{priority="interactive",status="waiting"}'
        metrics_until(stack, lambda t: metric(t, waiting) == 1, 10, "one job waiting")
        self.assertEqual(curl(stack.gw.url("/readyz")).status, 503)

        stack.start_worker()
        stack.wait_ready_gateway()
        r = curl(stack.gw.url("/readyz"))
        self.assertEqual((r.status, r.text), (200, "ready\n"))
        self.assertEqual(stack.wait_for([job_id])[job_id]["state"], "ready")

        ready_count = 'labgate_job_duration_seconds_count{outcome="ready"}'
        text = metrics_until(stack, lambda t: metric(t, ready_count), 10, "the job's duration is counted")
        self.assertEqual(metric(text, ready_count), 1)
        self.assertEqual(metric(text, 'labgate_job_duration_seconds_count{outcome="failed"}'), 0)
        self.assertGreater(metric(text, 'labgate_job_duration_seconds_sum{outcome="ready"}'), 0)
        for state in STATES:
            self.assertGreaterEqual(metric(text, 'labgate_job_states_total{state="%s"}' % state), 1, state)
        self.assertEqual(metric(text, 'labgate_job_states_total{state="failed"}'), 0)
        self.assertGreaterEqual(metric(text, "labgate_workers_live"), 1)
        gauges = ['labgate_queue_jobs{priority="%s",status="%s"}' % (p, s)
                  for p in ("interactive", "background") for s in ("waiting", "running")]
        text = metrics_until(stack, lambda t: all(metric(t, g) == 0 for g in gauges), 10, "the queue is empty")
        self.assertEqual(metric(text, "labgate_event_streams"), 0)
        self.assertIn("# TYPE labgate_job_duration_seconds histogram", text)


if __name__ == "__main__":
    main()
