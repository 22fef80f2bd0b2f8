"""test_shutdown.py - SIGTERM and SIGINT stop the gateway gracefully: idle connections do not hold it,
a response being sent is finished first, a client that never reads is cut off at shutdown_timeout,
and the exit code is 0 each time."""

import signal
import socket
import time
import unittest

import h2raw
from harness import Gateway, curl, main


def start_slow_download(port):
    """An HTTP/2 request for /metrics whose client grants a 16-byte window: the response stays in
    flight until the client opens the window. Returns (connection, stream id)."""
    c = h2raw.Connection(port, settings=[(h2raw.SETTINGS_INITIAL_WINDOW_SIZE, 16)])
    sid = c.new_stream()
    c.send(c.headers(sid, h2raw.request_block("/metrics")))
    first = c.frames_until(lambda f: f[0] == h2raw.DATA and f[2] == sid)
    assert first is not None and len(first[3]) == 16, first
    return c, sid


class Shutdown(unittest.TestCase):
    def test_idle_connections_do_not_hold_it(self):
        with Gateway() as gw:
            idle = [socket.create_connection(("127.0.0.1", gw.port)) for _ in range(3)]
            idle[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            idle[0].recv(1000)
            self.assertEqual(curl(gw.url("/healthz"), "--http2-prior-knowledge").status, 200)
            start = time.monotonic()
            self.assertEqual(gw.stop(), 0)
            self.assertLess(time.monotonic() - start, 3)
            gw.wait_for_log(r"event=stopping signal=Terminated")
            gw.wait_for_log(r"event=stopped")
            for s in idle:
                s.close()

    def test_sigint(self):
        with Gateway() as gw:
            self.assertEqual(gw.stop(signal.SIGINT), 0)
            gw.wait_for_log(r"event=stopping signal=Interrupt")

    def test_response_in_flight_is_finished(self):
        with Gateway("--shutdown-timeout", "15s", threads=1) as gw:
            c, sid = start_slow_download(gw.port)
            gw.proc.send_signal(signal.SIGTERM)
            gw.wait_for_log(r"event=stopping")
            goaway = c.frames_until(lambda f: f[0] == h2raw.GOAWAY)
            self.assertIsNotNone(goaway)
            time.sleep(0.5)
            self.assertIsNone(gw.proc.poll(), "it must wait for the response being sent")
            c.send(h2raw.window_update(0, 1 << 20) + h2raw.window_update(sid, 1 << 20))
            body = b""
            while True:
                f = c.frames_until(lambda f: f[0] == h2raw.DATA and f[2] == sid)
                self.assertIsNotNone(f, "the stream was cut")
                body += f[3]
                if f[1] & h2raw.END_STREAM:
                    break
            self.assertIn(b"labgate_build_info", body)
            self.assertRegex(body, rb'labgate_job_duration_seconds_count\{outcome="failed"\} \d+\n$')
            c.close()
            self.assertEqual(gw.proc.wait(10), 0)

    def test_second_signal_stops_at_once(self):
        with Gateway("--shutdown-timeout", "30s", threads=1) as gw:
            c, _ = start_slow_download(gw.port)
            gw.proc.send_signal(signal.SIGTERM)
            gw.wait_for_log(r"event=stopping")
            start = time.monotonic()
            self.assertEqual(gw.stop(signal.SIGINT), 1)
            self.assertLess(time.monotonic() - start, 3)
            gw.wait_for_log(r"event=stopping_now signal=Interrupt")
            c.close()

    def test_client_that_never_reads_is_cut_at_the_deadline(self):
        with Gateway("--shutdown-timeout", "1s", threads=1) as gw:
            c, _ = start_slow_download(gw.port)
            start = time.monotonic()
            self.assertEqual(gw.stop(), 0)
            self.assertLess(time.monotonic() - start, 4)
            gw.wait_for_log(r"event=shutdown_deadline")
            c.close()

if __name__ == "__main__":
    main()
