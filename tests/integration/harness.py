"""harness.py - what the integration tests share: starting a real `labgate gateway` on a free loopback
port in a temporary directory, reading its log, stopping it, and running real HTTP clients (curl,
nghttp, h2load) against it with bounded time."""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

LABGATE = os.environ.get("LABGATE_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "labgate")
SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Gateway:
    """A running `labgate gateway` with its own temp dir; use as a context manager."""

    def __init__(self, *args, env=None, threads=2, tls=False):
        self.tmp = tempfile.mkdtemp(prefix="labgate-test-")
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.threads = threads
        self.tls = tls
        self.lines = []
        self.proc = None
        self.port = None
        self._eof = False
        self._cond = threading.Condition()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, timeout=15):
        argv = [LABGATE, "gateway", "--listen", "127.0.0.1:0", "--threads", str(self.threads)]
        if self.tls:
            cert, key = make_certificate(self.tmp)
            argv += ["--tls-cert", cert, "--tls-key", key]
        self.proc = subprocess.Popen(argv + self.args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     env=self.env, cwd=self.tmp)
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        line = self.wait_for_log(r"event=listening", timeout)
        self.port = int(re.search(r"port=(\d+)", line).group(1))
        self.wait_for_log(r"event=started", timeout)

    def _read_log(self):
        for raw in self.proc.stderr:
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def wait_for_log(self, pattern, timeout=10):
        """Returns the first log line matching pattern; fails the test after timeout seconds."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        with self._cond:
            while True:
                for line in self.lines:
                    if rx.search(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    raise AssertionError("no log line matching %r; log:\n%s" % (pattern, "\n".join(self.lines)))
                self._cond.wait(min(left, 0.2))

    def log(self):
        with self._cond:
            return list(self.lines)

    @property
    def base(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    def url(self, path):
        return self.base + path

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Signals the gateway and returns its exit code (None if it had to be killed)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        finally:
            self._reader.join(5)
            self.proc.stderr.close()


class GatewayTestCase(unittest.TestCase):
    """Tests sharing one gateway for the class; GATEWAY_ARGS and GATEWAY_TLS shape it."""

    GATEWAY_ARGS = ()
    GATEWAY_TLS = False
    GATEWAY_ENV = None

    @classmethod
    def setUpClass(cls):
        cls.gw = Gateway(*cls.GATEWAY_ARGS, tls=cls.GATEWAY_TLS, env=cls.GATEWAY_ENV).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.gw.__exit__(None, None, None)


class Response:
    def __init__(self, status, version, headers, body):
        self.status = status
        self.version = version
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower())


def curl(url, *args, timeout=20):
    """Runs curl once and returns its Response (status 0 when no answer came)."""
    with tempfile.TemporaryDirectory() as tmp:
        head, body = os.path.join(tmp, "head"), os.path.join(tmp, "body")
        cmd = ["curl", "-sS", "--max-time", str(timeout), "-k", "-D", head, "-o", body,
               "-w", "%{http_code} %{http_version}"] + list(args) + [url]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout + 5)
        status, version = done.stdout.decode().split(" ") if done.stdout else ("0", "0")
        headers = {}
        if os.path.exists(head):
            with open(head, encoding="latin-1") as f:
                lines = f.read().splitlines()
            for line in lines:
                if ":" in line and not line.startswith("HTTP/"):
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
                elif line.startswith("HTTP/"):
                    headers = {}  # keep the last response's headers only (after 101 or redirects)
        data = b""
        if os.path.exists(body):
            with open(body, "rb") as f:
                data = f.read()
        return Response(int(status), version, headers, data)


def sign_in(gw, name="alice"):
    """Signs in through the dev sign-in form; returns the Cookie header value of the session."""
    r = curl(gw.url("/signin"), "--data-urlencode", "name=" + name, "--data-urlencode", "next=/")
    assert r.status == 303, (r.status, r.text)
    return r.header("set-cookie").split(";", 1)[0]


def run(cmd, timeout=60, **kwargs):
    """Runs a command with a time bound and returns CompletedProcess with text output."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1, made with the openssl CLI."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    if not os.path.exists(cert):
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], check=True)
    return cert, key


def labgate(*args, env=None, timeout=30):
    """Runs the labgate binary with arguments and returns CompletedProcess (text)."""
    return run([LABGATE] + list(args), timeout=timeout, env=dict(os.environ, **(env or {})))


def main():
    unittest.main(verbosity=2)
