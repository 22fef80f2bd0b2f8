"""proc.py - the badge benchmark's processes: servers started and stopped as whole process groups, the
CPU time they and everything else on the machine use, their resident memory, and plain HTTP probes."""

import os
import re
import resource
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from common import CannotRun

HOST = "127.0.0.1"





class Server:
    """A server started in its own session (process group), with output to files; stop() ends the whole
    group: SIGTERM, then SIGKILL after a grace period."""

    groups = set()  # process groups of the servers started, left out of others_seconds()

    def __init__(self, name, argv, tmp, cwd=None):
        self.name = name
        self.out_path = os.path.join(tmp, f"{name}.out")
        self.err_path = os.path.join(tmp, f"{name}.err")
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._err,
                                         cwd=cwd, start_new_session=True)
        except OSError as e:
            raise CannotRun(f"cannot start {name} ({argv[0]}): {e}")
        Server.groups.add(self.proc.pid)

    @property
    def pid(self):
        return self.proc.pid

    def cpu_seconds(self):
        """User + system CPU time of every live process in the server's group (master and workers)."""
        ticks = sum(int(f[11]) + int(f[12]) for _, f in proc_stats() if int(f[2]) == self.proc.pid)
        return ticks / os.sysconf("SC_CLK_TCK")

    def alive(self):
        return self.proc.poll() is None

    def output(self):
        with open(self.out_path, "rb") as f:
            out = f.read().decode(errors="replace")
        with open(self.err_path, "rb") as f:
            err = f.read().decode(errors="replace")
        return out, err

    def stop(self, grace=10.0):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left of the group (workers of a master that died first) is killed.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._out.close()
        self._err.close()


class Meter:
    """CPU time over one measured run: the server's processes, the load generator (a child of this
    script, counted once it has been waited for), and every other user-space process on the machine."""

    def __init__(self, server):
        self.server = server
        self.t0, self.srv0, self.cli0, self.oth0 = (time.monotonic(), server.cpu_seconds(), children_seconds(),
                                                    others_seconds())

    def stop(self):
        wall = time.monotonic() - self.t0
        srv = self.server.cpu_seconds() - self.srv0
        cli = children_seconds() - self.cli0
        others = max(0.0, others_seconds() - self.oth0)
        return {"server_cpu": srv, "client_cpu": cli, "others_pct": 100 * others / (wall * os.cpu_count())}


def proc_stats():
    """(pid, fields after the command name) of every process in /proc/PID/stat."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    yield int(entry), f.read().rpartition(")")[2].split()
            except OSError:
                continue


def others_seconds():
    """CPU time of user-space processes that are neither this script (whose reaped children are the load
    generators) nor a server it started: their own time plus that of children they have reaped, so a
    process that ends during a run still counts through its parent. /proc/stat's totals are not used:
    on some virtual machines they count idle time as busy."""
    ticks = 0
    for pid, fields in proc_stats():
        ppid, pgrp = int(fields[1]), int(fields[2])
        if pid == os.getpid() or pgrp in Server.groups or pid == 2 or ppid == 2:  # 2: kthreadd
            continue
        ticks += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def children_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def http_get(url, timeout=5.0):
    """Returns (status, headers, body) of a GET over HTTP/1.1."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_ready(server, url, timeout=15.0):
    """Polls url until it answers 200, or fails with the server's own output."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if not server.alive():
            break
        try:
            status, _, body = http_get(url, timeout=2.0)
            if status == 200:
                return body
            last = f"status {status}"
        except (OSError, urllib.error.URLError) as e:
            last = str(e)
        time.sleep(0.1)
    out, err = server.output()
    state = "exited" if not server.alive() else f"did not answer in {timeout:.0f}s ({last})"
    raise CannotRun(f"{server.name} {state}\n{(out + err).strip()[-2000:]}")


def h2_get(url, timeout=10.0):
    """Returns the body of a GET over h2c with prior knowledge (nghttp)."""
    r = subprocess.run(["nghttp", url], capture_output=True, timeout=timeout)
    if r.returncode != 0:
        raise CannotRun(f"nghttp {url} failed: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout


def vm_status(pid):
    """VmRSS and VmHWM of pid in bytes."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def metrics_rss(base):
    try:
        _, _, body = http_get(base + "/metrics")
    except (OSError, urllib.error.URLError):
        return None
    m = re.search(rb"^process_resident_memory_bytes\s+([0-9.e+]+)", body, re.M)
    return int(float(m.group(1))) if m else None
