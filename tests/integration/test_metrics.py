"""test_metrics.py - GET /metrics: Prometheus text that `promtool check metrics` accepts, with requests
counted by route and status, a latency histogram, in-flight requests and process memory."""

import re
import unittest

from harness import Gateway, curl, main, run


class Metrics(unittest.TestCase):
    def test_promtool_accepts_it_and_counts_add_up(self):
        with Gateway() as gw:
            for _ in range(5):
                curl(gw.url("/badge.svg"))
            curl(gw.url("/nope"))
            curl(gw.url("/badge.svg?style=bad"))
            curl(gw.url("/healthz"), "--http2-prior-knowledge")
            r = curl(gw.url("/metrics"))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8")
            check = run(["promtool", "check", "metrics"], input=r.text, timeout=30)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            self.assertEqual(check.stdout + check.stderr, "")
            text = r.text
            self.assertIn('labgate_http_requests_total{route="badge",code="200"} 5\n', text)
            self.assertIn('labgate_http_requests_total{route="badge",code="400"} 1\n', text)
            self.assertIn('labgate_http_requests_total{route="not_found",code="404"} 1\n', text)
            self.assertIn('labgate_http_requests_total{route="healthz",code="200"} 1\n', text)
            self.assertIn('labgate_http_request_duration_seconds_count{route="badge"} 6\n', text)
            self.assertIn('labgate_http_request_duration_seconds_bucket{route="badge",le="+Inf"} 6\n', text)
            self.assertRegex(text, r"\nlabgate_http_requests_in_flight 1\n")  # this very request
            rss = int(re.search(r"\nprocess_resident_memory_bytes (\d+)\n", text).group(1))
            self.assertGreater(rss, 1 << 20)
            self.assertRegex(text, r'\nlabgate_build_info\{version="[0-9.]+"\} 1\n')

    def test_histogram_buckets_are_cumulative(self):
        with Gateway() as gw:
            run(["h2load", "-n", "300", "-c", "3", "-m", "10", gw.url("/badge.svg")], timeout=30)
            text = curl(gw.url("/metrics")).text
            counts = [int(v) for v in re.findall(r'duration_seconds_bucket\{route="badge",le="[^"]+"\} (\d+)', text)]
            self.assertEqual(counts, sorted(counts))
            self.assertEqual(counts[-1], 300)


if __name__ == "__main__":
    main()
