"""sse_client.py - one client process of bench/queue part 3: COUNT concurrent HTTP/1.1 connections to a job's event
stream (GET /api/v1/jobs/ID/events with a session cookie), on a plain epoll loop (no asyncio: at 10,000
connections its per-read cost would be the client's lag). Standard library only.

Each connection sends its request, reads the head and the history (the `queued` event) and then waits. When the
process has all of them (or some failed), it prints `connected OK FAILED` on stdout. In mode `live` it goes on
reading as events come (with --nice, at a lower priority, so that it reads with the CPU the gateway leaves); in mode
`after` it reads nothing more until the parent writes `go` on its stdin (the job has ended and the gateway has written
every event). Either way each stream ends with the job (the chunked body's last chunk).

Arrival times come from the kernel: SO_TIMESTAMPNS on each socket makes recvmsg return when the last segment it read
arrived, so a client that reads late still sees when the event got to it. One caveat: data that waits unread is merged
into one buffer carrying the newest segment's time, so when one read returns several events, only the last one's time
is exact and the earlier ones' are upper bounds (they arrived no later); such events are counted apart. Each event is
recorded with that kernel time and the time the read returned (the difference is the client's own lag). At the end it
writes a JSON file of the delays (kernel arrival minus the event's "at", in ms) by state, the lags, failures and its
CPU time, and prints `done`."""

import argparse
import errno
import json
import os
import resource
import select
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; SCM_TIMESTAMPNS has the same value
READ = 65536
ANC = socket.CMSG_SPACE(16)

CONNECTING, SENT, STREAMING, ENDED, FAILED = range(5)


class Conn:
    __slots__ = ("sock", "state", "buf", "off", "marks", "chunk_left", "sse", "events", "error", "history",
                 "chunk_off")

    def __init__(self, sock):
        self.sock = sock
        self.state = CONNECTING
        self.buf = b""  # raw bytes not yet parsed
        self.off = 0  # raw stream offset of buf[0]
        self.marks = []  # (raw end offset, kernel s, user s) of each read not yet fully parsed
        self.chunk_left = -1  # bytes of the current chunk still to come (+2 for its CRLF); -1 between chunks
        self.chunk_off = 0  # raw offset where the current chunk's payload started
        self.sse = b""
        self.events = []  # (state, at ms, kernel s, user s)
        self.error = None
        self.history = False  # got the queued event


def stamp_of(anc):
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9
    return None


