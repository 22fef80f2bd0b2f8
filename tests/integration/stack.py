"""stack.py - the whole import flow for the integration tests: a real redis-server, a `git daemon`
standing in for GitHub (shared by the test class), a gateway with dev sign-in, and workers, all on
loopback in one temporary folder; plus a Browser that signs in and talks to the gateway with curl the
way a person's browser would (cookie, CSRF token from the page, form posts, event streams)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse

from gitserver import _die_with_parent
from harness import LABGATE, Gateway, curl
from redisserver import RedisServer

PREFIX = "labgate"


def notebook(text):
    return ('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["%s"]}], "metadata": {}, '
            '"nbformat": 4, "nbformat_minor": 5}\n' % text).encode()


def wait_until(check, timeout, what):
    """Polls check() until it returns something true; returns that, or fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %gs" % (what, timeout))
        time.sleep(0.1)


class Stack:
    """Redis + gateway + workers against git server `git`; a context manager."""

    def __init__(self, git, aof=False, gateway_args=(), worker_env=None, threads=2):
        self.git = git
        self.tmp = tempfile.mkdtemp(prefix="labgate-stack-")
        self.redis = RedisServer(aof=aof)
        self.gateway_args = list(gateway_args)
        self.threads = threads
        self.workers = []
        self.env = dict(os.environ, LABGATE_REDIS="", LABGATE_GITHUB_URL=git.url,
                        LABGATE_PROJECTS_DIR=os.path.join(self.tmp, "projects"),
                        LABGATE_CACHE_DIR=os.path.join(self.tmp, "cache"), LABGATE_FETCH_TIMEOUT="10s",
                        LABGATE_RUNTIME="none")
        self.env.update(worker_env or {})  # may override the defaults above (LABGATE_RUNTIME=local)
        self.gw = None

    def __enter__(self):
        self.redis.start()
        self.env["LABGATE_REDIS"] = self.redis.url
        self.gw = Gateway(*self.gateway_args, env=self.env, threads=self.threads).__enter__()
        return self

    def __exit__(self, *exc):
        """Stops everything; a gateway that does not exit 0 on SIGTERM (a crash, or a sanitizer report in
        the sanitizer build) fails the test that used it."""
        self.kill_workers()
        rc = self.gw.stop() if self.gw else 0
        lines = self.gw.lines if self.gw else []
        if self.gw:
            self.gw.__exit__(None, None, None)
        self.redis.__exit__(None, None, None)
        shutil.rmtree(self.tmp, ignore_errors=True)
        if rc != 0 and not (exc and exc[0]):
            raise AssertionError("the gateway exited with %r:\n%s" % (rc, "\n".join(lines[-40:])))

    # workers

    def start_worker(self, *args, **env):
        log = open(os.path.join(self.tmp, "worker%d.log" % len(self.workers)), "wb")
        proc = subprocess.Popen([LABGATE, "worker"] + list(args), stdout=log, stderr=log,
                                env=dict(self.env, **env), preexec_fn=_die_with_parent)
        log.close()
        self.workers.append(proc)
        return proc

    def kill_workers(self, sig=9):
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(sig)
                proc.wait(30)

    def worker_log(self, i=0):
        with open(os.path.join(self.tmp, "worker%d.log" % i), encoding="utf-8", errors="replace") as f:
            return f.read()

    # what Redis holds

    def job(self, job_id):
        return self.redis.job(PREFIX, job_id)

    def history(self, job_id):
        return [json.loads(e) for e in self.redis.events(PREFIX, job_id)]

    def job_ids(self):
        """Every job Redis has a record of."""
        keys = self.redis.cli("--scan", "--pattern", PREFIX + ":job:{*}").split()
        return sorted({re.search(r"\{([0-9a-f]{32})\}", k).group(1) for k in keys})

    def wait_for(self, ids, states=("ready", "failed"), timeout=60):
        deadline = time.monotonic() + timeout
        jobs = {}
        while time.monotonic() < deadline:
            jobs = {i: self.job(i) for i in ids}
            if all(j.get("state") in states for j in jobs.values()):
                return jobs
            time.sleep(0.1)
        raise AssertionError("jobs not done in %ds: %s" % (timeout, {i: j.get("state") for i, j in jobs.items()}))

    def wait_ready_gateway(self, timeout=15):
        """Waits until /readyz says 200 (Redis reachable, a worker alive)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if curl(self.gw.url("/readyz")).status == 200:
                return
            time.sleep(0.1)
        raise AssertionError("/readyz never said ready")

    def project(self, user):
        return os.path.join(self.tmp, "projects", user)


class Browser:
    """One person's browser: a session cookie, and curl with the options given (e.g. --http2-prior-knowledge)."""

    def __init__(self, stack, user, *curl_args):
        self.stack = stack
        self.user = user
        self.args = list(curl_args)
        self.cookie = None
        if user:
            r = self.post("/signin", {"name": user, "next": "/"})
            assert r.status == 303, (r.status, r.text)
            self.cookie = r.header("set-cookie").split(";", 1)[0]

    def _args(self, extra):
        cookie = ["-H", "Cookie: " + self.cookie] if self.cookie else []
        return self.args + cookie + list(extra)

    def get(self, path, *extra, timeout=20):
        return curl(self.stack.gw.url(path), *self._args(extra), timeout=timeout)

    def post(self, path, form, *extra):
        data = []
        for k, v in form.items():
            data += ["--data-urlencode", "%s=%s" % (k, v)]
        return curl(self.stack.gw.url(path), *self._args(list(extra) + data))

    def post_json(self, path, doc, *extra):
        body = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
        return curl(self.stack.gw.url(path), *self._args(["-H", "Content-Type: application/json",
                                                          "--data-binary", body] + list(extra)))

    def csrf(self, import_path):
        """The CSRF token and link field of the import confirm page."""
        r = self.get(import_path)
        assert r.status == 200, (r.status, r.text[:300])
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', r.text).group(1)
        link = re.search(r'name="link" value="([^"]*)"', r.text).group(1)
        return token, link.replace("&amp;", "&")

    def import_link(self, import_path, mode="notebook"):
        """Confirms the import as the page's buttons do; returns the job id from the 303."""
        token, link = self.csrf(import_path)
        r = self.post("/import", {"csrf": token, "link": link, "mode": mode})
        assert r.status == 303, (r.status, r.text[:300])
        m = re.fullmatch(r"/jobs/([0-9a-f]{32})", r.header("location"))
        assert m, r.header("location")
        return m.group(1)

    def events(self, job_id, *extra, timeout=60):
        """The job's event stream until the server ends it: [(id, event, data as JSON)]."""
        r = self.get("/api/v1/jobs/%s/events" % job_id, "-N", *extra, timeout=timeout)
        return parse_events(r.text), r


def parse_events(text):
    out = []
    for block in text.split("\n\n"):
        fields = {}
        for line in block.split("\n"):
            if line.startswith(":") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            fields[k] = v[1:] if v.startswith(" ") else v
        if "event" in fields:
            out.append((fields.get("id"), fields["event"], json.loads(fields["data"])))
    return out


def import_path(owner, repo, ref, path):
    return "/import/github/%s/%s/blob/%s/%s" % (owner, repo, ref, urllib.parse.quote(path))
