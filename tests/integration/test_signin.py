"""test_signin.py - signing in and sessions: the dev sign-in form and where it goes back to, the signed
session cookie (what it carries, what a changed or foreign one counts as), sharing sessions between
gateways through session_secret, signing out with the CSRF token, header sign-in behind a trusted proxy,
and the configurations the gateway refuses to start with."""

import hashlib
import hmac
import json
import re
import time
import unittest
import urllib.parse

from harness import Gateway, GatewayTestCase, curl, labgate, main

NOWHERE = "redis://127.0.0.1:1"  # no Redis: only queueing needs it, and that answers 503
SECRET = "s3cret-for-the-signin-tests-0123456789abcdef"  # 44 characters
OTHER_SECRET = "another-secret-of-plenty-characters-9876543210"
NOTEBOOK = "/import/github/o/r/blob/main/nb.ipynb"
COOKIE = "labgate_session"


# --- what the tests read of answers ---

def set_cookie(r):
    """(value, {attribute lower-case: value}) of the answer's labgate_session Set-Cookie, or None."""
    header = r.header("set-cookie")
    if header is None:
        return None
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    if name != COOKIE:
        return None
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return value, attrs


def page_user(r):
    """The user the confirm page says is signed in, or None."""
    m = re.search(r'Signed in as <strong class="user">([^<]*)</strong>', r.text)
    return m.group(1) if m else None


def csrf_of(r):
    m = re.search(r'<input type="hidden" name="csrf" value="([^"]*)">', r.text)
    return m.group(1) if m else None


def message_of(r):
    m = re.search(r'<p class="message">(.*?)</p>', r.text, re.S)
    return m.group(1) if m else None


def hidden_next(r):
    m = re.search(r'<input type="hidden" name="next" value="([^"]*)">', r.text)
    return m.group(1) if m else None


def name_value(r):
    m = re.search(r'<input id="name" name="name"[^>]* value="([^"]*)">', r.text)
    return m.group(1) if m else None


def form_args(fields):
    out = []
    for k, v in fields:
        out += ["--data-urlencode", "%s=%s" % (k, v)]
    return out


# --- the session cookie, made by hand to test what the gateway checks beyond the signature ---

def key_of(secret):
    return hashlib.sha256(secret.encode()).digest()


def mac(secret, what, text):
    return hmac.new(key_of(secret), ("%s:%s" % (what, text)).encode(), hashlib.sha256).hexdigest()


def forge(secret, user="mallory", expires=None, nonce="0123456789abcdef0123456789abcdef", version="v1"):
    """A cookie value signed under secret the way session.h describes: "v1:USER:EXPIRES:NONCE:MAC"."""
    expires = int(time.time()) + 3600 if expires is None else expires
    body = "%s:%s:%s:%s" % (version, user, expires, nonce)
    return body + ":" + mac(secret, "session", body)


def flip(ch):
    return "1" if ch != "1" else "2"


class Client:
    """Requests to one gateway, with or without a session cookie and extra headers."""

    def __init__(self, gw):
        self.gw = gw

    def get(self, path, *extra, cookie=None):
        args = list(extra)
        if cookie is not None:
            args += ["-H", "Cookie: %s=%s" % (COOKIE, cookie)]
        return curl(self.gw.url(path), *args)

    def post(self, path, fields, *extra, cookie=None):
        body = form_args(fields) if fields else ["--data-binary", ""]  # an empty form is still a POST
        return self.get(path, *(list(extra) + body), cookie=cookie)

    def sign_in(self, name, nxt="/", *extra):
        r = self.post("/signin", [("name", name), ("next", nxt)], *extra)
        assert r.status == 303, (r.status, r.text[:400])
        got = set_cookie(r)
        assert got is not None, r.headers
        return got[0]

    def user_of(self, cookie, *extra):
        """Who the gateway takes cookie (a cookie value) for: the confirm page's user, or None when it sends
        the visitor to sign in."""
        r = self.get(NOTEBOOK, *extra, cookie=cookie)
        if r.status == 200:
            user = page_user(r)
            assert user is not None, r.text[:600]
            return user
        assert r.status == 303, (r.status, r.text[:400])
        assert r.header("location").startswith("/signin?next="), r.header("location")
        return None


