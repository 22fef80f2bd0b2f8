"""hubserver.py - a real JupyterHub 3.0 (Debian's jupyterhub package) on loopback for the tests of the
hub runtime and of signing in through the hub: DummyAuthenticator with one password, the
SimpleLocalProcessSpawner serving PROJECTS/USER (users need not exist on the system), labgate's hub service
(API token, OAuth client with the gateway's /oauth_callback, no consent page) with the roles labgate needs,
and users allowed to sign in to that service. Everything lives in one temporary folder (database, cookie
secret, proxy pid file, log, projects).

Users whose names start with "broken" fail to spawn at once (a pre-spawn hook raises BROKEN_REASON); users
whose names start with "dies" get /bin/false as their server, which the hub gives up on after
DIES_HTTP_TIMEOUT seconds; users whose names start with "hangs" get a server that never answers, which
the hub waits a minute for.

The hub runs in its own session; its proxy and the single-user servers it starts (each in their own
session) and their kernels carry a marker in their environment, so that stop() finds and kills them all
(by pid, never by name) even when the hub could not clean up after itself."""

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from gitserver import _die_with_parent, free_port

JUPYTERHUB = "/usr/bin/jupyterhub"
SINGLEUSER = "/usr/bin/jupyterhub-singleuser"
PROXY = "/usr/bin/configurable-http-proxy"
BROKEN_REASON = "the hub has no room for this user today"
DIES_HTTP_TIMEOUT = 3
MARK_VARIABLE = "LABGATE_TEST_HUB_MARK"

CONFIG = r'''
import json
import os

settings = json.loads(%(settings)r)
c = get_config()  # noqa

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(settings["tmp"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(settings["tmp"], "cookie_secret")
c.JupyterHub.pid_file = os.path.join(settings["tmp"], "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%%d" %% settings["api_port"]
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(settings["tmp"], "proxy.pid")

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = settings["password"]

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(settings["projects"], "{username}")
c.Spawner.notebook_dir = os.path.join(settings["projects"], "{username}")
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.ip = "127.0.0.1"
c.Spawner.http_timeout = settings["http_timeout"]
c.Spawner.start_timeout = settings["start_timeout"]
c.Spawner.environment = {settings["mark_variable"]: settings["mark"]}


def pre_spawn_hook(spawner):
    name = spawner.user.name
    if name.startswith("broken"):
        raise RuntimeError(settings["broken_reason"])
    if name.startswith("dies"):
        spawner.cmd = ["/bin/false"]
        spawner.http_timeout = settings["dies_http_timeout"]
    if name.startswith("hangs"):
        spawner.cmd = ["/bin/sleep", "600"]
        spawner.http_timeout = 60


c.Spawner.pre_spawn_hook = pre_spawn_hook

c.JupyterHub.services = [{
    "name": "labgate",
    "api_token": settings["token"],
    "oauth_client_id": settings["client_id"],
    "oauth_redirect_uri": settings["redirect_uri"],
    "oauth_no_confirm": True,
}]
c.JupyterHub.load_roles = [
    {"name": "labgate-service", "scopes": ["admin:users", "servers", "tokens", "access:servers"],
     "services": ["labgate"]},
    {"name": "user", "scopes": ["self", "access:services!service=labgate"]},
]
'''


class HubServer:
    """A JupyterHub on free loopback ports; url is known before start(). redirect_uri is the OAuth
    redirect of labgate's service (a gateway's http://127.0.0.1:PORT/oauth_callback). Use as a context
    manager."""

    def __init__(self, redirect_uri, client_id="service-labgate", http_timeout=20, start_timeout=30):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="labgate-hub-"))
        self.projects = os.path.join(self.tmp, "projects")
        os.makedirs(self.projects)
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.password = "pw-" + secrets.token_hex(6)
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.http_timeout = http_timeout
        self.start_timeout = start_timeout
        self.mark = secrets.token_hex(12)
        self.log_path = os.path.join(self.tmp, "hub.log")
        self.proc = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _write_config(self):
        settings = dict(port=self.port, hub_port=free_port(), api_port=free_port(), tmp=self.tmp,
                        projects=self.projects, proxy=PROXY, singleuser=SINGLEUSER, password=self.password,
                        token=self.token, client_id=self.client_id, redirect_uri=self.redirect_uri,
                        http_timeout=self.http_timeout, start_timeout=self.start_timeout,
                        mark_variable=MARK_VARIABLE, mark=self.mark, broken_reason=BROKEN_REASON,
                        dies_http_timeout=DIES_HTTP_TIMEOUT)
        path = os.path.join(self.tmp, "jupyterhub_config.py")
        with open(path, "w") as f:
            f.write(CONFIG % {"settings": json.dumps(settings)})
        return path

    def start(self, timeout=45):
        config = self._write_config()
        env = dict(os.environ, NODE_PATH="/usr/share/nodejs", **{MARK_VARIABLE: self.mark})
        env.pop("CONFIGPROXY_AUTH_TOKEN", None)
        env.pop("JUPYTERHUB_API_TOKEN", None)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([JUPYTERHUB, "-f", config], stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=log, env=env, cwd=self.tmp, start_new_session=True,
                                     preexec_fn=_die_with_parent)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, doc = self.api("GET", "/hub/api/", timeout=2)
                if status == 200 and "version" in doc:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        rc = self.proc.poll()
        self.stop()
        raise AssertionError("JupyterHub did not start within %ds (exit %r); its log:\n%s"
                             % (timeout, rc, self.log()[-6000:]))

    # -- stopping: the hub, then whatever it started that is still there ------------------------------

    def marked_pids(self):
        """Processes carrying this hub's marker in their environment (its proxy, servers, kernels)."""
        want = ("%s=%s" % (MARK_VARIABLE, self.mark)).encode()
        pids = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            try:
                with open("/proc/%s/environ" % name, "rb") as f:
                    if want in f.read().split(b"\0"):
                        pids.append(int(name))
            except OSError:
                pass
        return pids

    def stop(self, timeout=20):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops its servers and its proxy
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything left in the hub's own session
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        deadline = time.monotonic() + 10
        while True:
            left = self.marked_pids()
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if time.monotonic() > deadline:
                raise AssertionError("processes of the test hub would not die: %s" % left)
            time.sleep(0.1)
        self.proc = None

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    # -- the REST API ----------------------------------------------------------------------------------

    def api(self, method, path, doc=None, token=None, timeout=15):
        """(status, JSON answer or None) of one call, with labgate's service token unless token is given
        ("" for none)."""
        data = None if doc is None else json.dumps(doc).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        token = self.token if token is None else token
        if token:
            req.add_header("Authorization", "token " + token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, None

    def user(self, name):
        """The hub's model of user name, or None when the hub has no such user."""
        status, doc = self.api("GET", "/hub/api/users/" + name)
        if status == 404:
            return None
        assert status == 200, (status, doc)
        return doc
