"""test_badge_http.py - GET /badge.svg over HTTP: parameters, caching headers, ETag and 304, and a clear
400 naming the parameter for every bad value. (The SVG itself is compared with badge-maker in
tests/badge.)"""

import re
import subprocess
import urllib.parse

from harness import Gateway, GatewayTestCase, LABGATE, curl, main


class Badge(GatewayTestCase):

    def get(self, query="", *args):
        return curl(self.gw.url("/badge.svg" + query), *args)

    def test_default_badge(self):
        r = self.get()
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "image/svg+xml; charset=utf-8")
        self.assertEqual(r.header("cache-control"), "public, max-age=86400, s-maxage=86400")
        self.assertRegex(r.header("etag"), r'^"[0-9a-f]{16}"$')
        self.assertIn('role="img" aria-label="Open in: labgate"><title>Open in: labgate</title>', r.text)
        self.assertTrue(r.text.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        self.assertIn("data:image/svg+xml;base64,", r.text)  # the Jupyter logo
        self.assertIsNone(r.header("x-request-id"), "a shared, cacheable answer names no single request")

    def test_same_svg_as_the_command(self):
        for q, flags in (("", []), ("?style=social&label=run", ["--style", "social", "--label", "run"])):
            cli = subprocess.run([LABGATE, "badge"] + flags, capture_output=True, timeout=10).stdout
            self.assertEqual(self.get(q).body + b"\n", cli)

    def test_every_style(self):
        heights = {"flat": 20, "flat-square": 20, "plastic": 18, "for-the-badge": 28, "social": 20}
        for style, height in heights.items():
            r = self.get("?style=" + style)
            self.assertEqual(r.status, 200, style)
            self.assertRegex(r.text, r'^<svg [^>]*height="%d"' % height)

    def test_parameters_change_the_badge(self):
        r = self.get("?label=run&message=my%20notebook&color=blue&labelColor=%23333&logo=none&cacheSeconds=60")
        self.assertEqual(r.status, 200)
        self.assertIn('aria-label="run: my notebook"', r.text)
        self.assertIn('fill="#007ec6"', r.text)
        self.assertIn('fill="#333"', r.text)
        self.assertNotIn("<image", r.text)
        self.assertEqual(r.header("cache-control"), "public, max-age=60, s-maxage=60")
        self.assertEqual(self.get("?cacheSeconds=0").header("cache-control"), "no-cache")

    def test_etag_and_304(self):
        r = self.get("?style=plastic")
        etag = r.header("etag")
        self.assertNotEqual(etag, self.get().header("etag"))
        for inm in (etag, "W/" + etag, '"nope", ' + etag, "*"):
            for proto in ("--http1.1", "--http2-prior-knowledge"):
                again = self.get("?style=plastic", proto, "-H", "If-None-Match: " + inm)
                self.assertEqual(again.status, 304, inm)
                self.assertEqual(again.body, b"")
                self.assertEqual(again.header("etag"), etag)
                self.assertEqual(again.header("cache-control"), r.header("cache-control"))
                self.assertIsNone(again.header("content-length"), "a 304 must not describe a body")
        self.assertEqual(self.get("?style=plastic", "-H", 'If-None-Match: "other"').status, 200)

    def test_etag_is_stable_across_threads_and_restarts(self):
        tags = {self.get("?label=x").header("etag") for _ in range(8)}
        with Gateway() as other:
            tags.add(curl(other.url("/badge.svg?label=x")).header("etag"))
        self.assertEqual(len(tags), 1)

    def test_unknown_parameters_are_ignored(self):
        self.assertEqual(self.get("?v=2&utm_source=readme").body, self.get().body)

    def test_hostile_text_is_escaped(self):
        label = '<script>alert("x")</script>&'
        r = self.get("?label=" + urllib.parse.quote(label))
        self.assertEqual(r.status, 200)
        self.assertNotIn("<script>", r.text)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;", r.text)

    def test_unicode_text(self):
        r = self.get("?label=" + urllib.parse.quote("Ouvrir dans") + "&message=" + urllib.parse.quote("実験 ✓"))
        self.assertEqual(r.status, 200)
        self.assertIn("実験 ✓", r.text)
        width = int(re.search(r'width="(\d+)"', r.text).group(1))
        self.assertGreater(width, 100)

    def test_bad_parameters_are_400_naming_the_parameter(self):
        cases = {
            "?style=round": "style",
            "?color=notacolor": "color",
            "?labelColor=12345": "labelColor",
            "?logo=python": "logo",
            "?cacheSeconds=-1": "cacheSeconds",
            "?cacheSeconds=99999999999": "cacheSeconds",
            "?cacheSeconds=1e3": "cacheSeconds",
            "?label=%FF%FE": "label",
            "?message=a%00b": "message",
            "?message=a%0Ab": "message",
            "?label=" + "x" * 300: "label",
            "?color=%zz": "color",
        }
        for query, name in cases.items():
            r = self.get(query)
            self.assertEqual(r.status, 400, query)
            self.assertEqual(r.header("content-type"), "text/plain; charset=utf-8")
            self.assertTrue(r.text.startswith(name + ":"), (query, r.text))
            self.assertGreater(len(r.text), len(name) + 10, query)

    def test_head(self):
        r = self.get("", "-I")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.endswith(b"\r\n\r\n"))
        self.assertEqual(int(r.header("content-length")), len(self.get().body))

    def test_many_distinct_badges(self):
        """More distinct badges than the per-thread caches hold, fetched twice: every answer is right."""
        urls = [self.gw.url("/badge.svg?label=n%d" % i) for i in range(2600)]
        for _ in range(2):
            out = subprocess.run(["curl", "-sS", "--max-time", "60"] + urls, capture_output=True, timeout=90)
            bodies = out.stdout.decode().split("</svg>")[:-1]
            self.assertEqual(len(bodies), len(urls))
            for i, body in enumerate(bodies):
                self.assertIn('aria-label="n%d: labgate"' % i, body)

if __name__ == "__main__":
    main()
