"""test_pages.py - the link maker (/), the links API, the import confirm page and its redirect, 404 and
405 answers, and the embedded assets: right status, right content, clear words on bad input."""

import json
import socket
import urllib.parse

import h2raw

from harness import Gateway, GatewayTestCase, curl, main, sign_in



def raw_request(port, data):
    """Sends one request as given; returns all the server wrote until it closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


NB = "https://github.com/jupyter/notebook/blob/main/docs/source/examples/Notebook/Running%20Code.ipynb"


class Pages(GatewayTestCase):

    def get(self, path, *args):
        return curl(self.gw.url(path), *args)

    def get_signed_in(self, path, *args):
        if not hasattr(self, "cookie"):
            type(self).cookie = sign_in(self.gw, "alice")
        return self.get(path, "-H", "Cookie: " + self.cookie, *args)

    def links(self, url):
        r = self.get("/api/v1/links?url=" + urllib.parse.quote(url, safe=""))
        self.assertEqual(r.header("content-type"), "application/json")
        return r, json.loads(r.body)

    # the links API

    def test_links_for_a_notebook(self):
        r, body = self.links(NB)
        self.assertEqual(r.status, 200)
        base = self.gw.base
        want = base + "/import/github/jupyter/notebook/blob/main/docs/source/examples/Notebook/Running%20Code.ipynb"
        self.assertEqual(body["import_url"], want)
        self.assertEqual(body["badge_url"], base + "/badge.svg")
        self.assertEqual(body["markdown"], "[![Open in labgate](%s/badge.svg)](%s)" % (base, want))
        self.assertEqual(body["html"], '<a href="%s"><img src="%s/badge.svg" alt="Open in labgate"></a>' % (want, base))
        self.assertEqual(body["rst"], ".. image:: %s/badge.svg\n   :target: %s\n   :alt: Open in labgate" % (base, want))
        self.assertEqual(body["link"]["kind"], "blob")
        self.assertEqual(r.header("access-control-allow-origin"), "*")

    def test_links_every_form_gives_the_same_import_link(self):
        forms = ["https://github.com/Owner/Repo", "http://www.github.com/Owner/Repo.git", "github.com/Owner/Repo/",
                 "https://github.com/Owner/Repo?tab=readme#top", "git@github.com:Owner/Repo.git"]
        urls = {self.links(f)[1]["import_url"] for f in forms}
        self.assertEqual(urls, {self.gw.base + "/import/github/Owner/Repo"})

    def test_links_ambiguous_ref_lists_candidates_longest_first(self):
        _, body = self.links("https://github.com/o/r/blob/feature/x/nb.ipynb")
        self.assertEqual(body["link"]["candidates"],
                         [{"ref": "feature/x", "path": "nb.ipynb"}, {"ref": "feature", "path": "x/nb.ipynb"}])

    def test_links_public_url_wins_over_host(self):
        with Gateway("--public-url", "https://labgate.example.org/") as gw:
            r = curl(gw.url("/api/v1/links?url=github.com/o/r"))
            self.assertEqual(json.loads(r.body)["import_url"], "https://labgate.example.org/import/github/o/r")

    def test_links_errors_are_json_with_code_and_message(self):
        cases = {
            "https://gitlab.com/o/r": "not a GitHub link",
            "https://github.com/o--o/r": "o--o",
            "https://github.com/o/r/issues/1": "cannot be imported",
            "https://github.com/o/r/blob/main/../../etc/passwd": "..",
            "https://github.com/o/r/blob/main/a%00b": "control character",
            "https://github.com/o/r/blob/ma~in/nb.ipynb": "not a valid branch, tag or commit name",
            "https://github.com/o/r/blob/main/%C0%AF": "not valid UTF-8",
            "github.com.evil.com/o/r": "not a GitHub link",
        }
        for url, words in cases.items():
            r, body = self.links(url)
            self.assertEqual(r.status, 400, url)
            self.assertEqual(body["error"]["code"], "invalid_github_url", url)
            self.assertIn(words, body["error"]["message"], url)
            self.assertGreater(len(body["error"]["message"]), 20, url)

    def test_links_without_host_use_the_address_it_came_in_on(self):
        out = raw_request(self.gw.port, b"GET /api/v1/links?url=github.com/o/r HTTP/1.0\r\n\r\n")
        body = json.loads(out.split(b"\r\n\r\n", 1)[1])
        self.assertEqual(body["import_url"], "http://127.0.0.1:%d/import/github/o/r" % self.gw.port)
        out = raw_request(self.gw.port, b"GET /api/v1/links?url=github.com/o/r HTTP/1.1\r\nHost: lab.example:81\r\n"
                          b"Connection: close\r\n\r\n")
        self.assertEqual(json.loads(out.split(b"\r\n\r\n", 1)[1])["import_url"],
                         "http://lab.example:81/import/github/o/r")

    def test_links_scheme_is_not_taken_from_the_client(self):
        c = h2raw.Connection(self.gw.port)
        sid = c.new_stream()
        c.send(c.headers(sid, h2raw.request_block("/api/v1/links?url=github.com/o/r", scheme="https")))
        body = b""
        while True:
            f = c.frames_until(lambda f: f[0] == h2raw.DATA and f[2] == sid)
            self.assertIsNotNone(f)
            body += f[3]
            if f[1] & h2raw.END_STREAM:
                break
        c.close()
        self.assertTrue(json.loads(body)["import_url"].startswith("http://127.0.0.1"))

    def test_links_without_url(self):
        for q in ("", "?url=", "?other=1"):
            r = self.get("/api/v1/links" + q)
            self.assertEqual(r.status, 400)
            self.assertEqual(json.loads(r.body)["error"]["code"], "missing_url")
        r = self.get("/api/v1/links?url=%zz")
        self.assertEqual(json.loads(r.body)["error"]["code"], "bad_query")

    def test_links_huge_url(self):
        r = self.get("/api/v1/links?url=https://github.com/o/r/blob/main/" + "a" * 20000)
        self.assertEqual(r.status, 400)
        self.assertIn("error", json.loads(r.body))

    # the link maker page

    def test_home_without_url(self):
        r = self.get("/")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "text/html; charset=utf-8")
        self.assertIn('<form id="maker" method="get" action="/">', r.text)
        self.assertIn('<div id="result" hidden>', r.text)
        self.assertIn("default-src 'self'", r.header("content-security-policy"))

    def test_home_renders_result_without_javascript(self):
        r = self.get("/?url=" + urllib.parse.quote(NB, safe=""))
        self.assertEqual(r.status, 200)
        self.assertIn('<div id="result">', r.text)
        self.assertIn("[![Open in labgate](", r.text)
        self.assertIn("/import/github/jupyter/notebook/blob/main/", r.text)

    def test_home_escapes_what_was_typed(self):
        r = self.get("/?url=" + urllib.parse.quote('"><script>alert(1)</script>', safe=""))
        self.assertEqual(r.status, 400)
        self.assertNotIn("<script>alert", r.text)
        self.assertIn("&quot;&gt;&lt;script&gt;", r.text)
        self.assertIn('class="error" role="alert">', r.text)

    # the import link

    def test_import_page_for_notebook_folder_and_repository(self):
        cases = [("/import/github/o/r/blob/main/dir/nb.ipynb", "Notebook", "dir/nb.ipynb"),
                 ("/import/github/o/r/blob/v1.0/data.csv", "File", "data.csv"),
                 ("/import/github/o/r/tree/main/lessons", "Folder", "lessons"),
                 ("/import/github/o/r", "Whole repository, at its default branch", None)]
        for path, what, shown in cases:
            r = self.get_signed_in(path)
            self.assertEqual(r.status, 200, path)
            self.assertIn("<dt>What</dt><dd>%s</dd>" % what, r.text)
            self.assertIn('<dd class="repo">o/r</dd>', r.text)
            if shown:
                self.assertIn(shown, r.text)
            self.assertIn("Nothing has been copied", r.text)

    def test_import_page_unicode_and_spaces(self):
        r = self.get_signed_in("/import/github/o/r/blob/main/d%C3%A9j%C3%A0%20vu/nb.ipynb")
        self.assertEqual(r.status, 200)
        self.assertIn("déjà vu/nb.ipynb", r.text)

    def test_import_page_spells_out_invisible_characters(self):
        r = self.get_signed_in("/import/github/o/r/blob/main/x%E2%80%AEbnpyi.exe")
        self.assertEqual(r.status, 200)
        self.assertIn("x\\u202Ebnpyi.exe", r.text)
        self.assertNotIn("\u202e", r.text)

    def test_import_page_refuses_bad_links(self):
        cases = ["/import/github/o/r/blob/main/../../../etc/passwd", "/import/github/o/r/blob/main/%2e%2e/x",
                 "/import/github/o/r/blob/main/a%00b", "/import/github/-o/r", "/import/github/o/..",
                 "/import/github/o/r/blob/main/%FF.ipynb", "/import/github/o/r/blob/main/a%5Cb",
                 "/import/github/o/r/blob/ma..in/x", "/import/github/o/r/pulls", "/import/github/o",
                 "/import/github/o/r/blob/main/a%C2%85b"]
        for path in cases:
            r = self.get(path, "--path-as-is")
            self.assertEqual(r.status, 400, path)
            self.assertIn('<p class="message">', r.text, path)
            self.assertEqual(r.header("content-type"), "text/html; charset=utf-8", path)

    def test_import_redirect(self):
        r = self.get("/import?url=" + urllib.parse.quote(NB, safe=""))
        self.assertEqual(r.status, 302)
        self.assertEqual(r.header("location"),
                         "/import/github/jupyter/notebook/blob/main/docs/source/examples/Notebook/Running%20Code.ipynb")
        r = self.get("/import?url=https%3A%2F%2Fexample.com%2Fx")
        self.assertEqual(r.status, 400)
        self.assertIn("not a GitHub link", r.text)
        self.assertEqual(self.get("/import").status, 400)
        r = self.get("/import?url=github.com/o/r%00/blob/main/x.ipynb")  # a NUL must not cut the link short
        self.assertEqual(r.status, 400)
        self.assertIsNone(r.header("location"))

    # everything else

    def test_unknown_path_is_404_page(self):
        r = self.get("/nothing/here")
        self.assertEqual(r.status, 404)
        self.assertIn("There is nothing at this address", r.text)

    def test_wrong_method_is_405_with_allow(self):
        for method in ("POST", "PUT", "DELETE"):
            r = self.get("/badge.svg", "-X", method)
            self.assertEqual(r.status, 405)
            self.assertEqual(r.header("allow"), "GET,HEAD")

    def test_head_has_no_body(self):
        r = self.get("/", "-I")  # curl -I writes the head where the body would go
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.endswith(b"\r\n\r\n") and r.body.count(b"\r\n\r\n") == 1, r.body)
        self.assertGreater(int(r.header("content-length")), 500)

    def test_assets_with_etag(self):
        for name, kind in (("style.css", "text/css"), ("home.js", "text/javascript"), ("icon.svg", "image/svg+xml")):
            r = self.get("/assets/" + name)
            self.assertEqual(r.status, 200, name)
            self.assertTrue(r.header("content-type").startswith(kind), name)
            again = self.get("/assets/" + name, "-H", "If-None-Match: " + r.header("etag"))
            self.assertEqual(again.status, 304, name)
        self.assertEqual(self.get("/assets/nope.js").status, 404)
        self.assertEqual(self.get("/assets/../../etc/passwd", "--path-as-is").status, 404)


if __name__ == "__main__":
    main()
