"""test_limits.py - malformed, oversized and hostile requests get clean 4xx answers or a closed
connection, and the gateway keeps serving everyone else: huge headers and queries, bodies over the
limit, slow clients, too many connections, invalid bytes, and HTTP/2 stream floods."""

import re
import socket
import threading
import time
import unittest

import h2raw
from harness import Gateway, GatewayTestCase, curl, main


def raw_http1(port, data, timeout=10):
    """Sends bytes on a fresh connection and returns everything the server wrote until it closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        return out


def resident_bytes(gw):
    text = curl(gw.url("/metrics")).text
    return int(re.search(r"\nprocess_resident_memory_bytes (\d+)\n", text).group(1))


class Limits(GatewayTestCase):
    GATEWAY_ARGS = ("--max-header-bytes", "16k", "--max-body-bytes", "64k", "--request-timeout", "1s",
                    "--max-streams", "10")
    # In the sanitizer build, AddressSanitizer holds freed memory in a quarantine (256 MB by default):
    # keep it small so that resident memory still says whether the gateway itself grows.
    GATEWAY_ENV = {"ASAN_OPTIONS": "quarantine_size_mb=16"}

    def tearDown(self):
        self.assertEqual(curl(self.gw.url("/healthz")).status, 200, "the gateway stopped serving others")

    def test_large_header_http1_is_431(self):
        r = curl(self.gw.url("/healthz"), "-H", "X-Big: " + "y" * 20000)
        self.assertEqual(r.status, 431)
        self.assertIn("too large", r.text)

    def test_large_header_http2_is_431(self):
        c = h2raw.Connection(self.gw.port)
        sid = c.new_stream()
        c.send(c.headers(sid, h2raw.request_block("/healthz", extra=[("x-big", "y" * 20000)])))
        f = c.frames_until(lambda f: f[0] == h2raw.HEADERS and f[2] == sid)
        self.assertIsNotNone(f)
        self.assertEqual(h2raw.response_status(f[3]), 431)
        c.close()

    def test_header_beyond_the_parser_limit_is_refused(self):
        out = raw_http1(self.gw.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 600000 + b"\r\n\r\n")
        self.assertRegex(out[:12], rb"^(HTTP/1.1 4\d\d|)$")

    def test_ten_megabyte_query_http1(self):
        out = raw_http1(self.gw.port, b"GET /badge.svg?label=" + b"x" * 10_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertRegex(out[:12], rb"^(HTTP/1.1 4\d\d|)$", out[:200])

    def test_ten_megabyte_query_http2(self):
        c = h2raw.Connection(self.gw.port)
        sid = c.new_stream()
        try:
            c.send(c.headers(sid, h2raw.request_block("/badge.svg?label=" + "x" * 10_000_000)))
        except (BrokenPipeError, ConnectionResetError):
            pass
        f = c.frames_until(lambda f: f[2] == sid and f[0] in (h2raw.HEADERS, h2raw.RST_STREAM) or f[0] == h2raw.GOAWAY)
        # refused one way or another: the connection closed (None), GOAWAY, RST_STREAM, or a 4xx answer
        if f is not None and f[0] == h2raw.HEADERS:
            self.assertIn(h2raw.response_status(f[3]) // 100, (4,))
        c.close()

    def test_body_over_the_limit_http1_is_413(self):
        r = curl(self.gw.url("/healthz"), "--data-binary", "@-", "-H", "Expect:")
        self.assertEqual(r.status, 405)
        out = raw_http1(self.gw.port, b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" +
                        b"z" * 200000)
        self.assertTrue(out.startswith(b"HTTP/1.1 413"), out[:100])

    def test_body_over_the_limit_http2_resets_the_stream(self):
        c = h2raw.Connection(self.gw.port)
        sid = c.new_stream()
        c.send(c.headers(sid, h2raw.request_block("/healthz", method="POST"), end_stream=False))
        c.send(h2raw.frame(h2raw.DATA, 0, sid, b"z" * 16384) * 4 + h2raw.frame(h2raw.DATA, h2raw.END_STREAM, sid, b"z"))
        f = c.frames_until(lambda f: f[2] == sid and f[0] in (h2raw.HEADERS, h2raw.RST_STREAM) or f[0] == h2raw.GOAWAY)
        self.assertIsNotNone(f)
        self.assertIn(f[0], (h2raw.RST_STREAM, h2raw.GOAWAY))
        c.close()

    def test_slow_client_is_cut_off(self):
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.gw.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            got = s.recv(1000)
        self.assertLess(time.monotonic() - start, 5)
        self.assertRegex(got, re.compile(rb"^(|HTTP/1.1 408.*)$", re.S))

    def test_invalid_bytes_in_the_request_line(self):
        out = raw_http1(self.gw.port, b"GET /import/github/o/r/blob/main/\xff\xfe.ipynb HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400"), out[:100])
        out = raw_http1(self.gw.port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n")
        self.assertRegex(out[:12], rb"^(HTTP/1.1 4\d\d|)$")

    def test_stream_flood_with_resets(self):
        """HEADERS then RST_STREAM, as fast as the socket takes them (the 2023 "rapid reset" pattern)."""
        stop = time.monotonic() + 3
        sent = [0]

        def flood():
            c = h2raw.Connection(self.gw.port)
            block = h2raw.request_block("/badge.svg")
            try:
                while time.monotonic() < stop:
                    batch = b""
                    for _ in range(200):
                        sid = c.new_stream()
                        batch += c.headers(sid, block) + h2raw.frame(h2raw.RST_STREAM, 0, sid, b"\0\0\0\x08")
                    c.send(batch)
                    sent[0] += 200
                    if c.next_stream > 2 ** 31 - 1000:
                        break
            except OSError:
                pass
            c.close()

        rss_before = resident_bytes(self.gw)
        flooders = [threading.Thread(target=flood) for _ in range(2)]
        for t in flooders:
            t.start()
        served = 0
        while time.monotonic() < stop:
            r = curl(self.gw.url("/healthz"), timeout=5)
            self.assertEqual(r.status, 200)
            served += 1
        for t in flooders:
            t.join(10)
        self.assertGreater(sent[0], 1000)
        self.assertGreater(served, 3)
        self.assertLess(resident_bytes(self.gw) - rss_before, 64 << 20, "the flood made the gateway grow")

    def test_too_many_concurrent_streams_are_refused(self):
        c = h2raw.Connection(self.gw.port)
        block = h2raw.request_block("/healthz")
        sids = [c.new_stream() for _ in range(300)]
        c.send(b"".join(c.headers(sid, block, end_stream=False) for sid in sids))
        refused = 0
        while True:
            f = c.frames_until(lambda f: f[0] in (h2raw.RST_STREAM, h2raw.GOAWAY))
            if f is None or f[0] == h2raw.GOAWAY:
                break
            refused += 1
            if refused >= 200:
                break
        self.assertGreaterEqual(refused, 200)
        c.close()


class SlowClients(GatewayTestCase):
    GATEWAY_ARGS = ("--response-timeout", "1s")

    def test_http2_client_that_never_opens_its_window_is_cut(self):
        c = h2raw.Connection(self.gw.port, settings=[(h2raw.SETTINGS_INITIAL_WINDOW_SIZE, 16)])
        sid = c.new_stream()
        c.send(c.headers(sid, h2raw.request_block("/metrics")))
        start = time.monotonic()
        self.assertIsNone(c.frames_until(lambda f: False), "the connection should have been closed")
        self.assertLess(time.monotonic() - start, 5)
        self.gw.wait_for_log(r"event=slow_client_cut route=metrics")
        c.close()

    def test_http1_client_that_never_reads_is_cut(self):
        s = socket.create_connection(("127.0.0.1", self.gw.port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 3000)  # and never read
        self.gw.wait_for_log(r"event=slow_client_cut", timeout=5)
        deadline = time.monotonic() + 5
        while "\nlabgate_http_connections 1\n" not in curl(self.gw.url("/metrics")).text:
            self.assertLess(time.monotonic(), deadline, "the gateway still holds the slow connection")
            time.sleep(0.2)
        s.close()


class Connections(unittest.TestCase):
    def test_connections_beyond_the_limit_are_closed(self):
        with Gateway("--max-connections", "4", threads=1) as gw:
            idle = [socket.create_connection(("127.0.0.1", gw.port), timeout=5) for _ in range(4)]
            time.sleep(0.3)
            extra = socket.create_connection(("127.0.0.1", gw.port), timeout=5)
            self.assertEqual(extra.recv(10), b"")
            gw.wait_for_log(r"event=connection_refused")
            extra.close()
            for s in idle:
                s.close()
            time.sleep(0.3)
            self.assertEqual(curl(gw.url("/healthz")).status, 200)


if __name__ == "__main__":
    main()
