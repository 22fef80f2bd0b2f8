"""test_jupyterhub.py - labgate with a real JupyterHub 3.0 on loopback (hubserver.py: DummyAuthenticator,
SimpleLocalProcessSpawner serving PROJECTS/USER, labgate's hub service and roles), a real redis-server, a
real `git daemon` standing in for GitHub, real gateways and workers, driven by curl as a browser would.

- HubRuntime (worker runtime = jupyterhub, gateway auth = dev): an import creates the user on the hub, starts
  their server and ends ready with HUB/user/NAME/notebooks/REPO/PATH?token=T; that address opens the
  imported notebook through the hub's proxy, and T is scoped to that server (it cannot list the hub's users);
  a second import finds the server running ("already running") and is ready quickly. A spawn that fails
  (a pre-spawn hook's error; a server that never answers) fails the job with the hub's reason, saying the
  files were imported, and the files are there; a server slower than runtime_start_timeout fails in words;
  a wrong jupyterhub_token fails the job with words naming jupyterhub_token.
- HubSignIn (gateway auth = jupyterhub): signing in through the hub's OAuth, hop by hop and following
  redirects as a browser does, ends on the import page signed in as the hub's user; a callback with a wrong
  state, without or with a changed or another browser's state cookie is 403 in words, a wrong or replayed
  code is 502 in words, and none of them signs anyone in; `next` cannot leave the site; the dev sign-in
  form and the proxy header are off. With auth = jupyterhub on the worker too, the
  job's address carries no token, and the browser's hub sign-in opens it."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from gitserver import GitServer
from harness import curl, main
from hubserver import BROKEN_REASON, DIES_HTTP_TIMEOUT, HubServer
from stack import Browser, Stack, import_path, notebook

OWNER, REPO = "octo", "lessons"
NOTEBOOKS = {
    "intro.ipynb": notebook("intro"),
    "week 1/loops.ipynb": notebook("loops"),
    "data/table.csv": b"a,b\n1,2\n",
}

GIT = HUB = DEV = HUBAUTH = None  # the module's fixtures, made in setUpModule


def setUpModule():
    global GIT, HUB, DEV, HUBAUTH
    with contextlib.ExitStack() as fixtures:
        GIT = fixtures.enter_context(GitServer(verbose=False))
        GIT.create(OWNER, REPO).push(NOTEBOOKS)
        # the hub's address is chosen first: the hub-auth gateway is started with it, and the hub is then
        # started with that gateway's /oauth_callback as the redirect of labgate's service
        HUB = HubServer(redirect_uri=None)
        fixtures.callback(HUB.__exit__, None, None, None)
        HUBAUTH = fixtures.enter_context(Stack(GIT, worker_env=dict(
            LABGATE_AUTH="jupyterhub", LABGATE_JUPYTERHUB_URL=HUB.url, LABGATE_JUPYTERHUB_TOKEN=HUB.token)))
        HUB.redirect_uri = HUBAUTH.gw.url("/oauth_callback")
        HUB.start()
        DEV = fixtures.enter_context(Stack(GIT))
        fixtures.pop_all()


def tearDownModule():
    errors = []
    for fixture in (DEV, HUBAUTH, HUB, GIT):
        if fixture is not None:
            try:
                fixture.__exit__(None, None, None)
            except AssertionError as e:  # a gateway that did not exit cleanly
                errors.append(str(e))
    if errors:
        raise AssertionError("\n".join(errors))


# --- helpers ------------------------------------------------------------------------------------------

def page_path(path):
    return import_path(OWNER, REPO, "main", path)


def hub_env(**extra):
    """A worker's environment for runtime = jupyterhub on HUB, projects where the hub's spawner serves them."""
    env = dict(LABGATE_RUNTIME="jupyterhub", LABGATE_JUPYTERHUB_URL=HUB.url, LABGATE_JUPYTERHUB_TOKEN=HUB.token,
               LABGATE_PROJECTS_DIR=HUB.projects, LABGATE_RUNTIME_START_TIMEOUT="40s")
    env.update(extra)
    return env


@contextlib.contextmanager
def worker(stack, **env):
    """One `labgate worker` for the block; stopped with SIGTERM at its end, which it must survive cleanly
    (exit 0: no crash, and no sanitizer report in the sanitizer build)."""
    proc = stack.start_worker(**env)
    index = len(stack.workers) - 1
    failed = False
    try:
        yield proc
    except BaseException:
        failed = True
        raise
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        if not failed and rc != 0:
            raise AssertionError("the worker exited with %r:\n%s" % (rc, stack.worker_log(index)[-4000:]))


def wait_job(stack, job_id, timeout=60, log=None):
    try:
        return stack.wait_for([job_id], timeout=timeout)[job_id]
    except AssertionError as e:
        raise AssertionError("%s\nworker log:\n%s\nhub log:\n%s" % (
            e, log() if log else "", HUB.log()[-4000:])) from None


def states(stack, job_id):
    return [e["state"] for e in stack.history(job_id)]


def read(path):
    with open(path, "rb") as f:
        return f.read()


ALREADY_RUNNING = r"400 POST /hub/api/users/ada/server \(127\.0\.0\.1\): ada is already running"


def hub_log_count(pattern):
    return len(re.findall(pattern, HUB.log()))


def notebook_path(r):
    """The path of the notebook a classic Notebook page shows, or None when it is another page."""
    m = re.search(r'data-notebook-path="([^"]*)"', r.text)
    return urllib.parse.unquote(m.group(1)) if m else None


def login_form(r):
    """1 when r is the hub's sign-in page."""
    return '<form action="' in r.text and 'name="password"' in r.text and "/hub/login" in r.text