class DevSignIn(GatewayTestCase):
    """auth = dev: the form, the cookie, next, bad names, cross-site forms, sign-out."""

    GATEWAY_ARGS = ("--redis", NOWHERE, "--session-lifetime", "1h", "--session-secret", SECRET)

    def setUp(self):
        self.c = Client(self.gw)

    # the form

    def test_get_signin_shows_the_form(self):
        r = self.c.get("/signin")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "text/html; charset=utf-8")
        self.assertEqual(r.header("cache-control"), "no-store")
        self.assertIn('<form method="post" action="/signin">', r.text)
        self.assertEqual(name_value(r), "")
        self.assertEqual(hidden_next(r), "/")
        self.assertIn("Development sign-in", r.text)
        self.assertNotIn("You are signed in as", r.text)
        self.assertIsNone(r.header("set-cookie"))

    def test_signin_page_knows_who_is_signed_in(self):
        cookie = self.c.sign_in("dora")
        r = self.c.get("/signin?next=%2Fjobs%2Fx", cookie=cookie)
        self.assertEqual(r.status, 200)
        self.assertIn('You are signed in as <strong class="user">dora</strong>', r.text)
        self.assertIn('<a class="continue" href="/jobs/x">Continue</a>', r.text)
        self.assertEqual(hidden_next(r), "/jobs/x")

    def test_post_signin_sets_the_session_cookie(self):
        before = int(time.time())
        r = self.c.post("/signin", [("name", "alice"), ("next", "/jobs/abc?x=1")])
        after = int(time.time())
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/jobs/abc?x=1")
        value, attrs = set_cookie(r)
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Lax")
        self.assertEqual(attrs.get("path"), "/")
        # Max-Age is the time left: the lifetime, less a second when the clock ticked in between
        self.assertIn(attrs.get("max-age"), ("3600", "3599"), attrs)
        self.assertNotIn("secure", attrs)  # plain http: a Secure cookie would never come back
        m = re.fullmatch(r"v1:alice:(\d+):([0-9a-f]{32}):([0-9a-f]{64})", value)
        self.assertIsNotNone(m, value)
        self.assertTrue(before + 3600 <= int(m.group(1)) <= after + 3600, (before, m.group(1)))
        # signed under the key session_secret gives, as session.h says
        self.assertEqual(m.group(3), mac(SECRET, "session", value.rsplit(":", 1)[0]))
        self.assertEqual(self.c.user_of(value), "alice")

    def test_each_sign_in_is_a_new_session(self):
        a, b = self.c.sign_in("alice"), self.c.sign_in("alice")
        self.assertNotEqual(a.split(":")[3], b.split(":")[3])
        ta = csrf_of(self.c.get(NOTEBOOK, cookie=a))
        self.assertEqual(csrf_of(self.c.get(NOTEBOOK, cookie=a)), ta)  # stable within a session
        self.assertNotEqual(csrf_of(self.c.get(NOTEBOOK, cookie=b)), ta)

    def test_longest_name_signs_in(self):
        name = "a" * 63 + "Z"
        self.assertEqual(self.c.user_of(self.c.sign_in(name)), name)
        odd = "0ne.two_three-four@five+six"
        self.assertEqual(self.c.user_of(self.c.sign_in(odd)), odd)

    def test_signin_over_http2(self):
        r = self.c.post("/signin", [("name", "hana"), ("next", NOTEBOOK)], "--http2-prior-knowledge")
        self.assertEqual((r.status, r.version), (303, "2"))
        self.assertEqual(r.header("location"), NOTEBOOK)
        value, _ = set_cookie(r)
        r = self.c.get(NOTEBOOK, "--http2-prior-knowledge", cookie=value)
        self.assertEqual((r.status, page_user(r)), (200, "hana"))

    # coming back to the import link

    def test_signed_out_import_link_goes_to_signin_and_back(self):
        r = self.c.get(NOTEBOOK)
        self.assertEqual(r.status, 303)
        self.assertIsNone(r.header("set-cookie"))
        location = r.header("location")
        self.assertEqual(location, "/signin?next=" + urllib.parse.quote(NOTEBOOK, safe=""))
        form = self.c.get(location)
        self.assertEqual(form.status, 200)
        self.assertEqual(hidden_next(form), NOTEBOOK)
        r = self.c.post("/signin", [("name", "alice"), ("next", hidden_next(form))])
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), NOTEBOOK)
        page = self.c.get(r.header("location"), cookie=set_cookie(r)[0])
        self.assertEqual(page.status, 200)
        self.assertIn("Import from GitHub", page.text)
        self.assertIn('Signed in as <strong class="user">alice</strong>', page.text)
        self.assertIn('<button type="submit" name="mode" value="notebook">Copy notebook</button>', page.text)
        self.assertIn('<button type="submit" name="mode" value="repo" class="secondary">Clone whole repository'
                      '</button>', page.text)
        self.assertRegex(csrf_of(page), r"\A[0-9a-f]{64}\Z")

    def test_round_trip_keeps_percent_encoding_and_query(self):
        path = "/import/github/o/r/blob/main/my%20notes/nb.ipynb?utm=a%26b"
        r = self.c.get(path)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/signin?next=" + urllib.parse.quote(path, safe=""))
        form = self.c.get(r.header("location"))
        self.assertEqual(hidden_next(form), path.replace("&", "&amp;"))
        r = self.c.post("/signin", [("name", "alice"), ("next", path)])
        self.assertEqual(r.header("location"), path)
        page = self.c.get(path, cookie=set_cookie(r)[0])
        self.assertEqual(page.status, 200)
        self.assertIn("my notes/nb.ipynb", page.text)

    def test_other_signed_out_pages(self):
        job = "0123456789abcdef0123456789abcdef"
        r = self.c.get("/jobs/" + job)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/signin?next=%2Fjobs%2F" + job)
        r = self.c.get("/api/v1/jobs/" + job)  # the API is not sent to a form
        self.assertEqual(r.status, 401)
        self.assertIsNone(r.header("location"))
        self.assertEqual(json.loads(r.body)["error"]["code"], "not_signed_in")
        r = self.c.get("/api/v1/imports", "-H", "Content-Type: application/json",
                       "--data-binary", '{"url": "https://github.com/o/r"}')
        self.assertEqual(r.status, 401)
        self.assertEqual(json.loads(r.body)["error"]["code"], "not_signed_in")

    def test_dev_ignores_the_proxy_header(self):
        r = self.c.get(NOTEBOOK, "-H", "X-Forwarded-User: alice")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("location").startswith("/signin?next="))
        self.assertIsNone(r.header("set-cookie"))
        cookie = self.c.sign_in("bob")
        self.assertEqual(self.c.user_of(cookie, "-H", "X-Forwarded-User: alice"), "bob")

    # next cannot leave the site

    def test_next_cannot_leave_the_site(self):
        attempts = ["//evil.example", "//evil.example/import", "/\\evil.example", "\\\\evil.example",
                    "https://evil.example", "http:/evil.example", "javascript:alert(1)", "evil.example/x",
                    "/ok\r\nSet-Cookie: x=1", "/\t/evil.example", "/ok\x7f", " /x", "/a b", "",
                    "\\/evil.example"]
        for nxt in attempts:
            with self.subTest(next=nxt):
                r = self.c.post("/signin", [("name", "alice"), ("next", nxt)])
                self.assertEqual(r.status, 303)
                self.assertEqual(r.header("location"), "/")
                self.assertIsNotNone(set_cookie(r))  # the last Set-Cookie is still the session's
                form = self.c.get("/signin?next=" + urllib.parse.quote(nxt, safe=""))
                self.assertEqual(form.status, 200)
                self.assertEqual(hidden_next(form), "/")
        # no next at all, and one that does not decode
        r = self.c.post("/signin", [("name", "alice")])
        self.assertEqual((r.status, r.header("location")), (303, "/"))
        r = self.c.get("/signin", "--data-binary", "name=alice&next=%2F%2Fevil.example%zz")
        self.assertEqual((r.status, r.header("location")), (303, "/"))
        r = self.c.get("/signin", "--data-binary", "name=alice&next=%2F%5Cevil.example")
        self.assertEqual((r.status, r.header("location")), (303, "/"))
        r = self.c.get("/signin", "--data-binary", "name=alice&next=%2F%00%2Fevil.example")
        self.assertEqual((r.status, r.header("location")), (303, "/"))

    def test_next_is_escaped_where_it_is_shown(self):
        nxt = '/"><script>alert(1)</script>'
        cookie = self.c.sign_in("alice")
        for r in (self.c.get("/signin?next=" + urllib.parse.quote(nxt, safe="")),
                  self.c.get("/signin?next=" + urllib.parse.quote(nxt, safe=""), cookie=cookie),
                  self.c.post("/signin", [("name", ".bad"), ("next", nxt)])):
            self.assertIn(r.status, (200, 400))
            self.assertNotIn("<script>alert", r.text)
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", r.text)
            self.assertEqual(hidden_next(r).replace("&quot;", '"').replace("&#34;", '"'),
                             "/\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_next_too_long_goes_home(self):
        r = self.c.post("/signin", [("name", "alice"), ("next", "/" + "a" * 5000)])
        self.assertEqual((r.status, r.header("location")), (303, "/"))
        r = self.c.post("/signin", [("name", "alice"), ("next", "/" + "a" * 4000)])
        self.assertEqual((r.status, r.header("location")), (303, "/" + "a" * 4000))

    # names that cannot be used

    def test_bad_names_are_refused_with_the_reason(self):
        cases = [("", "it is empty"),
                 ("a" * 65, "longer than 64 characters"),
                 ("alice smith", "only letters, digits"),
                 ("../x", "must start with a letter or a digit"),
                 ("<script>alert(1)</script>", "must start with a letter or a digit"),
                 ('x"><script>alert(1)</script>', "only letters, digits"),
                 ("bjørn", "only letters, digits"),
                 ("émile", "must start with a letter or a digit"),
                 (".alice", "must start with a letter or a digit"),
                 ("alice/../../etc", "only letters, digits"),
                 ("a\tb", "only letters, digits")]
        for name, why in cases:
            with self.subTest(name=name):
                r = self.c.post("/signin", [("name", name), ("next", NOTEBOOK)])
                self.assertEqual(r.status, 400)
                self.assertIsNone(r.header("set-cookie"))
                self.assertIsNone(r.header("location"))
                self.assertEqual(r.header("content-type"), "text/html; charset=utf-8")
                self.assertIn("That name cannot be used: ", message_of(r))
                self.assertIn(why, message_of(r))
                self.assertIn('<form method="post" action="/signin">', r.text)
                self.assertEqual(hidden_next(r), NOTEBOOK)  # the way back is kept
                self.assertNotIn("<script>alert", r.text)
                shown = name_value(r)
                if len(name.encode()) <= 64:
                    want = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    self.assertEqual(shown.replace("&quot;", '"').replace("&#34;", '"'), want)
                    self.assertNotIn('"', shown)

    def test_missing_or_undecodable_name(self):
        for body in ("next=%2F", "name=%zz", "name=a%00b", ""):
            with self.subTest(body=body):
                r = self.c.get("/signin", "--data-binary", body, "-H",
                               "Content-Type: application/x-www-form-urlencoded")
                self.assertEqual(r.status, 400)
                self.assertIsNone(r.header("set-cookie"))
                self.assertIn("That name cannot be used: it is missing", message_of(r))
                self.assertIn('<form method="post" action="/signin">', r.text)

    # forms from other sites

    def test_cross_site_signin_is_refused(self):
        base = self.gw.base
        refused = [["-H", "Origin: http://evil.example"],
                   ["-H", "Sec-Fetch-Site: cross-site"],
                   ["-H", "Origin: null"],
                   ["-H", "Origin: %s0" % base],  # another port
                   ["-H", "Origin: " + base, "-H", "Sec-Fetch-Site: cross-site"]]
        for extra in refused:
            with self.subTest(extra=extra):
                r = self.c.post("/signin", [("name", "alice"), ("next", "/")], *extra)
                self.assertEqual(r.status, 403)
                self.assertIsNone(r.header("set-cookie"))
                self.assertIsNone(r.header("location"))
                self.assertIn("another site", message_of(r))
        allowed = [["-H", "Origin: " + base], ["-H", "Sec-Fetch-Site: same-origin"],
                   ["-H", "Sec-Fetch-Site: none"]]
        for extra in allowed:
            with self.subTest(extra=extra):
                r = self.c.post("/signin", [("name", "alice"), ("next", "/")], *extra)
                self.assertEqual(r.status, 303)
                self.assertIsNotNone(set_cookie(r))

    # sign-out

    def test_signout_needs_the_csrf_token(self):
        cookie = self.c.sign_in("erin")
        token = csrf_of(self.c.get(NOTEBOOK, cookie=cookie))
        for fields in ([], [("csrf", "")], [("csrf", "0" * 64)], [("csrf", token[:-1])],
                       [("csrf", token.upper())], [("csrf", token + "0")]):
            with self.subTest(fields=fields):
                r = self.c.post("/signout", fields, cookie=cookie)
                self.assertEqual(r.status, 403)
                self.assertIsNone(r.header("set-cookie"))
                self.assertIn("did not come from your session", message_of(r))
                self.assertEqual(self.c.user_of(cookie), "erin")
        r = self.c.post("/signout", [("csrf", token)], "-H", "Origin: http://evil.example", cookie=cookie)
        self.assertEqual(r.status, 403)
        self.assertIsNone(r.header("set-cookie"))
        r = self.c.post("/signout", [("csrf", token)], cookie=cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/")
        value, attrs = set_cookie(r)
        self.assertEqual(value, "")
        self.assertEqual(attrs.get("max-age"), "0")
        self.assertEqual(attrs.get("path"), "/")
        self.assertIn("httponly", attrs)
        # what a browser has after that: no cookie, so signed out
        self.assertIsNone(self.c.user_of(value))

    def test_signout_signed_out_or_with_another_sessions_token(self):
        r = self.c.post("/signout", [("csrf", "0" * 64)])
        self.assertEqual(r.status, 401)
        self.assertIsNone(r.header("set-cookie"))
        a, b = self.c.sign_in("alice"), self.c.sign_in("bob")
        token_a = csrf_of(self.c.get(NOTEBOOK, cookie=a))
        r = self.c.post("/signout", [("csrf", token_a)], cookie=b)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.c.user_of(b), "bob")
        self.assertEqual(self.c.get("/signout", cookie=b).status, 405)

    # the import form's token

    def test_import_post_takes_only_this_sessions_token(self):
        a, b = self.c.sign_in("alice"), self.c.sign_in("bob")
        page = self.c.get(NOTEBOOK, cookie=a)
        token = csrf_of(page)
        link = re.search(r'name="link" value="([^"]*)"', page.text).group(1)
        form = [("link", link), ("mode", "notebook")]
        r = self.c.post("/import", [("csrf", token)] + form, cookie=a)
        self.assertEqual(r.status, 503, r.text[:300])  # accepted; only the queue is missing
        self.assertIn("queue cannot be reached", message_of(r))
        for cookie, fields, extra, status in ((b, [("csrf", token)], [], 403),
                                              (a, [], [], 403),
                                              (a, [("csrf", "f" * 64)], [], 403),
                                              (None, [("csrf", token)], [], 401),
                                              (a, [("csrf", token)], ["-H", "Sec-Fetch-Site: cross-site"], 403)):
            with self.subTest(cookie=cookie, fields=fields, extra=extra):
                r = self.c.post("/import", fields + form, *extra, cookie=cookie)
                self.assertEqual(r.status, status, r.text[:300])

    # what counts as a session

    def test_changed_cookies_count_as_signed_out(self):
        good = self.c.sign_in("alice")
        self.assertEqual(self.c.user_of(good), "alice")
        body, sig = good.rsplit(":", 1)
        _, user, expires, nonce = body.split(":")
        changed = {
            "name": good.replace("v1:alice:", "v1:alicf:", 1),
            "name made longer": good.replace("v1:alice:", "v1:alicex:", 1),
            "mac first": "%s:%s%s" % (body, flip(sig[0]), sig[1:]),
            "mac last": "%s:%s%s" % (body, sig[:-1], flip(sig[-1])),
            "mac upper-case": "%s:%s" % (body, sig.upper()) if sig != sig.upper() else body + ":x",
            "truncated by one": good[:-1],
            "truncated to the body": body,
            "truncated to the body and colon": body + ":",
            "nonce": "v1:%s:%s:%s%s:%s" % (user, expires, flip(nonce[0]), nonce[1:], sig),
            "expiry later": "v1:%s:%d:%s:%s" % (user, int(expires) + 86400 * 365, nonce, sig),
            "expiry earlier": "v1:%s:%d:%s:%s" % (user, int(expires) - 1, nonce, sig),
            "version": "v2" + good[2:],
            "extra field": good + ":00",
            "empty": "",
            "garbage": "hello",
            "quoted": '"%s"' % good,
        }
        for what, value in changed.items():
            with self.subTest(what=what):
                self.assertNotEqual(value, good)
                self.assertIsNone(self.c.user_of(value))
                r = self.c.get(NOTEBOOK, cookie=value)
                self.assertIsNone(r.header("set-cookie"))  # a bad cookie is not replaced behind the user's back

    def test_cookie_signed_under_another_secret_counts_as_signed_out(self):
        with Gateway("--redis", NOWHERE, "--session-secret", OTHER_SECRET) as other:
            foreign = Client(other).sign_in("alice")
            self.assertEqual(Client(other).user_of(foreign), "alice")
            self.assertIsNone(self.c.user_of(foreign))
        self.assertIsNone(self.c.user_of(forge(OTHER_SECRET, "alice")))

    def test_what_is_checked_beyond_the_signature(self):
        # Cookies signed with the right key: only well-formed, unexpired ones with a valid name count.
        now = int(time.time())
        self.assertEqual(self.c.user_of(forge(SECRET, "mallory")), "mallory")  # the forging is right
        refused = {
            "expired a minute ago": forge(SECRET, "mallory", expires=now - 60),
            "expired now": forge(SECRET, "mallory", expires=now),
            "expires far in the past": forge(SECRET, "mallory", expires=0),
            "negative expiry": forge(SECRET, "mallory", expires=-5),
            "name with ..": forge(SECRET, "../x"),
            "name starting with .": forge(SECRET, ".mallory"),
            "empty name": forge(SECRET, ""),
            "name of 65": forge(SECRET, "m" * 65),
            "short nonce": forge(SECRET, nonce="0123456789abcdef"),
            "upper-case nonce": forge(SECRET, nonce="0123456789ABCDEF0123456789abcdef"),
            "long nonce": forge(SECRET, nonce="0123456789abcdef0123456789abcdef00"),
            "other version": forge(SECRET, version="v2"),
            "expiry not a number": forge(SECRET, expires="soon"),
        }
        for what, value in refused.items():
            with self.subTest(what=what):
                self.assertIsNone(self.c.user_of(value))

    def test_cookie_among_others(self):
        good = self.c.sign_in("alice")
        r = self.c.get(NOTEBOOK, "-H", "Cookie: theme=dark; %s=%s; lang=en" % (COOKIE, good))
        self.assertEqual(page_user(r), "alice")
        r = self.c.get(NOTEBOOK, "-H", "Cookie: x%s=%s" % (COOKIE, good))
        self.assertEqual(r.status, 303)
        r = self.c.get(NOTEBOOK, "-H", "Cookie: %s_old=%s" % (COOKIE, good))
        self.assertEqual(r.status, 303)


class Secrets(unittest.TestCase):
    """session_secret: shared between gateways, too short, or missing."""

    def test_gateways_with_the_same_secret_share_sessions(self):
        with Gateway("--redis", NOWHERE, "--session-secret", SECRET) as a, \
                Gateway("--redis", NOWHERE, env={"LABGATE_SESSION_SECRET": SECRET}) as b, \
                Gateway("--redis", NOWHERE, "--session-secret", OTHER_SECRET) as c:
            ca, cb, cc = Client(a), Client(b), Client(c)
            cookie = ca.sign_in("alice")
            self.assertEqual(cb.user_of(cookie), "alice")
            self.assertEqual(ca.user_of(cb.sign_in("bob")), "bob")
            self.assertIsNone(cc.user_of(cookie))
            # a form from one gateway's page is accepted by the other
            token = csrf_of(ca.get(NOTEBOOK, cookie=cookie))
            r = cb.post("/import", [("csrf", token), ("link", "/import/github/o/r"), ("mode", "repo")],
                        cookie=cookie)
            self.assertEqual(r.status, 503, r.text[:300])
            r = cc.post("/import", [("csrf", token), ("link", "/import/github/o/r"), ("mode", "repo")],
                        cookie=cookie)
            self.assertEqual(r.status, 401, r.text[:300])
            for gw in (a, b, c):
                self.assertFalse([l for l in gw.log() if "session_secret_random" in l])

    def test_without_secret_a_random_key_with_a_warning(self):
        with Gateway("--redis", NOWHERE) as a, Gateway("--redis", NOWHERE) as b:
            line = a.wait_for_log(r"event=session_secret_random", 5)
            self.assertIn("level=warn", line)
            self.assertIn("session_secret", line.split("event=session_secret_random", 1)[1])
            ca, cb = Client(a), Client(b)
            cookie = ca.sign_in("alice")
            self.assertEqual(ca.user_of(cookie), "alice")
            self.assertIsNone(cb.user_of(cookie))

    def test_short_secret_is_refused(self):
        for secret in ("x", "0123456789abcdef0123456789abcde"):  # 1 and 31 characters
            with self.subTest(length=len(secret)):
                done = labgate("gateway", "--listen", "127.0.0.1:0", "--redis", NOWHERE,
                               "--session-secret", secret, timeout=20)
                self.assertNotEqual(done.returncode, 0)
                self.assertIn("session_secret", done.stderr)
                self.assertIn("%d characters is too short" % len(secret), done.stderr)
                self.assertIn("at least 32", done.stderr)
                self.assertNotIn("event=listening", done.stderr)
        done = labgate("gateway", "--listen", "127.0.0.1:0", "--redis", NOWHERE,
                       env={"LABGATE_SESSION_SECRET": "short"}, timeout=20)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("session_secret", done.stderr)

    def test_secret_of_exactly_32_characters_is_enough(self):
        secret = "0123456789abcdef0123456789abcdef"
        with Gateway("--redis", NOWHERE, "--session-secret", secret) as gw:
            c = Client(gw)
            self.assertEqual(c.user_of(c.sign_in("alice")), "alice")
            self.assertEqual(c.user_of(forge(secret, "zed")), "zed")

    def test_default_lifetime_is_a_week(self):
        with Gateway("--redis", NOWHERE, "--session-secret", SECRET) as gw:
            r = Client(gw).post("/signin", [("name", "alice"), ("next", "/")])
            self.assertIn(set_cookie(r)[1].get("max-age"), ("604800", "604799"))


class SecureCookie(unittest.TestCase):

    def test_cookie_is_secure_over_https(self):
        with Gateway("--redis", NOWHERE, "--session-secret", SECRET, tls=True) as gw:
            c = Client(gw)
            r = c.post("/signin", [("name", "alice"), ("next", "/")])
            self.assertEqual(r.status, 303)
            value, attrs = set_cookie(r)
            self.assertIn("secure", attrs)
            self.assertEqual(c.user_of(value), "alice")
            r = c.post("/signin", [("name", "alice"), ("next", "/")], "-H", "Origin: " + gw.base)
            self.assertEqual(r.status, 303)
            r = c.post("/signin", [("name", "alice"), ("next", "/")], "-H",
                       "Origin: http://127.0.0.1:%d" % gw.port)  # the other scheme is another site
            self.assertEqual(r.status, 403)


class OriginAgainstPublicUrl(unittest.TestCase):
    """With public_url set, a form is from our own site when its Origin is public_url's origin: scheme, host
    and port as a browser writes them (no path, no default port)."""

    def signin_status(self, gw, origin):
        r = Client(gw).post("/signin", [("name", "alice"), ("next", "/")], "-H", "Origin: " + origin)
        return r.status

    def test_origin_is_compared_with_the_origin_of_public_url(self):
        cases = [("https://labgate.example.org/", "https://labgate.example.org", 303),
                 ("https://LabGate.Example.org", "https://labgate.example.org", 303),
                 ("https://labgate.example.org", "http://labgate.example.org", 403),
                 ("https://labgate.example.org", "https://labgate.example.org.evil.example", 403),
                 ("https://labgate.example.org", "https://labgate.example", 403),
                 ("https://labgate.example.org:8443", "https://labgate.example.org", 403),
                 ("https://labgate.example.org:8443", "https://labgate.example.org:8443", 303),
                 # a browser never writes the default port, nor a path, in Origin
                 ("https://labgate.example.org:443", "https://labgate.example.org", 303),
                 ("http://labgate.example.org:80", "http://labgate.example.org", 303),
                 ("https://example.org/labgate", "https://example.org", 303),
                 ("https://example.org/labgate", "https://evil.example", 403)]
        for public_url, origin, status in cases:
            with self.subTest(public_url=public_url, origin=origin):
                with Gateway("--redis", NOWHERE, "--session-secret", SECRET, "--public-url", public_url) as gw:
                    self.assertEqual(self.signin_status(gw, origin), status)


class HeaderAuth(GatewayTestCase):
    """auth = header: the proxy in front names the user in X-Forwarded-User."""

    GATEWAY_ARGS = ("--auth", "header", "--redis", NOWHERE, "--session-secret", SECRET)

    def setUp(self):
        self.c = Client(self.gw)

    def as_user(self, name):
        return ["-H", "X-Forwarded-User: " + name]

    def test_header_signs_in_and_issues_a_session(self):
        r = self.c.get(NOTEBOOK, *self.as_user("alice"))
        self.assertEqual(r.status, 200)
        self.assertEqual(page_user(r), "alice")
        self.assertRegex(csrf_of(r), r"\A[0-9a-f]{64}\Z")
        value, attrs = set_cookie(r)
        self.assertRegex(value, r"\Av1:alice:\d+:[0-9a-f]{32}:[0-9a-f]{64}\Z")
        self.assertIn("httponly", attrs)
        self.assertEqual(attrs.get("samesite"), "Lax")
        # with its session, no new one
        r = self.c.get(NOTEBOOK, *self.as_user("alice"), cookie=value)
        self.assertEqual(page_user(r), "alice")
        self.assertIsNone(r.header("set-cookie"))

    def test_without_the_header_signed_out_with_a_page_not_a_redirect(self):
        cookie = set_cookie(self.c.get(NOTEBOOK, *self.as_user("alice")))[0]
        for cookie_sent in (None, cookie):  # the cookie alone is not a sign-in: the proxy must vouch
            with self.subTest(cookie=cookie_sent is not None):
                r = self.c.get(NOTEBOOK, cookie=cookie_sent)
                self.assertEqual(r.status, 401)
                self.assertIsNone(r.header("location"))
                self.assertIsNone(r.header("set-cookie"))
                self.assertEqual(r.header("content-type"), "text/html; charset=utf-8")
                self.assertIn("site in front", message_of(r))
                self.assertIn("sign in there", message_of(r))
        r = self.c.get("/jobs/0123456789abcdef0123456789abcdef")
        self.assertEqual(r.status, 401)
        self.assertIsNone(r.header("location"))
        r = self.c.get("/api/v1/jobs/0123456789abcdef0123456789abcdef")
        self.assertEqual(r.status, 401)
        self.assertEqual(json.loads(r.body)["error"]["code"], "not_signed_in")

    def test_invalid_names_in_the_header_are_signed_out(self):
        for name in ("../x", ".alice", "alice smith", "<b>", "a" * 65, "a/b", "al%69ce"):
            with self.subTest(name=name):
                r = self.c.get(NOTEBOOK, *self.as_user(name))
                self.assertEqual(r.status, 401)
                self.assertIsNone(r.header("set-cookie"))
                self.assertNotIn("<b>", r.text)
        r = self.c.get(NOTEBOOK, "-H", "X-Forwarded-User;")  # present and empty
        self.assertEqual(r.status, 401)
        self.assertIsNone(r.header("set-cookie"))
        r = self.c.get(NOTEBOOK, *self.as_user("a" * 64))
        self.assertEqual((r.status, page_user(r)), (200, "a" * 64))

    def test_no_signin_form(self):
        for r in (self.c.get("/signin"), self.c.get("/signin", *self.as_user("alice")),
                  self.c.post("/signin", [("name", "alice"), ("next", "/")])):
            self.assertEqual(r.status, 404)
            self.assertIsNone(r.header("set-cookie"))
            self.assertIn("site in front", message_of(r))
            self.assertNotIn('action="/signin"', r.text)

    def test_header_wins_over_the_cookie(self):
        alice = set_cookie(self.c.get(NOTEBOOK, *self.as_user("alice")))[0]
        r = self.c.get(NOTEBOOK, *self.as_user("bob"), cookie=alice)
        self.assertEqual(r.status, 200)
        self.assertEqual(page_user(r), "bob")
        got = set_cookie(r)
        self.assertIsNotNone(got)
        self.assertTrue(got[0].startswith("v1:bob:"), got)
        bob = got[0]
        r = self.c.get(NOTEBOOK, *self.as_user("bob"), cookie=bob)
        self.assertEqual(page_user(r), "bob")
        self.assertIsNone(r.header("set-cookie"))

    def test_csrf_token_with_header_auth(self):
        first = self.c.get(NOTEBOOK, *self.as_user("alice"))
        cookie, token = set_cookie(first)[0], csrf_of(first)
        second = self.c.get(NOTEBOOK, *self.as_user("alice"))  # another browser: another session
        other_cookie, other_token = set_cookie(second)[0], csrf_of(second)
        self.assertNotEqual(token, other_token)
        form = [("link", NOTEBOOK), ("mode", "notebook")]
        r = self.c.post("/import", [("csrf", token)] + form, *self.as_user("alice"), cookie=cookie)
        self.assertEqual(r.status, 503, r.text[:300])  # the token was taken; only the queue is missing
        self.assertIn("queue cannot be reached", message_of(r))
        cases = [("another session's token", other_token, cookie, "alice", 403),
                 ("no cookie", token, None, "alice", 403),
                 ("no token", None, cookie, "alice", 403),
                 ("another user in the header", token, cookie, "bob", 403),
                 ("no header", token, cookie, None, 401)]
        for what, tok, ck, user, status in cases:
            with self.subTest(what=what):
                fields = ([("csrf", tok)] if tok else []) + form
                extra = self.as_user(user) if user else []
                r = self.c.post("/import", fields, *extra, cookie=ck)
                self.assertEqual(r.status, status, r.text[:300])
        r = self.c.post("/import", [("csrf", other_token)] + form, *self.as_user("alice"), cookie=other_cookie)
        self.assertEqual(r.status, 503)

    def test_signout_with_header_auth(self):
        first = self.c.get(NOTEBOOK, *self.as_user("carol"))
        cookie, token = set_cookie(first)[0], csrf_of(first)
        r = self.c.post("/signout", [], *self.as_user("carol"), cookie=cookie)
        self.assertEqual(r.status, 403)
        r = self.c.post("/signout", [("csrf", token)], *self.as_user("carol"), cookie=cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("location"), "/")
        value, attrs = set_cookie(r)
        self.assertEqual((value, attrs.get("max-age")), ("", "0"))


class HeaderAuthOptions(unittest.TestCase):
    """trusted_proxies and auth_header change whose header is believed, and which header."""

    def test_header_from_an_untrusted_address_is_ignored(self):
        with Gateway("--auth", "header", "--redis", NOWHERE, "--session-secret", SECRET,
                     "--trusted-proxies", "10.0.0.0/8, 192.168.0.0/16,::1") as gw:
            c = Client(gw)
            r = c.get(NOTEBOOK, "-H", "X-Forwarded-User: alice")
            self.assertEqual(r.status, 401)
            self.assertIsNone(r.header("location"))
            self.assertIsNone(r.header("set-cookie"))
            self.assertIn("site in front", message_of(r))
            # nor does a session cookie made elsewhere with the same secret help
            self.assertEqual(c.get(NOTEBOOK, "-H", "X-Forwarded-User: alice",
                                   cookie=forge(SECRET, "alice")).status, 401)

    def test_trusted_single_address(self):
        with Gateway("--auth", "header", "--redis", NOWHERE, "--trusted-proxies", "127.0.0.1") as gw:
            r = Client(gw).get(NOTEBOOK, "-H", "X-Forwarded-User: alice")
            self.assertEqual((r.status, page_user(r)), (200, "alice"))
        with Gateway("--auth", "header", "--redis", NOWHERE, "--trusted-proxies", "127.0.0.2/32") as gw:
            self.assertEqual(Client(gw).get(NOTEBOOK, "-H", "X-Forwarded-User: alice").status, 401)
        with Gateway("--auth", "header", "--redis", NOWHERE, "--trusted-proxies", "127.0.0.0/31") as gw:
            self.assertEqual(Client(gw).get(NOTEBOOK, "-H", "X-Forwarded-User: alice").status, 200)

    def test_auth_header_names_the_header(self):
        with Gateway("--auth", "header", "--redis", NOWHERE, "--auth-header", "X-Remote-User") as gw:
            c = Client(gw)
            r = c.get(NOTEBOOK, "-H", "X-Remote-User: carol")
            self.assertEqual((r.status, page_user(r)), (200, "carol"))
            self.assertTrue(set_cookie(r)[0].startswith("v1:carol:"))
            r = c.get(NOTEBOOK, "-H", "x-remote-user: dave")  # header names are case-insensitive
            self.assertEqual(page_user(r), "dave")
            r = c.get(NOTEBOOK, "-H", "X-Forwarded-User: alice")
            self.assertEqual(r.status, 401)
            self.assertIsNone(r.header("set-cookie"))
            r = c.get(NOTEBOOK, "-H", "X-Forwarded-User: alice", "-H", "X-Remote-User: erin")
            self.assertEqual(page_user(r), "erin")


class RefusedConfigurations(unittest.TestCase):
    """Configurations `labgate gateway` will not start with: non-zero exit and words naming the problem."""

    def refused(self, *args, env=None):
        done = labgate("gateway", "--threads", "1", "--redis", NOWHERE, *args, env=env, timeout=20)
        self.assertNotEqual(done.returncode, 0, done.stderr)
        self.assertNotIn("event=listening", done.stderr)
        return done.stderr

    def test_dev_only_on_loopback(self):
        for listen in (["--listen", "0.0.0.0:0"], ["--listen", "127.0.0.1:0", "--listen", "0.0.0.0:0"]):
            with self.subTest(listen=listen):
                err = self.refused(*listen, "--public-url", "http://x.example")
                self.assertIn("auth = dev", err)
                self.assertIn("only runs on loopback", err)
                self.assertIn("0.0.0.0 is not", err)
                self.assertIn("auth = header", err)

    def test_bad_trusted_proxies(self):
        for value in ("bogus", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/8,nope"):
            with self.subTest(value=value):
                err = self.refused("--listen", "127.0.0.1:0", "--auth", "header", "--trusted-proxies", value)
                self.assertIn("trusted_proxies", err)
                self.assertIn("is not ADDRESS or ADDRESS/BITS", err)

    def test_bad_auth_header(self):
        for value in ("X Remote", "X-User:", "X\u00e9"):
            with self.subTest(value=value):
                err = self.refused("--listen", "127.0.0.1:0", "--auth", "header", "--auth-header", value)
                self.assertIn("auth_header", err)

    def test_bad_auth_and_lifetime(self):
        err = self.refused("--listen", "127.0.0.1:0", "--auth", "password")
        self.assertIn("auth", err)
        self.assertIn("dev|header", err.replace(", ", "|").replace(" or ", "|"))
        err = self.refused("--listen", "127.0.0.1:0", "--session-lifetime", "59s")
        self.assertIn("session_lifetime", err)


if __name__ == "__main__":
    main()
