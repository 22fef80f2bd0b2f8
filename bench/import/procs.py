"""procs.py - the import benchmark's processes: the git daemon (its own process group, --verbose log to a
file, upload-pack requests counted from that log), and commands timed one by one or many at once, each
with its exit status, output and resource usage from wait4 (CPU time, and the peak resident memory of
the largest process in its tree: the command or any child it waited for)."""

import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time

from common import CannotRun

HOST = "127.0.0.1"
UPLOAD_PACK = re.compile(r"Request upload-pack for '([^']*)'")





def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


EXCLUDED_GROUPS = set()  # process groups that are part of the benchmark (the git daemon and its children)


def others_seconds():
    """CPU time used so far by user-space processes other than this script and the git daemon's group:
    their own time plus that of the children they have reaped, so a process that ends during a run
    still counts through its parent. The command measured is not in /proc before it starts or after it
    is reaped, so it is not counted either."""
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
    return ticks / os.sysconf("SC_CLK_TCK")


class GitDaemon:
    """git daemon serving every repository under root on 127.0.0.1:port, verbose log in log_path."""

    def __init__(self, root, tmp):
        self.port = free_port()
        self.log_path = os.path.join(tmp, "git-daemon.log")
        self._log = open(self.log_path, "wb")
        argv = ["git", "daemon", f"--listen={HOST}", f"--port={self.port}", f"--base-path={root}", "--export-all",
                "--reuseaddr", "--verbose", "--max-connections=0", root]
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                     start_new_session=True)
        EXCLUDED_GROUPS.add(self.proc.pid)
        deadline = time.monotonic() + 10
        while True:
            if self.proc.poll() is not None:
                raise CannotRun(f"git daemon exited: {self.log_text().strip()[-1000:]}")
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise CannotRun("git daemon did not listen within 10s")
                time.sleep(0.05)
        self.url = f"git://{HOST}:{self.port}"

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def log_size(self):
        return os.path.getsize(self.log_path)

    def upload_packs(self, since, settle=0.2):
        """[repository path] of every upload-pack request logged after byte offset since."""
        time.sleep(settle)  # the daemon's child logs the request before running upload-pack; be safe
        with open(self.log_path, "rb") as f:
            f.seek(since)
            text = f.read().decode(errors="replace")
        return UPLOAD_PACK.findall(text)

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()


class Result:
    __slots__ = ("argv", "rc", "wall", "cpu", "maxrss", "out", "err", "others_pct")

    def __repr__(self):
        return f"Result(rc={self.rc}, wall={self.wall:.3f}, cpu={self.cpu:.3f}, maxrss={self.maxrss})"


def _status_to_rc(status):
    return os.waitstatus_to_exitcode(status)


# GNU time reports the peak RSS of the command's tree without this (large) Python process in it: a
# child's ru_maxrss starts at its parent's high-water mark, which it keeps from before its exec.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


class _Started:
    """A command started with its output going to anonymous temporary files."""

    def __init__(self, argv, cwd=None, env=None, meter=True):
        self.argv = argv
        self.oth0 = others_seconds() if meter else None
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.rss_file = None
        full = argv
        if GNU_TIME:
            fd, self.rss_file = tempfile.mkstemp(prefix="rss-")
            os.close(fd)
            full = [GNU_TIME, "-f", "%M", "-o", self.rss_file, "--"] + list(argv)
        self.t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=self.out, stderr=self.err, cwd=cwd,
                                         env=env, start_new_session=True)
        except OSError as e:
            raise CannotRun(f"cannot start {argv[0]}: {e}")

    def wait(self, timeout):
        """Waits with wait4 (for the rusage); kills the whole group at timeout. Returns a Result."""
        timer = threading.Timer(timeout, self._kill)
        timer.start()
        try:
            _, status, ru = os.wait4(self.proc.pid, 0)
        finally:
            timer.cancel()
        r = Result()
        r.wall = time.monotonic() - self.t0
        r.argv = self.argv
        r.rc = _status_to_rc(status)
        self.proc.returncode = r.rc  # reaped here, not by Popen
        r.cpu = ru.ru_utime + ru.ru_stime
        r.others_pct = (100 * max(0.0, others_seconds() - self.oth0) / (r.wall * os.cpu_count())
                        if self.oth0 is not None and r.wall > 0 else None)
        r.maxrss = ru.ru_maxrss * 1024
        if self.rss_file:
            try:
                with open(self.rss_file) as f:
                    r.maxrss = int(f.read().split()[-1]) * 1024
            except (OSError, ValueError, IndexError):
                r.maxrss = None
            os.unlink(self.rss_file)
        for name in ("out", "err"):
            f = getattr(self, name)
            f.seek(0)
            setattr(r, name, f.read().decode(errors="replace"))
            f.close()
        if r.rc == -signal.SIGKILL and r.wall >= timeout:
            r.err += f"\n(killed by the benchmark after {timeout:.0f}s)"
        return r

    def _kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run(argv, timeout=300, cwd=None, env=None):
    """Runs one command to its end; Result with its wall time, CPU, peak RSS and output."""
    return _Started(argv, cwd, env).wait(timeout)


def run_many(argvs, timeout=300, env=None):
    """Starts all commands at once (one after the other, as fast as Popen goes), waits for all; returns
    (wall seconds from the first start to the last exit, [Result] in argv order)."""
    oth0 = others_seconds()
    started = [_Started(a, env=env, meter=False) for a in argvs]
    results = [None] * len(started)

    def reap(i):
        results[i] = started[i].wait(timeout)

    threads = [threading.Thread(target=reap, args=(i,)) for i in range(len(started))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t0 = started[0].t0
    wall = max(s.t0 + r.wall for s, r in zip(started, results)) - t0
    others = 100 * max(0.0, others_seconds() - oth0) / (wall * os.cpu_count())
    for r in results:
        r.others_pct = others
    return wall, results