def page_user(r):
    m = re.search(r'Signed in as <strong class="user">([^<]*)</strong>', r.text)
    return m.group(1) if m else None


class CookieJar:
    """One browser's cookies (curl's cookie jar file), for the hub and the gateway alike: both are on
    127.0.0.1, and browsers do not tell cookies apart by port either."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="labgate-jar-")
        self.path = os.path.join(self.dir, "cookies")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, url, *extra, timeout=20):
        return curl(url, "-b", self.path, "-c", self.path, *extra, timeout=timeout)

    def post(self, url, form, *extra):
        data = []
        for k, v in form.items():
            data += ["--data-urlencode", "%s=%s" % (k, v)]
        return self.get(url, *(list(extra) + data))

    def cookies(self):
        """{name: value} of what the jar holds."""
        out = {}
        if not os.path.exists(self.path):
            return out
        with open(self.path) as f:
            for line in f:
                if line.startswith("#HttpOnly_"):
                    line = line[len("#HttpOnly_"):]
                elif line.startswith("#") or not line.strip():
                    continue
                fields = line.rstrip("\n").split("\t")
                if len(fields) == 7:
                    out[fields[5]] = fields[6]
        return out


def location(r, base):
    loc = r.header("location")
    assert loc, (r.status, r.headers, r.text[:300])
    return urllib.parse.urljoin(base, loc)


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


# --- the hub as the runtime -----------------------------------------------------------------------------

class HubRuntime(unittest.TestCase):
    def worker_log(self):
        return DEV.worker_log(len(DEV.workers) - 1)

    def test_import_starts_the_server_and_opens_the_notebook(self):
        self.assertIsNone(HUB.user("ada"), "ada is not on the hub before the import")
        browser = Browser(DEV, "ada")
        with worker(DEV, **hub_env()):
            t0 = time.monotonic()
            job_id = browser.import_link(page_path("intro.ipynb"))
            job = wait_job(DEV, job_id, log=self.worker_log)
            first_took = time.monotonic() - t0
            self.assertEqual(job["state"], "ready", job)
            self.assertEqual(states(DEV, job_id)[-2:], ["starting", "ready"])
            starting = [e for e in DEV.history(job_id) if e["state"] == "starting"][0]
            self.assertEqual(starting.get("runtime"), "jupyterhub", starting)
            result = json.loads(job["result"])
            self.assertEqual(result["open_path"], "lessons/intro.ipynb", result)
            m = re.fullmatch(re.escape(HUB.url) + r"/user/ada/notebooks/lessons/intro\.ipynb\?token=([0-9a-zA-Z_-]+)",
                             result["url"])
            self.assertTrue(m, result["url"])
            token = m.group(1)
            self.assertEqual(read(os.path.join(HUB.projects, "ada", "lessons", "intro.ipynb")),
                             NOTEBOOKS["intro.ipynb"])

            # the user exists on the hub now, and their server runs
            model = HUB.user("ada")
            self.assertIsNotNone(model)
            server = model["servers"][""]
            self.assertTrue(server["ready"], model)
            started = server["started"]

            # the address opens the notebook through the hub's proxy, as a browser would
            jar = CookieJar()
            self.addCleanup(jar.close)
            r = jar.get(result["url"], "-L", "--max-redirs", "10")
            self.assertEqual(r.status, 200, r.text[:500])
            self.assertEqual(notebook_path(r), "lessons/intro.ipynb")
            # ... and with the cookie it left, the notebook's content is the imported file
            r = jar.get(HUB.url + "/user/ada/api/contents/lessons/intro.ipynb")
            self.assertEqual(r.status, 200, r.text[:500])
            doc = json.loads(r.text)
            self.assertEqual(doc["type"], "notebook")
            self.assertEqual(doc["content"]["cells"][0]["source"], "intro")

            # a made-up token does not open it (the hub sends the browser to its sign-in page)
            other = CookieJar()
            self.addCleanup(other.close)
            r = other.get(result["url"].replace(token, "0" * len(token)), "-L", "--max-redirs", "10")
            self.assertIsNone(notebook_path(r))
            self.assertTrue(login_form(r), r.text[:500])

            # the token is scoped to the server: it cannot list the hub's users (the service's token can)
            status, _ = HUB.api("GET", "/hub/api/users", token=token)
            self.assertEqual(status, 403)
            status, doc = HUB.api("GET", "/hub/api/users")
            self.assertEqual(status, 200, doc)
            status, _ = HUB.api("GET", "/hub/api/users/ada/server/progress", token=token)
            self.assertEqual(status, 403)

            # a second import finds the server running, and is ready quickly
            already = hub_log_count(ALREADY_RUNNING)
            t0 = time.monotonic()
            job_id = browser.import_link(page_path("week 1/loops.ipynb"))
            job = wait_job(DEV, job_id, log=self.worker_log)
            second_took = time.monotonic() - t0
            self.assertEqual(job["state"], "ready", job)
            url = json.loads(job["result"])["url"]
            m = re.fullmatch(re.escape(HUB.url) + r"/user/ada/notebooks/lessons/week%201/loops\.ipynb\?token=(\S+)",
                             url)
            self.assertTrue(m, url)
            self.assertNotEqual(m.group(1), token, "each import gets its own short-lived token")
            self.assertEqual(hub_log_count(ALREADY_RUNNING), already + 1,
                             "the second start was answered 'already running'")
            self.assertEqual(HUB.user("ada")["servers"][""]["started"], started, "the same server")
            self.assertLess(second_took, 10, "first import %.1fs, second %.1fs" % (first_took, second_took))
            r = jar.get(url, "-L", "--max-redirs", "10")
            self.assertEqual(r.status, 200, r.text[:500])
            self.assertEqual(notebook_path(r), "lessons/week 1/loops.ipynb")

    def test_spawn_failure_fails_the_job_with_the_hubs_reason(self):
        broken, dies = Browser(DEV, "broken"), Browser(DEV, "dies")
        with worker(DEV, **hub_env()):
            ids = {"broken": broken.import_link(page_path("intro.ipynb")),
                   "dies": dies.import_link(page_path("week 1/loops.ipynb"))}
            jobs = {user: wait_job(DEV, job_id, log=self.worker_log) for user, job_id in ids.items()}
        for user, path in (("broken", "lessons/intro.ipynb"), ("dies", "lessons/week 1/loops.ipynb")):
            job = jobs[user]
            self.assertEqual(job["state"], "failed", job)
            self.assertEqual(job["attempts"], "1", "not retried: %s" % job)
            self.assertIn("Your files were imported into %s, but JupyterHub could not start your Jupyter "
                          "server: " % path, job["error"])
            self.assertEqual(states(DEV, ids[user])[-2:], ["starting", "failed"])
            self.assertEqual(read(os.path.join(HUB.projects, user, path)), NOTEBOOKS[path.split("/", 1)[1]])
            self.assertFalse(HUB.user(user)["servers"], "no server runs for %s" % user)
            self.assertFalse(job["error"].endswith(".."), job["error"])
        self.assertIn(BROKEN_REASON, jobs["broken"]["error"])
        self.assertRegex(jobs["dies"]["error"],
                         r"Server at http://127\.0\.0\.1:\d+/user/dies/ didn't respond in %d seconds"
                         % DIES_HTTP_TIMEOUT)

    def test_server_slower_than_runtime_start_timeout(self):
        browser = Browser(DEV, "hangs")
        with worker(DEV, **hub_env(LABGATE_RUNTIME_START_TIMEOUT="1s")):
            job_id = browser.import_link(page_path("intro.ipynb"))
            job = wait_job(DEV, job_id, timeout=30, log=self.worker_log)
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["error"], "Your files were imported into lessons/intro.ipynb, but your Jupyter server "
                                       "on JupyterHub was not ready within 1 s.")
        at = {e["state"]: e["at"] for e in DEV.history(job_id)}
        self.assertLess(at["failed"] - at["starting"], 10000, "gave up at runtime_start_timeout, not the hub's")
        self.assertTrue(os.path.exists(os.path.join(HUB.projects, "hangs", "lessons", "intro.ipynb")))
        self.assertEqual(HUB.user("hangs")["pending"], "spawn", "the hub is still waiting for that server")

    def test_wrong_token_names_jupyterhub_token(self):
        browser = Browser(DEV, "eve")
        with worker(DEV, **hub_env(LABGATE_JUPYTERHUB_TOKEN="not-" + HUB.token)):
            job = wait_job(DEV, browser.import_link(page_path("intro.ipynb")), log=self.worker_log)
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["attempts"], "1", "not retried: %s" % job)
        self.assertIn("Your files were imported into lessons/intro.ipynb, but", job["error"])
        self.assertIn("JupyterHub refused labgate's token", job["error"])
        self.assertIn("jupyterhub_token", job["error"])
        self.assertFalse(job["error"].endswith(".."), job["error"])
        self.assertTrue(os.path.exists(os.path.join(HUB.projects, "eve", "lessons", "intro.ipynb")))
        self.assertIsNone(HUB.user("eve"), "nothing was done on the hub")


# --- signing in through the hub ---------------------------------------------------------------------

class HubSignIn(unittest.TestCase):
    def setUp(self):
        self.gw = HUBAUTH.gw

    def jar(self):
        jar = CookieJar()
        self.addCleanup(jar.close)
        return jar

    def start_signin(self, jar, next_path):
        """GET /signin?next=...: the 302 to the hub's authorize page; returns (authorize URL, state)."""
        r = jar.get(self.gw.url("/signin?next=" + urllib.parse.quote(next_path, safe="")))
        self.assertEqual(r.status, 302, r.text[:300])
        authorize = location(r, self.gw.base)
        self.assertTrue(authorize.startswith(HUB.url + "/hub/api/oauth2/authorize?"), authorize)
        q = query_of(authorize)
        self.assertEqual(q["response_type"], "code")
        self.assertEqual(q["client_id"], "service-labgate")
        self.assertEqual(q["redirect_uri"], self.gw.url("/oauth_callback"))
        self.assertRegex(q["state"], r"^[0-9a-f]{32}$")
        cookie = jar.cookies().get("labgate_oauth")
        self.assertTrue(cookie and cookie.startswith(q["state"] + ":"), cookie)
        return authorize, q["state"]

    def code_from_hub(self, jar, authorize, user):
        """Signs user in to the hub (if not yet) and lets it authorize labgate; returns the callback URL the
        hub sends the browser to (not yet followed)."""
        r = jar.get(authorize)
        if r.status == 302 and "/hub/login" in r.header("location"):
            login = location(r, HUB.url)
            r = jar.post(login, {"username": user, "password": HUB.password})
            self.assertEqual(r.status, 302, r.text[:300])
            self.assertEqual(location(r, HUB.url), authorize)
            r = jar.get(authorize)
        self.assertEqual(r.status, 302, r.text[:500])
        callback = location(r, HUB.url)
        self.assertTrue(callback.startswith(self.gw.url("/oauth_callback?")), callback)
        q = query_of(callback)
        self.assertTrue(q.get("code"), callback)
        return callback

    def sign_in(self, user, next_path):
        """The whole sign-in as a browser makes it (curl following redirects, one cookie jar): returns the
        jar and the page the browser ends on."""
        jar = self.jar()
        r = jar.get(self.gw.url(next_path), "-L", "--max-redirs", "10")
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertTrue(login_form(r), "the browser ends on the hub's sign-in form: %s" % r.text[:500])
        action = re.search(r'<form action="([^"]+)" method="post"', r.text)
        self.assertTrue(action, r.text[:1000])
        login = urllib.parse.urljoin(HUB.url, action.group(1).replace("&amp;", "&"))
        self.assertIn("oauth2/authorize", urllib.parse.unquote(login))
        r = jar.post(login, {"username": user, "password": HUB.password}, "-L", "--max-redirs", "10")
        return jar, r

    def assert_refused(self, r, jar, status, words):
        self.assertEqual(r.status, status, r.text[:500])
        self.assertIn("text/html", r.header("content-type"))
        self.assertIn(words, r.text)
        self.assertNotIn("labgate_session", r.header("set-cookie") or "")
        if jar is not None:
            self.assertNotIn("labgate_session", jar.cookies())

    def test_signin_hop_by_hop(self):
        link = page_path("intro.ipynb")
        jar = self.jar()
        r = jar.get(self.gw.url(link))
        self.assertEqual(r.status, 303, r.text[:300])
        signin = r.header("location")
        self.assertEqual(signin, "/signin?next=" + urllib.parse.quote(link, safe=""))
        r = jar.get(self.gw.url(signin))
        self.assertEqual(r.status, 302, r.text[:300])
        authorize, state = self.start_signin(jar, link)
        callback = self.code_from_hub(jar, authorize, "grace")
        self.assertEqual(query_of(callback)["state"], state)
        r = jar.get(callback)
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.header("location"), link)
        self.assertIn("labgate_session", jar.cookies())
        self.assertNotIn("labgate_oauth", jar.cookies(), "the state cookie is spent")
        r = jar.get(self.gw.url(link))
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(page_user(r), "grace")

    def test_signin_following_redirects(self):
        link = page_path("week 1/loops.ipynb")
        jar, r = self.sign_in("linus", link)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(page_user(r), "linus", r.text[:1000])
        self.assertIn("labgate_session", jar.cookies())

    def test_bad_callbacks_sign_nobody_in(self):
        link = page_path("intro.ipynb")
        jar = self.jar()
        authorize, state = self.start_signin(jar, link)
        callback = self.code_from_hub(jar, authorize, "mallory")
        code = query_of(callback)["code"]
        cookie = jar.cookies()["labgate_oauth"]

        def call(state_value, cookie_value, code_value=code, use_jar=None):
            url = self.gw.url("/oauth_callback?" + urllib.parse.urlencode({"code": code_value,
                                                                             "state": state_value}))
            if use_jar is not None:
                return use_jar.get(url)
            extra = ["-H", "Cookie: labgate_oauth=" + cookie_value] if cookie_value is not None else []
            return curl(url, *extra)

        wrong_state = ("0" if state[0] != "0" else "1") + state[1:]
        self.assert_refused(call(wrong_state, None, use_jar=jar), jar, 403, "did not start in this browser")
        self.assert_refused(call(state, None), None, 403, "did not start in this browser")
        # the state cookie changed: its state, its address to come back to, its signature
        s, rest = cookie.split(":", 1)
        other = ("0" if s[0] != "0" else "1") + s[1:]
        self.assert_refused(call(other, other + ":" + rest), None, 403, "did not start in this browser")
        nxt, mac = rest.rsplit(":", 1)
        self.assert_refused(call(state, s + ":" + urllib.parse.quote("/", safe="") + ":" + mac), None, 403,
                            "did not start in this browser")
        flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
        self.assert_refused(call(state, s + ":" + nxt + ":" + flipped), None, 403, "did not start in this browser")
        # another browser's state cookie, with this browser's state and code
        other_jar = self.jar()
        self.start_signin(other_jar, "/")
        self.assert_refused(call(state, None, use_jar=other_jar), other_jar, 403, "did not start in this browser")

        # a code the hub never gave: the state is right, the hub refuses it
        third = self.jar()
        _, third_state = self.start_signin(third, link)
        self.assert_refused(call(third_state, None, code_value="not-a-code-" + code[:8], use_jar=third), third, 502,
                            "JupyterHub did not accept the sign-in")

        # the refusals above were for the state alone: the same code and state in this browser sign in
        r = jar.get(callback)
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.header("location"), link)
        self.assertEqual(page_user(jar.get(self.gw.url(link))), "mallory")
        # ... once: the hub does not take the code again
        self.assert_refused(call(state, cookie), None, 502, "JupyterHub did not accept the sign-in")

    def test_next_stays_on_this_site(self):
        jar = self.jar()
        authorize, _ = self.start_signin(jar, "//evil.example/x")
        r = jar.get(self.code_from_hub(jar, authorize, "grace"))
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.header("location"), "/")

    def test_no_other_way_in(self):
        # the dev sign-in form is off, and the trusted-proxy header means nothing
        jar = self.jar()
        r = jar.post(self.gw.url("/signin"), {"name": "grace", "next": "/"})
        self.assertEqual(r.status, 404, r.text[:300])
        self.assertIn("Sign in through JupyterHub", r.text)
        self.assertNotIn("labgate_session", jar.cookies())
        r = jar.get(self.gw.url(page_path("intro.ipynb")), "-H", "X-Forwarded-User: grace")
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertTrue(r.header("location").startswith("/signin?next="), r.header("location"))
        # and a gateway with dev sign-in has no OAuth callback
        r = curl(DEV.gw.url("/oauth_callback?code=x&state=y"))
        self.assertEqual(r.status, 404, r.text[:300])

    def test_hub_signin_runtime_url_has_no_token(self):
        link = page_path("intro.ipynb")
        jar, r = self.sign_in("hopper", link)
        self.assertEqual(page_user(r), "hopper", r.text[:500])
        csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', r.text).group(1)
        form_link = re.search(r'name="link" value="([^"]*)"', r.text).group(1).replace("&amp;", "&")
        with worker(HUBAUTH, **hub_env(LABGATE_AUTH="jupyterhub")):
            r = jar.post(self.gw.url("/import"), {"csrf": csrf, "link": form_link, "mode": "notebook"})
            self.assertEqual(r.status, 303, r.text[:300])
            job_id = re.fullmatch(r"/jobs/([0-9a-f]{32})", r.header("location")).group(1)
            job = wait_job(HUBAUTH, job_id, log=lambda: HUBAUTH.worker_log(len(HUBAUTH.workers) - 1))
        self.assertEqual(job["state"], "ready", job)
        url = json.loads(job["result"])["url"]
        self.assertEqual(url, HUB.url + "/user/hopper/notebooks/lessons/intro.ipynb")
        # the browser signed in to the hub opens it (the hub's own OAuth for the user's server) ...
        r = jar.get(url, "-L", "--max-redirs", "10")
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertEqual(notebook_path(r), "lessons/intro.ipynb")
        # ... and a browser that is not signed in to the hub is asked to sign in there
        r = self.jar().get(url, "-L", "--max-redirs", "10")
        self.assertIsNone(notebook_path(r))
        self.assertTrue(login_form(r), r.text[:500])


if __name__ == "__main__":
    main()
