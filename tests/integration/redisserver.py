"""redisserver.py - a real redis-server for the integration tests: a free loopback port, a temporary
folder, append-only persistence when asked; stopped and removed at the end. Reads go through redis-cli."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

from gitserver import _die_with_parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, aof=False):
        self.dir = tempfile.mkdtemp(prefix="labgate-redis-")
        self.port = free_port()
        self.aof = aof
        self.proc = None

    @property
    def url(self):
        return "redis://127.0.0.1:%d" % self.port

    def start(self, timeout=10):
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", self.dir,
                "--appendonly", "yes" if self.aof else "no", "--loglevel", "warning"]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.cli("PING").strip() == "PONG":
                return self
            time.sleep(0.05)
        raise AssertionError("redis-server did not answer on port %d" % self.port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def cli(self, *args):
        done = subprocess.run(["redis-cli", "-p", str(self.port), "--raw"] + list(args),
                              capture_output=True, text=True, timeout=10)
        return done.stdout

    def job(self, prefix, job_id):
        """The job's record as a dict."""
        lines = self.cli("HGETALL", "%s:job:{%s}" % (prefix, job_id)).splitlines()
        return dict(zip(lines[0::2], lines[1::2]))

    def events(self, prefix, job_id):
        """The job's history: the event JSON texts, oldest first."""
        lines = self.cli("XRANGE", "%s:job:{%s}:events" % (prefix, job_id), "-", "+").splitlines()
        return [lines[i + 1] for i, line in enumerate(lines) if line == "event" and i + 1 < len(lines)]
