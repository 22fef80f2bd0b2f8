"""stack.py - bench/queue's processes: redis-server with a small RESP client (all parts), and for parts 2 and 3
the rest of the import stack: a `git daemon` serving a synthetic repository of small notebooks (nbrepo.py),
`labgate gateway` with dev sign-in and `labgate worker`; plus what reads processes' CPU time and memory from
/proc. Every process runs in a process group of its own, is registered when started, and stop_all() ends
them all (SIGTERM to the group, then SIGKILL): `run` calls it on every way out."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from common import CannotRun

HOST = "127.0.0.1"
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


class Stop(Exception):
    """Raised from a signal handler so that cleanup runs."""


def on_signal(signum, _frame):
    raise Stop(signal.Signals(signum).name)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


EXCLUDED_GROUPS = set()  # process groups that are part of the benchmark (not "others")
STARTED = []  # every Service started and not yet stopped


def proc_cpu(pid):
    """User + system CPU seconds of a live process (all its threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_tree_cpu(pid):
    """CPU seconds of a live process, plus those of the children it has reaped (cutime, cstime): for a
    worker, its `mirror-fetch` children count too."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return sum(int(x) for x in fields[11:15]) / TICK


def proc_threads_cpu(pid):
    """{thread name: CPU seconds} of a live process's threads (names as in /proc/PID/task/TID/comm, with the
    TID when several share one)."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rpartition(")")[2].split()
        out[f"{name}/{tid}"] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def proc_status(pid):
    """{field: bytes} of the memory fields of /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile, ...)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                v = v.split()
                if len(v) == 2 and v[1] == "kB":
                    out[k] = int(v[0]) * 1024
                elif k == "Threads":
                    out[k] = int(v[0])
    except OSError:
        pass
    return out


def others_seconds():
    """CPU time used so far by user-space processes other than this script and the benchmark's process
    groups: their own time plus that of children they reaped."""
    ticks = 0
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        pid, ppid, pgrp = int(entry), int(fields[1]), int(fields[2])
        if pid == me or pgrp in EXCLUDED_GROUPS or pid == 2 or ppid == 2:  # 2: kthreadd
            continue
        ticks += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / TICK


def fs_type(path):
    """The file system type of the mount holding path (from /proc/self/mounts), e.g. tmpfs or ext4."""
    path = os.path.realpath(path)
    best, kind = "", "?"
    try:
        with open("/proc/self/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3:
                    mnt = parts[1].replace("\\040", " ")
                    if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                        best, kind = mnt, parts[2]
    except OSError:
        pass
    return kind


# --- processes ------------------------------------------------------------------------------------------------

class Service:
    """A long-running process in its own process group, output to a log file; registered in STARTED."""

    def __init__(self, name, argv, log_path, env=None, cwd=None, preexec=None):
        self.name, self.argv, self.log_path = name, argv, log_path
        self._log = open(log_path, "ab")
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                         env=env, cwd=cwd, start_new_session=True, preexec_fn=preexec)
        except OSError as e:
            self._log.close()
            raise CannotRun(f"cannot start {name} ({argv[0]}): {e}")
        self.pid = self.proc.pid
        EXCLUDED_GROUPS.add(self.pid)
        STARTED.append(self)

    def alive(self):
        return self.proc.poll() is None

    def log_tail(self, n=800):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, 2)
                size = f.tell()
                f.seek(max(0, size - n))
                return f.read().decode(errors="replace").strip()
        except OSError:
            return "(no log)"

    def cpu(self):
        try:
            return proc_cpu(self.pid)
        except OSError:
            return None

    def stop(self, timeout=10):
        """SIGTERM to the group, SIGKILL after timeout; returns the exit status (None if killed)."""
        rc = None
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
                rc = self.proc.wait(timeout=timeout)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                rc = None
        else:
            rc = self.proc.returncode
        try:
            os.killpg(self.pid, signal.SIGKILL)  # anything the group left behind
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()
        if self in STARTED:
            STARTED.remove(self)
        EXCLUDED_GROUPS.discard(self.pid)
        return rc


def stop_all():
    """Stops every Service still running, the newest first."""
    for s in list(reversed(STARTED)):
        try:
            s.stop(timeout=5)
        except Exception as e:  # noqa: BLE001 - cleanup goes on
            log(f"stopping {s.name}: {e}")


class Redis:
    """redis-server on a free port of 127.0.0.1, no persistence, in its own process group; and a minimal
    RESP client for the benchmark's own commands (FLUSHALL, INFO, ...)."""

    def __init__(self, tmp):
        self.port = free_port()
        self.dir = os.path.join(tmp, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "redis.log")
        argv = ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no",
                "--dir", self.dir, "--logfile", self.log_path, "--daemonize", "no"]
        self.svc = Service("redis-server", argv, os.path.join(self.dir, "stdout.log"))
        self.proc = self.svc.proc
        self.sock = None
        deadline = time.monotonic() + 10
        while True:
            if self.proc.poll() is not None:
                raise CannotRun(f"redis-server exited with status {self.proc.returncode}: {self.log_tail()}")
            try:
                self.sock = socket.create_connection((HOST, self.port), timeout=2)
                self.rfile = self.sock.makefile("rb")
                if self.call("PING") == "PONG":
                    break
            except OSError:
                if self.sock:
                    self.sock.close()
                    self.sock = None
            if time.monotonic() > deadline:
                raise CannotRun(f"redis-server did not answer on port {self.port}: {self.log_tail()}")
            time.sleep(0.05)
        self.sock.settimeout(120)
        self.url = f"redis://{HOST}:{self.port}"

    def log_tail(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-500:].strip()
        except OSError:
            return "(no log)"

    def call(self, *args):
        out = [f"*{len(args)}\r\n".encode()]
        for a in args:
            b = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(out))
        return self._reply()

    def _reply(self):
        line = self.rfile.readline()
        if not line:
            raise CannotRun("redis-server closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise CannotRun(f"redis-server refused a command: {rest.decode(errors='replace')}")
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.rfile.read(n + 2)[:-2]
            return data.decode(errors="replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._reply() for _ in range(n)]
        raise CannotRun(f"unexpected answer from redis-server: {line[:80]!r}")

    def info(self, section):
        """INFO section as {name: value} (values that look like numbers as numbers)."""
        out = {}
        for line in self.call("INFO", section).splitlines():
            if ":" in line and not line.startswith("#"):
                k, v = line.split(":", 1)
                try:
                    out[k] = float(v) if "." in v else int(v)
                except ValueError:
                    out[k] = v
        return out

    def commandstats(self):
        """{command: (calls, usec)} since the last CONFIG RESETSTAT; commands that scripts call included."""
        out = {}
        for k, v in self.info("commandstats").items():
            if k.startswith("cmdstat_") and isinstance(v, str):
                f = dict(x.split("=", 1) for x in v.split(","))
                out[k[len("cmdstat_"):]] = (int(f["calls"]), int(f["usec"]))
        return out

    def cpu(self):
        return proc_cpu(self.proc.pid)

    def stop(self):
        if self.sock:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None
        self.svc.stop()


class GitDaemon:
    """`git daemon` serving every repository under root on 127.0.0.1, its --verbose log in tmp, so that
    upload-pack requests (fetches) can be counted."""

    def __init__(self, root, tmp):
        self.port = free_port()
        self.log_path = os.path.join(tmp, "git-daemon.log")
        argv = ["git", "daemon", f"--listen={HOST}", f"--port={self.port}", f"--base-path={root}", "--export-all",
                "--reuseaddr", "--verbose", "--max-connections=0", root]
        self.svc = Service("git daemon", argv, self.log_path)
        deadline = time.monotonic() + 10
        while True:
            if not self.svc.alive():
                raise CannotRun(f"git daemon exited: {self.svc.log_tail()}")
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise CannotRun("git daemon did not listen within 10s")
                time.sleep(0.05)
        self.url = f"git://{HOST}:{self.port}"

    def upload_packs(self):
        """Upload-pack requests logged so far."""
        with open(self.log_path, "rb") as f:
            return f.read().count(b"Request upload-pack for ")

    def stop(self):
        self.svc.stop()


def labgate_env(redis, tmp_work, github_url, **extra):
    """The environment the gateway and workers share: every LABGATE_* from the caller's environment
    removed (so that none leaks in), then Redis, the git server, the projects and cache directories."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABGATE_")}
    env.update(LABGATE_REDIS=redis.url, LABGATE_GITHUB_URL=github_url,
               LABGATE_PROJECTS_DIR=os.path.join(tmp_work, "projects"),
               LABGATE_CACHE_DIR=os.path.join(tmp_work, "cache"), LABGATE_RUNTIME="none")
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Gateway:
    """`labgate gateway` on a free port of 127.0.0.1 with dev sign-in; ready once /healthz answers."""

    def __init__(self, binary, tmp, env, threads, log_level="warn", extra=()):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        d = os.path.join(tmp, f"gateway-{self.port}")
        os.makedirs(d, exist_ok=True)
        argv = [binary, "gateway", "--listen", f"{HOST}:{self.port}", "--threads", str(threads), "--auth", "dev",
                "--log-level", log_level] + list(extra)
        self.svc = Service("labgate gateway", argv, os.path.join(d, "gateway.log"), env=env, cwd=d)
        self.pid = self.svc.pid
        deadline = time.monotonic() + 15
        while True:
            if not self.svc.alive():
                raise CannotRun(f"the gateway exited with status {self.svc.proc.returncode}: {self.svc.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CannotRun(f"the gateway did not answer /healthz within 15s: {self.svc.log_tail()}")
            time.sleep(0.05)

    def metrics(self):
        """{name{labels}: value} from /metrics."""
        out = {}
        with urllib.request.urlopen(self.url + "/metrics", timeout=30) as r:
            for line in r.read().decode(errors="replace").splitlines():
                if line and not line.startswith("#"):
                    k, _, v = line.rpartition(" ")
                    try:
                        out[k] = float(v)
                    except ValueError:
                        pass
        return out

    def stop(self):
        return self.svc.stop(timeout=15)


class Worker:
    """`labgate worker` with worker_concurrency C."""

    def __init__(self, binary, tmp, env, concurrency, index=0, log_level="warn"):
        self.log_path = os.path.join(tmp, f"worker-{index}-{int(time.time() * 1000)}.log")
        argv = [binary, "worker", "--worker-concurrency", str(concurrency), "--log-level", log_level]
        self.svc = Service(f"labgate worker {index}", argv, self.log_path, env=env)
        self.pid = self.svc.pid

    def stop(self):
        return self.svc.stop(timeout=15)
