"""test_worker.py - `labgate worker` against a real redis-server and a real `git daemon`: queued imports
end ready with their files in place and a history in order; permanent failures fail at once, transient
ones are retried and then dead-lettered; SIGTERM stops a worker cleanly; and a worker killed with
SIGKILL in the middle of its jobs loses none: another worker takes them over when their leases lapse,
and every job ends ready exactly once."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from gitserver import GitServer, StallingServer, _die_with_parent
from harness import LABGATE, main, run
from redisserver import RedisServer

PREFIX = "labgate"


def nb(text):
    return ('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["%s"]}], "metadata": {}, '
            '"nbformat": 4, "nbformat_minor": 5}\n' % text).encode()


class WorkerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.git = GitServer(verbose=False).__enter__()
        cls.repo = cls.git.create("alice", "lessons")
        cls.commit = cls.repo.commit({"nb%02d.ipynb" % i: nb("lesson %d" % i) for i in range(40)})

    @classmethod
    def tearDownClass(cls):
        cls.git.__exit__(None, None, None)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="labgate-worker-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.redis = RedisServer().__enter__()
        self.addCleanup(self.redis.__exit__, None, None, None)
        self.workers = []
        self.addCleanup(self.stop_workers)
        self.env = dict(os.environ, LABGATE_REDIS=self.redis.url, LABGATE_GITHUB_URL=self.git.url,
                        LABGATE_PROJECTS_DIR=os.path.join(self.tmp, "projects"),
                        LABGATE_CACHE_DIR=os.path.join(self.tmp, "cache"), LABGATE_FETCH_TIMEOUT="10s",
                        LABGATE_RUNTIME="none")

    def start_worker(self, *args, **env):
        log = open(os.path.join(self.tmp, "worker%d.log" % len(self.workers)), "wb")
        proc = subprocess.Popen([LABGATE, "worker"] + list(args), stdout=log, stderr=log,
                                env=dict(self.env, **env), preexec_fn=_die_with_parent)
        log.close()
        self.workers.append(proc)
        return proc

    def stop_workers(self):
        for proc in self.workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def enqueue(self, link, user, *args):
        done = run([LABGATE, "import", link, "--user", user, "--queue"] + list(args), env=self.env, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout.split()[0]

    def wait_for(self, ids, states=("ready", "failed"), timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = {i: self.redis.job(PREFIX, i) for i in ids}
            if all(j.get("state") in states for j in jobs.values()):
                return jobs
            time.sleep(0.1)
        self.fail("jobs not done in %ds: %s" % (timeout, {i: j.get("state") for i, j in jobs.items()}))

    def pending(self):
        """Jobs delivered to a worker and not finished (held under a lease)."""
        lines = self.redis.cli("XPENDING", PREFIX + ":{q}:hi", "workers").splitlines()
        return int(lines[0]) if lines and lines[0].isdigit() else 0

    def event_states(self, job_id):
        return [json.loads(e)["state"] for e in self.redis.events(PREFIX, job_id)]


class Flow(WorkerTest):
    def test_queued_imports_end_ready(self):
        self.start_worker("--worker-concurrency", "3")
        ids = [self.enqueue("https://github.com/alice/lessons/blob/main/nb%02d.ipynb" % i, "user%d" % i)
               for i in range(6)]
        jobs = self.wait_for(ids)
        for i, job_id in enumerate(ids):
            self.assertEqual(jobs[job_id]["state"], "ready", jobs[job_id])
            self.assertEqual(jobs[job_id]["attempts"], "1")
            result = json.loads(jobs[job_id]["result"])
            self.assertEqual(result["commit"], self.commit)
            self.assertEqual(result["files"]["created"], ["nb%02d.ipynb" % i])
            path = os.path.join(self.tmp, "projects", "user%d" % i, "lessons", "nb%02d.ipynb" % i)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), nb("lesson %d" % i))
            states = self.event_states(job_id)
            self.assertEqual(states[0], "queued")
            self.assertEqual(states[-2:], ["starting", "ready"])
            self.assertLess(states.index("resolving"), states.index("materializing"))

    def test_the_same_import_twice_is_one_job(self):
        link = "https://github.com/alice/lessons/blob/main/nb01.ipynb"
        first = self.enqueue(link, "ann")
        again = run([LABGATE, "import", "github.com/alice/lessons/blob/main/nb01.ipynb", "--user", "ann",
                     "--queue"], env=self.env, timeout=30)
        self.assertEqual(again.stdout.split()[0], first)
        self.assertIn("already queued", again.stdout)
        self.assertNotEqual(self.enqueue(link, "ann", "--mode", "repo"), first)

    def test_permanent_failure_is_not_retried(self):
        self.start_worker()
        job_id = self.enqueue("https://github.com/alice/no-such-repository", "ann")
        job = self.wait_for([job_id])[job_id]
        self.assertEqual(job["state"], "failed")
        self.assertEqual(job["attempts"], "1")
        self.assertIn("not found", job["error"])

    def test_transient_failure_is_retried_then_dead_lettered(self):
        closed = "git://127.0.0.1:%d" % __import__("redisserver").free_port()
        self.start_worker("--max-attempts", "2", "--github-url", closed)
        job_id = self.enqueue("https://github.com/alice/lessons", "ann", "--max-attempts", "2")
        job = self.wait_for([job_id], timeout=30)[job_id]
        self.assertEqual(job["state"], "failed")
        self.assertEqual(job["attempts"], "2")
        states = self.event_states(job_id)
        self.assertEqual(states.count("queued"), 2, states)  # queued, then queued again for the retry
        self.assertEqual(self.redis.cli("XLEN", PREFIX + ":{q}:dead").strip(), "1")

    def test_sigterm_stops_an_idle_worker(self):
        proc = self.start_worker()
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=10), 0)


class Faults(WorkerTest):
    def test_a_killed_worker_loses_no_job(self):
        # 30 imports; worker A takes four of them and is killed with SIGKILL while it holds them (its
        # fetches go to a server that never answers, so it is certainly in the middle of them); worker B
        # takes each over when its lease lapses, and runs the rest. Every job ends ready exactly once,
        # with its file in place and no temporary file left.
        ids = [self.enqueue("https://github.com/alice/lessons/blob/main/nb%02d.ipynb" % i, "u%02d" % i)
               for i in range(30)]
        with StallingServer() as stall:
            a = self.start_worker("--worker-concurrency", "4", "--job-lease", "2s", "--github-url", stall.url,
                                  "--fetch-timeout", "60s")
            deadline = time.monotonic() + 30
            while self.pending() < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            a.send_signal(signal.SIGKILL)
            a.wait()
        held = self.pending()
        self.assertEqual(held, 4, "worker A should hold four jobs when killed")
        self.start_worker("--worker-concurrency", "2", "--job-lease", "2s")
        jobs = self.wait_for(ids, timeout=90)
        self.assertEqual(sum(int(j["attempts"]) for j in jobs.values()), 30 + held)
        for i, job_id in enumerate(ids):
            self.assertEqual(jobs[job_id]["state"], "ready", jobs[job_id])
            self.assertEqual(self.event_states(job_id).count("ready"), 1)
            path = os.path.join(self.tmp, "projects", "u%02d" % i, "lessons", "nb%02d.ipynb" % i)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), nb("lesson %d" % i))
            leftovers = [n for n in os.listdir(os.path.dirname(path)) if n.startswith(".labgate-tmp")]
            self.assertEqual(leftovers, [])

    def test_jobs_wait_for_a_worker(self):
        ids = [self.enqueue("https://github.com/alice/lessons/blob/main/nb%02d.ipynb" % i, "w%d" % i)
               for i in range(3)]
        time.sleep(1)
        self.assertEqual({self.redis.job(PREFIX, i)["state"] for i in ids}, {"queued"})
        self.start_worker()
        self.assertEqual({j["state"] for j in self.wait_for(ids).values()}, {"ready"})


if __name__ == "__main__":
    main()
