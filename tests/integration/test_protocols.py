"""test_protocols.py - the gateway speaks HTTP/1.1, HTTP/2 cleartext (prior knowledge and Upgrade) and
HTTP/2 over TLS with ALPN, to real curl, nghttp and h2load clients; every answer and log line carries
a request id."""

import unittest

from harness import GatewayTestCase, curl, main, run


class Cleartext(GatewayTestCase):

    def test_http11(self):
        r = curl(self.gw.url("/healthz"), "--http1.1")
        self.assertEqual((r.status, r.version), (200, "1.1"))
        self.assertEqual(r.body, b"ok\n")
        self.assertEqual(r.header("content-length"), "3")

    def test_http10(self):
        r = curl(self.gw.url("/healthz"), "--http1.0")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"ok\n")

    def test_h2c_prior_knowledge(self):
        r = curl(self.gw.url("/healthz"), "--http2-prior-knowledge")
        self.assertEqual((r.status, r.version), (200, "2"))

    def test_h2c_upgrade(self):
        r = curl(self.gw.url("/healthz"), "--http2")
        self.assertEqual((r.status, r.version), (200, "2"))

    def test_nghttp_prior_knowledge_and_upgrade(self):
        for extra in ([], ["-u"]):
            out = run(["nghttp", "-v", "-n"] + extra + [self.gw.url("/badge.svg")], timeout=20)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertRegex(out.stdout, r":status: 200")
            if extra:
                self.assertIn("HTTP Upgrade response", out.stdout)

    def test_h2load_many_streams(self):
        out = run(["h2load", "-n", "2000", "-c", "4", "-m", "50", self.gw.url("/badge.svg")], timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("2000 succeeded, 0 failed, 0 errored", out.stdout)
        self.assertIn("status codes: 2000 2xx", out.stdout)

    def test_request_id_on_answer_and_log(self):
        r = curl(self.gw.url("/healthz"))
        rid = r.header("x-request-id")
        self.assertRegex(rid, r"^[0-9a-f]{16}$")
        line = self.gw.wait_for_log(r"id=%s event=request" % rid)
        self.assertIn("path=/healthz", line)
        self.assertIn("status=200", line)

    def test_client_request_id_is_logged_beside_ours(self):
        r = curl(self.gw.url("/healthz"), "-H", "X-Request-Id: trace-42.a_b")
        rid = r.header("x-request-id")
        self.assertRegex(rid, r"^[0-9a-f]{16}$")
        self.assertIn("client_id=trace-42.a_b", self.gw.wait_for_log(r"id=%s event=request" % rid))
        r = curl(self.gw.url("/healthz"), "-H", "X-Request-Id: evil id=1 event=fake")
        line = self.gw.wait_for_log(r"id=%s event=request" % r.header("x-request-id"))
        self.assertIn("client_id=- ", line + " ")
        self.assertNotIn("event=fake", line)

    def test_every_log_line_has_an_id(self):
        curl(self.gw.url("/healthz"))
        for line in self.gw.log():
            self.assertRegex(line, r"^ts=\S+ level=\w+ id=\S+ event=\w+", line)


class Tls(GatewayTestCase):
    GATEWAY_TLS = True

    def test_alpn_h2(self):
        r = curl(self.gw.url("/healthz"), "--http2")
        self.assertEqual((r.status, r.version), (200, "2"))

    def test_alpn_http11(self):
        r = curl(self.gw.url("/healthz"), "--http1.1")
        self.assertEqual((r.status, r.version), (200, "1.1"))

    def test_nghttp_tls(self):
        out = run(["nghttp", "-v", "-n", self.gw.url("/badge.svg")], timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertRegex(out.stdout, r"negotiated protocol: h2")
        self.assertRegex(out.stdout, r":status: 200")

    def test_h2load_tls(self):
        out = run(["h2load", "-n", "1000", "-c", "2", "-m", "20", self.gw.url("/badge.svg")], timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("1000 succeeded, 0 failed, 0 errored", out.stdout)
        self.assertRegex(out.stdout, r"Application protocol: h2")

    def test_cleartext_on_tls_port_is_refused(self):
        r = curl("http://127.0.0.1:%d/healthz" % self.gw.port, "--http1.1", timeout=5)
        self.assertEqual(r.status, 0)
        self.assertEqual(curl(self.gw.url("/healthz")).status, 200)


class TlsMisconfigured(unittest.TestCase):
    def test_missing_key_file_is_refused_at_start(self):
        from harness import labgate, make_certificate
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            cert, _ = make_certificate(tmp)
            out = labgate("gateway", "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", tmp + "/none.pem")
            self.assertEqual(out.returncode, 2)
            self.assertIn("tls_key: cannot use", out.stderr)
            out = labgate("gateway", "--listen", "127.0.0.1:0", "--tls-cert", cert)
            self.assertEqual(out.returncode, 2)
            self.assertIn("tls_cert and tls_key go together", out.stderr)


if __name__ == "__main__":
    main()