class Client:
    def __init__(self, o):
        self.o = o
        self.ep = select.epoll()
        self.conns = {}  # fd -> Conn, while open
        self.all = []  # every Conn
        self.started = 0
        self.pending = 0  # connections opened and not yet holding their history
        self.kernel_ts = True
        self.request = (f"GET {o.path} HTTP/1.1\r\nHost: {o.host}:{o.port}\r\nAccept: text/event-stream\r\n"
                        f"Cookie: {o.cookie}\r\n\r\n").encode()
        self.done_history = 0
        self.failed = 0
        self.ended = 0
        self.reading = True

    def open_more(self):
        while self.started < self.o.count and self.pending < self.o.max_connecting:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            s.setblocking(False)
            c = Conn(s)
            self.all.append(c)
            rc = s.connect_ex((self.o.host, self.o.port))
            if rc not in (0, errno.EINPROGRESS):
                c.state, c.error = FAILED, f"connect: {os.strerror(rc)}"
                self.failed += 1
                s.close()
            else:
                self.conns[s.fileno()] = c
                self.ep.register(s.fileno(), select.EPOLLOUT)
                self.pending += 1
            self.started += 1

    def fail(self, fd, c, why):
        if c.state in (ENDED, FAILED):
            return
        if not c.history:
            self.pending -= 1
            self.failed += 1
        c.state, c.error = FAILED, why
        try:
            self.ep.unregister(fd)
        except OSError:
            pass
        self.conns.pop(fd, None)
        c.sock.close()

    def on_writable(self, fd, c):
        err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            return self.fail(fd, c, f"connect: {os.strerror(err)}")
        try:
            c.sock.send(self.request)
        except OSError as e:
            return self.fail(fd, c, f"send: {e}")
        c.state = SENT
        self.ep.modify(fd, select.EPOLLIN)

    def on_readable(self, fd, c):
        """One read (level-triggered epoll reports the socket again if more is waiting)."""
        try:
            data, anc, _, _ = c.sock.recvmsg(READ, ANC)
        except BlockingIOError:
            return
        except OSError as e:
            return self.fail(fd, c, f"recv: {e}")
        now = time.time()
        if not data:
            if c.state != ENDED:
                self.fail(fd, c, "closed by the server before the stream ended")
            return
        ts = stamp_of(anc)
        if ts is None:
            self.kernel_ts = False
            ts = now
        c.buf += data
        c.marks.append((c.off + len(c.buf), ts, now))
        n = len(c.events)
        self.parse(fd, c)
        for k in range(n, len(c.events) - 1):  # all but the read's last event: upper bounds
            c.events[k] = c.events[k][:4] + (True,)
        if c.state in (ENDED, FAILED):
            return
        if c.history and not self.reading:
            self.ep.modify(fd, 0)  # `after` mode: the rest waits in the socket until `go`

    def stamp_at(self, c, offset):
        """The (kernel, user) time of the read that held raw offset."""
        while c.marks and c.marks[0][0] <= offset:
            c.marks.pop(0)
        if c.marks:
            return c.marks[0][1], c.marks[0][2]
        return None, None

    def parse(self, fd, c):
        if c.state == SENT:
            end = c.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = c.buf[:end].decode("latin-1")
            status = head.split(" ", 2)[1] if " " in head else "?"
            if status != "200" or "chunked" not in head.lower():
                return self.fail(fd, c, f"answer {status}: {head[:200]!r}")
            self.consume(c, end + 4)
            c.state = STREAMING
        while c.state == STREAMING and c.buf:
            if c.chunk_left < 0:
                nl = c.buf.find(b"\r\n")
                if nl < 0:
                    return
                size = int(c.buf[:nl].split(b";")[0], 16)
                self.consume(c, nl + 2)
                if size == 0:
                    c.state = ENDED
                    self.ended += 1
                    try:
                        self.ep.unregister(fd)
                    except OSError:
                        pass
                    self.conns.pop(fd, None)
                    c.sock.close()
                    return
                c.chunk_left = size + 2
                c.chunk_off = c.off
            take = min(c.chunk_left, len(c.buf))
            payload = min(take, max(0, c.chunk_left - 2))  # the chunk's last 2 bytes are its CRLF
            c.sse += c.buf[:payload]
            c.chunk_left -= take
            self.consume(c, take)
            if c.chunk_left == 0:
                c.chunk_left = -1
                self.events_of(fd, c)

    def consume(self, c, n):
        c.buf = c.buf[n:]
        c.off += n

    def events_of(self, fd, c):
        kts, uts = self.stamp_at(c, c.chunk_off)
        while True:
            end = c.sse.find(b"\n\n")
            if end < 0:
                return
            block, c.sse = c.sse[:end], c.sse[end + 2:]
            kind, data = None, None
            for line in block.split(b"\n"):
                if line.startswith(b"event:"):
                    kind = line[6:].strip()
                elif line.startswith(b"data:"):
                    data = line[5:].strip()
            if kind != b"state" or data is None:
                continue
            try:
                doc = json.loads(data)
            except ValueError:
                continue
            c.events.append((doc.get("state"), doc.get("at"), kts, uts, False))
            if not c.history:
                c.history = True
                self.pending -= 1
                self.done_history += 1

    def loop(self, until, deadline):
        while not until():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            for fd, ev in self.ep.poll(min(left, 0.2), 4096):
                if fd == 0:
                    line = sys.stdin.readline()
                    if line.strip() == "go":
                        self.go()
                    elif not line:
                        self.ep.unregister(0)
                    continue
                c = self.conns.get(fd)
                if c is None or c.state in (ENDED, FAILED):
                    continue
                if c.state == CONNECTING:
                    if ev & (select.EPOLLOUT | select.EPOLLERR | select.EPOLLHUP):
                        self.on_writable(fd, c)
                elif ev & (select.EPOLLIN | select.EPOLLERR | select.EPOLLHUP):
                    self.on_readable(fd, c)
            self.open_more()
        return True

    def go(self):
        """`after` mode: read everything now."""
        self.reading = True
        for fd, c in list(self.conns.items()):
            if c.state == STREAMING:
                self.ep.modify(fd, select.EPOLLIN)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", required=True)
    ap.add_argument("--cookie", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--max-connecting", type=int, default=200)
    ap.add_argument("--mode", choices=("live", "after"), default="live")
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--nice", type=int, default=0)
    o = ap.parse_args()
    if o.nice:
        os.nice(o.nice)
    cl = Client(o)
    cl.reading = o.mode == "live"
    t0 = time.monotonic()
    cl.open_more()
    ok = cl.loop(lambda: cl.done_history + cl.failed >= o.count, t0 + o.timeout)
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    connect_s = time.monotonic() - t0
    print(f"connected {cl.done_history} {cl.failed}", flush=True)
    cl.ep.register(0, select.EPOLLIN)
    t1 = time.monotonic()
    ok = cl.loop(lambda: cl.ended + cl.failed >= o.count, t1 + o.timeout) and ok
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    by_state, bounds, lags, errors, counts = {}, {}, [], {}, {}
    for c in cl.all:
        if c.error:
            errors[c.error[:120]] = errors.get(c.error[:120], 0) + 1
        elif c.state != ENDED:
            errors["stream had not ended at the timeout"] = errors.get("stream had not ended at the timeout", 0) + 1
        for k, (state, at, kts, uts, upper) in enumerate(c.events):
            if k == 0 and state == "queued":
                counts["history"] = counts.get("history", 0) + 1
                continue
            if at is None or kts is None:
                continue
            by_state.setdefault(state, []).append(round(kts * 1000 - at, 3))
            if upper:
                bounds[state] = bounds.get(state, 0) + 1
            lags.append(round((uts - kts) * 1000, 3))
    with open(o.out, "w") as f:
        json.dump({"count": o.count, "connected": cl.done_history, "failed_to_connect": cl.failed, "ended": cl.ended,
                   "errors": errors, "delays": by_state, "upper_bounds": bounds, "lags": lags, "kernel_ts": cl.kernel_ts,
                   "connect_s": connect_s, "counts": counts,
                   "cpu_connect": ru0.ru_utime + ru0.ru_stime,
                   "cpu_events": (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime),
                   "maxrss": ru1.ru_maxrss * 1024, "completed": ok}, f)
    print("done", flush=True)


if __name__ == "__main__":
    main()
