"""test_webhook.py - POST /webhooks/github end to end with REAL GitHub payloads: the examples of the npm
package @octokit/webhooks-examples (tests/webhook/node_modules, installed by scripts/install-test-deps),
retargeted at the repositories of a real `git daemon`, signed here with the test's secret and replayed
over HTTP/1.1 (http.client) and HTTP/2 (curl --http2-prior-knowledge) to a real gateway, with a real
redis-server and real workers.

- Signature: GitHub's documented vector (secret "It's a Secret to Everybody", body "Hello, World!") passes
  the check (the body then fails as JSON: 400 invalid_json, not 401); a missing, sha1-only, short, long,
  upper-case, other-secret or other-body signature is 401. Nothing is queued or recorded for any of them.
- Bodies: truncated JSON, a non-object, nesting bombs (the gateway stays up and fast), a form with no
  payload: 400; other content types: 415; a missing or malformed X-GitHub-Event / X-GitHub-Delivery: 400;
  26 MiB: 413; exactly 25 MiB (a valid push padded with a field): 202 queued, one byte more 413; other
  routes keep max_body_bytes (2 MiB to /api/v1/imports: 413).
- Events: ping 200 with the zen; issues and repository.publicized 202 ignored (and logged); push 202 and a
  background (lo) refresh job; form-encoded deliveries; HTTP/2; webhook_repos (OWNER/*, exact, any case).
- repository renamed / transferred / deleted: a forget job for the OLD name; the mirror is gone after it.
- Repeated deliveries: 200 duplicate with the first job's id, before and after the job ended; a delivery
  is recorded (PREFIX:delivery:ID, a week) only with its job: refused and ignored ones are not, nor one
  that got 503 while Redis was down.
- Coalescing: ten pushes within a second make one refresh job, run once by a worker. A push arriving while
  the refresh is already fetching makes a new job (it may have been missed by that fetch).
- End to end: an import makes the mirror; a new commit pushed upstream plus its webhook; after the refresh
  job the next import (mirror_max_age 1h) serves the new commit with no fetch of its own (result fetched
  false, no upload-pack at the git daemon) while without the webhook it serves the old one. A push for a
  repository never mirrored: webhook_mirror_new=no leaves it alone ("not mirrored here"), yes mirrors it.
- labgate_webhook_deliveries_total{event,outcome} counts what was sent, label by label.
- webhook_secret unset: 404 and `webhooks_off` in the gateway log at start."""

import contextlib
import copy
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid

from gitserver import GitServer, StallingServer
from harness import SOURCE_DIR, curl, main
from stack import PREFIX, Browser, Stack, import_path, notebook

SECRET = "It's a Secret to Everybody"  # GitHub's documented example secret, used throughout
VECTOR_BODY = b"Hello, World!"
VECTOR_SIG = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
REPOS = "octo/*, Former/Moved,Solo/Exact"  # webhook_repos of the main gateway
MIB = 1024 * 1024
EVENTS = ("ping", "push", "repository", "other")
OUTCOMES = ("answered", "queued", "duplicate", "ignored", "refused")
EXAMPLES = os.path.join(SOURCE_DIR, "tests", "webhook", "node_modules", "@octokit", "webhooks-examples")


# --- the real payloads ----------------------------------------------------------------------------------

def _index(flavour):
    path = os.path.join(EXAMPLES, flavour, "index.json")
    if not os.path.exists(path):
        raise AssertionError("%s is missing: run scripts/install-test-deps (npm ci in tests/webhook)" % path)
    with open(path, encoding="utf-8") as f:
        return {e["name"]: e["examples"] for e in json.load(f)}


def load_examples():
    """{kind: payload} picked from the package: github.com's examples, and GitHub Enterprise Server 3.5's
    repository.deleted (github.com's list has none)."""
    com, ghes = _index("api.github.com"), _index("ghes-35")

    def pick(examples, want):
        found = [e for e in examples if want(e)]
        assert found, "no such example in @octokit/webhooks-examples"
        return found[0]
    return {
        "ping": pick(com["ping"], lambda e: "repository" in e and e.get("zen")),
        "push": pick(com["push"], lambda e: e["ref"].startswith("refs/heads/") and e.get("commits")),
        "issues": pick(com["issues"], lambda e: True),
        "publicized": pick(com["repository"], lambda e: e["action"] == "publicized"),
        "renamed": pick(com["repository"], lambda e: e["action"] == "renamed"),
        "transferred": pick(com["repository"], lambda e: e["action"] == "transferred"),
        "deleted": pick(ghes["repository"], lambda e: e["action"] == "deleted"),
    }


def _replace_strings(value, old, new):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replace_strings(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace_strings(v, old, new) for k, v in value.items()}
    return value


def retarget(example, full_name):
    """A copy of example whose repository is full_name ("owner/name"): full_name, name, owner and every
    URL of the repository object rewritten."""
    doc = copy.deepcopy(example)
    owner, name = full_name.split("/")
    repo = _replace_strings(doc["repository"], doc["repository"]["full_name"], full_name)
    repo["full_name"], repo["name"] = full_name, name
    repo["owner"]["login"] = owner
    if "name" in repo["owner"]:
        repo["owner"]["name"] = owner
    doc["repository"] = repo
    return doc


def push_payload(example, full_name, after="0" * 40, branch="main"):
    doc = retarget(example, full_name)
    doc["ref"] = "refs/heads/" + branch
    doc["after"] = after
    if doc.get("head_commit"):
        doc["head_commit"]["id"] = after
    return doc


def body_of(doc):
    return doc if isinstance(doc, bytes) else json.dumps(doc).encode()


def sign(body, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sign_sha1(body, secret=SECRET):
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def guid():
    return str(uuid.uuid4())


class Reply:
    def __init__(self, status, headers, body, version="1.1"):
        self.status, self.headers, self.body, self.version = status, headers, body, version

    @property
    def doc(self):
        return json.loads(self.body)

    def __repr__(self):
        return "%d %s" % (self.status, self.body[:300])


# --- the tests ------------------------------------------------------------------------------------------

class WebhookTest(unittest.TestCase):
    """One gateway (webhook_secret, webhook_repos), one Redis and one git daemon for the class; workers are
    started by the tests that need one, and stopped by handle."""

    @classmethod
    def setUpClass(cls):
        cls.ex = load_examples()
        cls.git = GitServer().__enter__()
        try:
            cls.repos = {}
            for full in ("octo/e2e", "octo/coalesce", "octo/newcomer", "octo/old-name", "former/moved",
                         "octo/doomed", "octo/events"):
                owner, name = full.split("/")
                repo = cls.git.create(owner, name)
                repo.push({"lesson.ipynb": notebook("%s v1" % full)}, message="v1")
                cls.repos[full] = repo
            cls.stack = Stack(cls.git, aof=True, gateway_args=["--webhook-secret", SECRET, "--webhook-repos", REPOS],
                              threads=2)
            try:
                cls.stack.__enter__()
            except BaseException:
                cls.stack.__exit__(*sys.exc_info())
                raise
        except BaseException:
            cls.git.__exit__(None, None, None)
            raise
        cls.tmp = tempfile.mkdtemp(prefix="labgate-webhook-", dir=cls.stack.tmp)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.stack.__exit__(None, None, None)  # fails the class when the gateway did not exit 0
        finally:
            cls.git.__exit__(None, None, None)

    # -- helpers --------------------------------------------------------------------------------------

    def deliver(self, event, doc, delivery=None, signature=None, content_type="application/json", omit=(),
                extra=None):
        """POSTs one delivery as GitHub does (both signature headers, its User-Agent) over HTTP/1.1."""
        body = body_of(doc)
        headers = {"Content-Type": content_type, "User-Agent": "GitHub-Hookshot/labgate-test",
                   "X-GitHub-Event": event, "X-GitHub-Delivery": delivery or guid(),
                   "X-Hub-Signature": sign_sha1(body),
                   "X-Hub-Signature-256": sign(body) if signature is None else signature,
                   "X-GitHub-Hook-ID": "109948940"}
        headers.update(extra or {})
        for name in omit:
            headers.pop(name, None)
        conn = http.client.HTTPConnection("127.0.0.1", self.stack.gw.port, timeout=30)
        try:
            conn.request("POST", "/webhooks/github", body=body, headers=headers)
            r = conn.getresponse()
            return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def deliver_curl(self, event, path_or_body, *curl_args, delivery=None, signature=None):
        """A delivery sent by curl (big bodies from a file, HTTP/2): path_or_body is a file's path or the
        body itself; it is signed with SECRET unless signature is given."""
        if isinstance(path_or_body, bytes):
            path = os.path.join(self.tmp, "body-%s" % guid())
            with open(path, "wb") as f:
                f.write(path_or_body)
        else:
            path = path_or_body
        if signature is None:
            with open(path, "rb") as f:
                signature = sign(f.read())
        r = curl(self.stack.gw.url("/webhooks/github"), "-H", "Content-Type: application/json",
                 "-H", "X-GitHub-Event: " + event, "-H", "X-GitHub-Delivery: " + (delivery or guid()),
                 "-H", "X-Hub-Signature-256: " + signature, "--data-binary", "@" + path, *curl_args, timeout=60)
        return Reply(r.status, r.headers, r.body, r.version)

    def push(self, full, after="0" * 40, **kw):
        return self.deliver("push", push_payload(self.ex["push"], full, after), **kw)

    def job_ids(self):
        return set(self.stack.job_ids())

    def delivery_record(self, delivery):
        return self.stack.redis.cli("GET", "%s:delivery:%s" % (PREFIX, delivery)).strip()

    def assert_error(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/json"), r.headers)
        self.assertEqual(r.doc["error"]["code"], code, r)
        self.assertTrue(r.doc["error"]["message"].strip(), r)

    def assert_queued(self, r, mode="refresh", link=None, joined=False):
        """r is a 202 that queued a job (or joined one); returns the job's id after checking its record."""
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.doc["status"], "queued", r)
        self.assertIs(r.doc["joined"], joined, r)
        job = self.stack.job(r.doc["job"])
        self.assertEqual((job.get("user"), job.get("mode"), job.get("prio")), ("", mode, "lo"), job)
        if link is not None:
            self.assertEqual(job.get("link"), "https://github.com/" + link, job)
        return r.doc["job"]

    @contextlib.contextmanager
    def nothing_queued(self):
        """The block queues no job."""
        before = self.job_ids()
        yield
        self.assertEqual(self.job_ids() - before, set(), "a job was queued")

    def mirror(self, full):
        owner, name = full.lower().split("/")
        return os.path.join(self.stack.tmp, "cache", "127.0.0.1_%d" % self.git.port, owner, name + ".git")

    def mirror_sha(self, full, branch="main"):
        return self.git.git("--git-dir=" + self.mirror(full), "rev-parse", "refs/heads/" + branch)

    @contextlib.contextmanager
    def worker(self, *args, **env):
        """A worker for the block; stopped with SIGTERM afterwards, and it must exit 0 (no sanitizer report)."""
        proc = self.stack.start_worker(*args, **env)
        index = len(self.stack.workers) - 1
        try:
            # jobs earlier tests left queued go first (FIFO): the block starts once they ended
            leftovers = self.queued_jobs()
            if leftovers:
                self.stack.wait_for(leftovers, timeout=60)
            yield index
        finally:
            rc = proc.poll()
            if rc is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    rc = proc.wait(20)
                except Exception:
                    proc.kill()
                    proc.wait(10)
                    raise AssertionError("the worker did not stop on SIGTERM:\n" + self.stack.worker_log(index))
            self.assertEqual(rc, 0, "the worker exited %r:\n%s" % (rc, self.stack.worker_log(index)[-4000:]))

    def queued_jobs(self):
        """The ids of the jobs in state queued, in one round trip."""
        script = ("local out = {} for _, k in ipairs(redis.call('KEYS', ARGV[1])) do "
                  "if redis.call('HGET', k, 'state') == 'queued' then "
                  "out[#out + 1] = redis.call('HGET', k, 'id') end end return out")
        return self.stack.redis.cli("EVAL", script, "0", PREFIX + ":job:{*}").split()

    def wait_done(self, job_id, timeout=30):
        return self.stack.wait_for([job_id], timeout=timeout)[job_id]

    def result(self, job_id):
        job = self.wait_done(job_id)
        self.assertEqual(job.get("state"), "ready", job)
        return json.loads(job["result"])

    def webhook_metrics(self):
        r = curl(self.stack.gw.url("/metrics"))
        self.assertEqual(r.status, 200)
        out = {}
        for m in re.finditer(r'^labgate_webhook_deliveries_total\{event="(\w+)",outcome="(\w+)"\} (\d+)$', r.text,
                             re.M):
            out[(m.group(1), m.group(2))] = int(m.group(3))
        self.assertEqual(set(out), {(e, o) for e in EVENTS for o in OUTCOMES}, "every label pair is exported")
        return out

    # -- 1. the signature -------------------------------------------------------------------------------

    def test_01_github_documented_vector_passes_the_signature_check(self):
        self.assertEqual(sign(VECTOR_BODY), VECTOR_SIG)  # our signer agrees with GitHub's docs
        delivery = guid()
        with self.nothing_queued():
            r = self.deliver("ping", VECTOR_BODY, delivery=delivery, signature=VECTOR_SIG)
            # the signature checked out (not 401); "Hello, World!" is then no JSON
            self.assert_error(r, 400, "invalid_json")
            # one byte of the signature changed: now it is the signature that fails
            wrong = VECTOR_SIG[:-1] + ("0" if VECTOR_SIG[-1] != "0" else "1")
            self.assert_error(self.deliver("ping", VECTOR_BODY, signature=wrong), 401, "bad_signature")
        self.assertEqual(self.delivery_record(delivery), "")

    def test_02_bad_signatures_are_401_and_queue_nothing(self):
        doc = push_payload(self.ex["push"], "octo/events")
        body = body_of(doc)
        good = sign(body)
        changed = body.replace(b'"octo/events"', b'"octo/evento"', 1)
        self.assertEqual(len(changed), len(body))
        cases = {
            "none": dict(omit=("X-Hub-Signature-256",)),
            "sha1 only": dict(omit=("X-Hub-Signature-256",), extra={"X-Hub-Signature": sign_sha1(body)}),
            "empty": dict(signature=""),
            "no prefix": dict(signature=good[len("sha256="):]),
            "sha1 digest as sha256": dict(signature="sha256=" + sign_sha1(body)[len("sha1="):]),
            "one digit short": dict(signature=good[:-1]),
            "one digit long": dict(signature=good + "0"),
            "upper-case hex": dict(signature="sha256=" + good[len("sha256="):].upper()),
            "upper-case prefix": dict(signature="SHA256=" + good[len("sha256="):]),
            "another secret": dict(signature=sign(body, "It's a Secret to everybody")),
        }
        self.assertNotEqual(good[len("sha256="):].upper(), good[len("sha256="):])  # the case really differs
        with self.nothing_queued():
            for what, kw in cases.items():
                delivery = guid()
                r = self.deliver("push", body, delivery=delivery, **kw)
                self.assert_error(r, 401, "bad_signature")
                self.assertEqual(self.delivery_record(delivery), "", what)
            # the body changed by one byte after signing
            r = self.deliver("push", changed, signature=good)
            self.assert_error(r, 401, "bad_signature")
        self.stack.gw.wait_for_log(r"event=webhook_bad_signature github_event=push")

    # -- 2. bad bodies and headers ----------------------------------------------------------------------

    def test_03_bad_bodies_and_headers(self):
        doc = push_payload(self.ex["push"], "octo/events")
        body = body_of(doc)
        form = ("payload=" + urllib.parse.quote_plus(body.decode())).encode()
        with self.nothing_queued():
            self.assert_error(self.deliver("push", body[:len(body) // 2]), 400, "invalid_json")  # truncated
            self.assert_error(self.deliver("push", b"[1, 2, 3]"), 400, "invalid_json")  # not an object
            self.assert_error(self.deliver("push", b""), 400, "invalid_json")
            self.assert_error(self.deliver("push", body + b"\x00"), 400, "invalid_json")
            self.assert_error(self.deliver("push", b'{"a": 1, "a": 2}'), 400, "invalid_json")
            # GitHub's form encoding without its payload field
            self.assert_error(self.deliver("push", b"other=1", content_type="application/x-www-form-urlencoded"),
                              400, "invalid_json")
            # types other than JSON and GitHub's form
            for ctype in ("text/plain", "application/jsonx", "multipart/form-data; boundary=x"):
                self.assert_error(self.deliver("push", body, content_type=ctype), 415, "unsupported_media_type")
            self.assert_error(self.deliver("push", body, omit=("Content-Type",)), 415, "unsupported_media_type")
            self.assert_error(self.deliver("push", form, content_type="text/plain"), 415,
                              "unsupported_media_type")
            # the headers of a delivery
            self.assert_error(self.deliver("push", body, omit=("X-GitHub-Event",)), 400, "missing_headers")
            self.assert_error(self.deliver("push", body, omit=("X-GitHub-Delivery",)), 400, "missing_headers")
            self.assert_error(self.deliver("push", body, delivery="not a GUID!"), 400, "missing_headers")
            self.assert_error(self.deliver("push", body, delivery="a" * 65), 400, "missing_headers")
            # a push naming no (valid) repository
            nameless = dict(doc, repository={"full_name": "octo/a/b"})
            self.assert_error(self.deliver("push", nameless), 400, "no_repository")
            self.assert_error(self.deliver("push", {"ref": "refs/heads/main"}), 400, "no_repository")

    def test_04_json_bombs_are_400_and_the_gateway_stays_fast(self):
        bombs = {
            "arrays": b"[" * 200000 + b"]" * 200000,
            "objects": b'{"a":' * 100000 + b"1" + b"}" * 100000,
            "unclosed": b'{"a":[' * 100000,
        }
        with self.nothing_queued():
            for what, bomb in bombs.items():
                started = time.monotonic()
                r = self.deliver("push", bomb)
                took = time.monotonic() - started
                self.assert_error(r, 400, "invalid_json")
                self.assertLess(took, 5, "%s took %.1fs" % (what, took))
        started = time.monotonic()
        self.assertEqual(curl(self.stack.gw.url("/healthz")).status, 200)
        self.assertLess(time.monotonic() - started, 2)
        self.assertIsNone(self.stack.gw.proc.poll(), "the gateway died")

    def test_05_body_sizes(self):
        """The webhook route takes up to 25 MiB (GitHub's cap) inclusive; others keep max_body_bytes."""
        limit = 25 * MIB
        doc = push_payload(self.ex["push"], "octo/big")
        doc["padding"] = ""
        doc["padding"] = "x" * (limit - len(body_of(doc)))
        exact = body_of(doc)
        self.assertEqual(len(exact), limit)
        path = os.path.join(self.tmp, "exact.json")
        with open(path, "wb") as f:
            f.write(exact)
        # 25 MiB exactly, a valid push: size-wise accepted, so queued
        r = self.deliver_curl("push", path)
        self.assertEqual(r.status, 202, r)
        big_job = self.assert_queued(r, link="octo/big")
        # one byte more, and 26 MiB: 413 (h2o's own answer, before the route: nothing counted or queued)
        with self.nothing_queued():
            with open(path, "ab") as f:
                f.write(b" ")
            r = self.deliver_curl("push", path)
            self.assertEqual(r.status, 413, r)
            with open(path, "ab") as f:
                f.write(b" " * (MIB - 1))
            self.assertEqual(os.path.getsize(path), 26 * MIB)
            r = self.deliver_curl("push", path)
            self.assertEqual(r.status, 413, r)
            # another route: 2 MiB of JSON to the import API is over max_body_bytes (1 MiB)
            small = os.path.join(self.tmp, "two-mib.json")
            with open(small, "wb") as f:
                f.write(b'{"url": "https://github.com/octo/e2e", "pad": "' + b"x" * (2 * MIB) + b'"}')
            r = curl(self.stack.gw.url("/api/v1/imports"), "-H", "Content-Type: application/json",
                     "--data-binary", "@" + small)
            self.assertEqual(r.status, 413, r.text[:200])
            self.assertEqual(json.loads(r.text)["error"]["code"], "body_too_large")
        os.unlink(path)
        self.assertEqual(self.stack.job(big_job).get("state"), "queued")

    # -- 3. events ------------------------------------------------------------------------------------

    def test_06_ping_and_events_labgate_does_not_use(self):
        ping = self.ex["ping"]
        with self.nothing_queued():
            r = self.deliver("ping", ping)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.doc, {"status": "pong", "zen": ping["zen"]})
            r = self.deliver("issues", self.ex["issues"])
            self.assertEqual(r.status, 202, r)
            self.assertEqual(r.doc["status"], "ignored: labgate does not use this event")
            self.stack.gw.wait_for_log(r"event=webhook github_event=issues outcome=ignored")
            # a repository event that leaves mirrors alone, for a repository that is allowed
            r = self.deliver("repository", retarget(self.ex["publicized"], "octo/events"))
            self.assertEqual(r.status, 202, r)
            self.assertEqual(r.doc, {"status": "ignored: this repository event leaves mirrors alone",
                                     "action": "publicized"})
            # a repository event for a repository not in webhook_repos
            r = self.deliver("repository", self.ex["renamed"])
            self.assertEqual((r.status, r.doc.get("repository")), (202, "Octocoders/Hello-World"), r)
        self.assertFalse(any("webhooks_off" in line for line in self.stack.gw.log()),
                         "webhooks_off logged by a gateway that has a secret")

    def test_07_push_queues_a_background_refresh(self):
        delivery = guid()
        self.assertEqual(self.delivery_record(delivery), "")
        before = self.job_ids()
        r = self.push("octo/events", delivery=delivery, extra={"Content-Type": "application/json; charset=utf-8"})
        job_id = self.assert_queued(r, link="octo/events")
        self.assertEqual(self.job_ids() - before, {job_id})
        job = self.stack.job(job_id)
        self.assertEqual(job["state"], "queued")
        self.assertIn(job_id, self.stack.redis.cli("XRANGE", PREFIX + ":{q}:lo", "-", "+").split())
        self.assertNotIn(job_id, self.stack.redis.cli("XRANGE", PREFIX + ":{q}:hi", "-", "+").split())
        self.assertEqual(self.delivery_record(delivery), job_id)
        ttl = int(self.stack.redis.cli("PTTL", "%s:delivery:%s" % (PREFIX, delivery)))
        self.assertTrue(6 * 86400000 < ttl <= 7 * 86400000, ttl)
        self.stack.gw.wait_for_log(r"event=webhook github_event=push outcome=queued")
        # a second push to the same repository joins the waiting refresh
        r = self.push("octo/events")
        self.assertEqual(self.assert_queued(r, joined=True), job_id)
        # GitHub's form encoding, over HTTP/1.1
        body = json.dumps(push_payload(self.ex["push"], "octo/Form-Encoded")).encode()
        form = ("payload=" + urllib.parse.quote_plus(body.decode())).encode()
        r = self.deliver("push", form, content_type="application/x-www-form-urlencoded")
        self.assert_queued(r, link="octo/Form-Encoded")
        # a push over HTTP/2 (h2c with prior knowledge)
        r = self.deliver_curl("push", body_of(push_payload(self.ex["push"], "octo/over-h2")),
                              "--http2-prior-knowledge")
        self.assertEqual(r.version, "2")
        self.assert_queued(r, link="octo/over-h2")

    def test_08_webhook_repos_allow_list(self):
        """REPOS: octo/* and two exact names, any case."""
        for full in ("OCTO/Anything", "octo/x.y_z-1", "former/MOVED", "SOLO/exact"):
            r = self.push(full)
            self.assert_queued(r, link=full)
        with self.nothing_queued():
            for full in ("solo/exact2", "solo/other", "octopus/x", "oct/x", "someone/octo", "Former/Moved-Not"):
                delivery = guid()
                r = self.push(full, delivery=delivery)
                self.assertEqual(r.status, 202, r)
                self.assertEqual(r.doc, {"status": "ignored: the repository is not in webhook_repos",
                                         "repository": full})
                self.assertEqual(self.delivery_record(delivery), "")

    def test_09_renamed_transferred_deleted_drop_the_old_mirror(self):
        old_names = ("octo/old-name", "former/moved", "octo/doomed")
        with self.worker(LABGATE_WEBHOOK_MIRROR_NEW="yes"):
            for full in old_names:  # the mirrors to drop, made by pushes
                job_id = self.assert_queued(self.push(full), link=full)
                self.assertEqual(self.result(job_id), {"mirror": "refreshed"})
                self.assertTrue(os.path.isdir(self.mirror(full)), full)
            bystander = "octo/events"  # a mirror that stays
            self.assertEqual(self.result(self.assert_queued(self.push(bystander))), {"mirror": "refreshed"})

            renamed = retarget(self.ex["renamed"], "octo/new-name")
            renamed["changes"]["repository"]["name"]["from"] = "old-name"
            transferred = retarget(self.ex["transferred"], "octo/moved")
            transferred["changes"]["owner"]["from"]["user"]["login"] = "former"
            deleted = retarget(self.ex["deleted"], "octo/doomed")
            for doc, old in ((renamed, "octo/old-name"), (transferred, "former/moved"), (deleted, "octo/doomed")):
                r = self.deliver("repository", doc)
                job_id = self.assert_queued(r, mode="forget", link=old)
                self.assertEqual(self.result(job_id), {"mirror": "dropped"})
                self.assertFalse(os.path.exists(self.mirror(old)), old)
            for full in old_names:
                self.assertFalse(os.path.exists(self.mirror(full)), full)
            self.assertTrue(os.path.isdir(self.mirror(bystander)))
            # the new names were never mirrored, and nothing was made for them
            for full in ("octo/new-name", "octo/moved"):
                self.assertFalse(os.path.exists(self.mirror(full)), full)
            # a forget of what is not mirrored here is fine
            r = self.deliver("repository", deleted)
            self.assertEqual(self.result(self.assert_queued(r, mode="forget")), {"mirror": "dropped"})
            # an organisation's transfer: the old owner is changes.owner.from.organization
            org = retarget(self.ex["transferred"], "octo/from-org")
            org["changes"]["owner"]["from"] = {"organization": {"login": "Some-Org"}}
            r = self.deliver("repository", org)
            self.assertEqual(self.result(self.assert_queued(r, mode="forget", link="Some-Org/from-org")),
                             {"mirror": "dropped"})
            # a rename whose payload lacks the old name drops nothing
            with self.nothing_queued():
                bare = retarget(self.ex["renamed"], "octo/new-name")
                del bare["changes"]
                r = self.deliver("repository", bare)
                self.assertEqual((r.status, r.doc["status"]),
                                 (202, "ignored: this repository event leaves mirrors alone"), r)

    # -- 4. repeated deliveries -------------------------------------------------------------------------

    def test_10_duplicate_deliveries(self):
        delivery = guid()
        doc = push_payload(self.ex["push"], "octo/dup")
        with self.nothing_queued():  # refused and ignored deliveries are not recorded
            for kw in (dict(signature=sign(b"something else")), dict(content_type="text/plain")):
                self.assertIn(self.deliver("push", doc, delivery=delivery, **kw).status, (401, 415))
                self.assertEqual(self.delivery_record(delivery), "")
            self.assertEqual(self.deliver("issues", self.ex["issues"], delivery=delivery).status, 202)
            self.assertEqual(self.deliver("push", push_payload(self.ex["push"], "solo/other"),
                                          delivery=delivery).status, 202)  # not in webhook_repos
            self.assertEqual(self.delivery_record(delivery), "")
        before = self.job_ids()
        job_id = self.assert_queued(self.deliver("push", doc, delivery=delivery), link="octo/dup")
        self.assertEqual(self.job_ids() - before, {job_id})
        self.assertEqual(self.delivery_record(delivery), job_id)
        with self.nothing_queued():
            r = self.deliver("push", doc, delivery=delivery)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.doc, {"status": "duplicate delivery: nothing queued again", "job": job_id})
            # whatever the redelivery says, the delivery was handled
            r = self.deliver("push", push_payload(self.ex["push"], "octo/another"), delivery=delivery)
            self.assertEqual((r.status, r.doc.get("job")), (200, job_id), r)
        with self.worker():
            self.assertEqual(self.result(job_id), {"mirror": "not mirrored here"})
        with self.nothing_queued():  # a redelivery after the job ended
            r = self.deliver("push", doc, delivery=delivery)
            self.assertEqual((r.status, r.doc.get("job")), (200, job_id), r)
        self.stack.gw.wait_for_log(r"event=webhook github_event=push outcome=duplicate")

    # -- 5. coalescing ------------------------------------------------------------------------------------

    def test_11_ten_pushes_in_a_second_make_one_refresh(self):
        full, repo = "octo/coalesce", self.repos["octo/coalesce"]
        with self.worker(LABGATE_WEBHOOK_MIRROR_NEW="yes"):
            self.assertEqual(self.result(self.assert_queued(self.push(full))), {"mirror": "refreshed"})
        old = repo.rev("refs/heads/main")
        self.assertEqual(self.mirror_sha(full), old)
        new = repo.push({"lesson.ipynb": notebook("coalesce v2")}, message="v2")
        before = self.job_ids()
        fetches = self.git.upload_pack_requests("octo", "coalesce")
        deliveries = [guid() for _ in range(10)]
        started = time.monotonic()
        replies = [self.push(full, new, delivery=d) for d in deliveries]
        took = time.monotonic() - started
        self.assertLess(took, 1.0, "ten deliveries took %.2fs" % took)
        job_id = self.assert_queued(replies[0])
        for r in replies[1:]:
            self.assertEqual(self.assert_queued(r, joined=True), job_id)
        self.assertEqual(self.job_ids() - before, {job_id})
        self.assertEqual([self.delivery_record(d) for d in deliveries], [job_id] * 10)
        self.assertEqual(self.stack.job(job_id)["state"], "queued")
        self.assertEqual(self.mirror_sha(full), old)  # nothing ran yet
        with self.worker() as w:
            self.assertEqual(self.result(job_id), {"mirror": "refreshed"})
            self.assertEqual(self.stack.job(job_id)["attempts"], "1")
        self.assertEqual(self.git.upload_pack_requests("octo", "coalesce"), fetches + 1)
        self.assertEqual(self.mirror_sha(full), new)
        done = [line for line in self.stack.worker_log(w).splitlines()
                if "event=mirror_job_done" in line and "octo/coalesce" in line]
        self.assertEqual(len(done), 1, done)
        states = [e["state"] for e in self.stack.history(job_id)]
        self.assertEqual(states, ["queued", "fetching", "ready"])

    def test_12_a_push_during_a_running_refresh_gets_its_own(self):
        """A refresh already fetching may have read the refs before this push: the push must not join it."""
        full = "octo/stalled"
        if self.queued_jobs():  # the worker below takes one job at a time, and hangs on it
            with self.worker():
                pass
        with StallingServer() as stall:
            proc = self.stack.start_worker("--github-url", stall.url, "--fetch-timeout", "60s",
                                           "--worker-concurrency", "1", LABGATE_WEBHOOK_MIRROR_NEW="yes")
            try:
                first = self.assert_queued(self.push(full), link=full)
                self.stack.wait_for([first], states=("fetching",), timeout=15)
                second = self.assert_queued(self.push(full), link=full)
                self.assertNotEqual(second, first)
                self.assertEqual(self.stack.job(second)["state"], "queued")
                # a third push joins the waiting one
                self.assertEqual(self.assert_queued(self.push(full), joined=True), second)
            finally:
                proc.kill()  # stuck in the fetch by design
                proc.wait(10)

    # -- 6. end to end --------------------------------------------------------------------------------------

    def test_13_push_webhook_keeps_the_mirror_warm_for_imports(self):
        full, repo = "octo/e2e", self.repos["octo/e2e"]
        v1 = repo.rev("refs/heads/main")
        alice = Browser(self.stack, "alice")
        page = import_path("octo", "e2e", "main", "lesson.ipynb")
        target = os.path.join(self.stack.project("alice"), "e2e", "lesson.ipynb")
        with self.worker(LABGATE_MIRROR_MAX_AGE="1h"):
            first = self.result(alice.import_link(page))
            self.assertEqual((first["commit"], first["fetched"]), (v1, True))
            self.assertTrue(os.path.isdir(self.mirror(full)))

            v2 = repo.push({"lesson.ipynb": notebook("e2e v2")}, message="v2")
            # without a webhook the mirror (fetched under an hour ago) serves the old commit
            stale = self.result(alice.import_link(page))
            self.assertEqual((stale["commit"], stale["fetched"]), (v1, False))

            fetches = self.git.upload_pack_requests("octo", "e2e")
            r = self.push(full, v2)
            refresh = self.assert_queued(r, link=full)
            self.assertEqual(self.result(refresh), {"mirror": "refreshed"})
            self.assertEqual(self.git.upload_pack_requests("octo", "e2e"), fetches + 1)
            self.assertEqual(self.mirror_sha(full), v2)

            fetches = self.git.upload_pack_requests("octo", "e2e")
            fresh = self.result(alice.import_link(page))
            self.assertEqual((fresh["commit"], fresh["fetched"]), (v2, False))
            self.assertEqual(self.git.upload_pack_requests("octo", "e2e"), fetches)
            with open(target, "rb") as f:
                self.assertEqual(f.read(), notebook("e2e v2"))

    def test_14_push_for_a_repository_never_mirrored(self):
        full = "octo/newcomer"
        with self.worker():  # webhook_mirror_new = no (the default)
            job_id = self.assert_queued(self.push(full), link=full)
            self.assertEqual(self.result(job_id), {"mirror": "not mirrored here"})
        self.assertFalse(os.path.exists(self.mirror(full)))
        self.assertEqual(self.git.upload_pack_requests("octo", "newcomer"), 0)
        with self.worker(LABGATE_WEBHOOK_MIRROR_NEW="yes"):
            again = self.assert_queued(self.push(full), link=full)
            self.assertNotEqual(again, job_id)  # the first one ended: a new job
            self.assertEqual(self.result(again), {"mirror": "refreshed"})
        self.assertTrue(os.path.isdir(self.mirror(full)))
        self.assertEqual(self.mirror_sha(full), self.repos[full].rev("refs/heads/main"))
        self.assertEqual(self.git.upload_pack_requests("octo", "newcomer"), 1)

    # -- 7. metrics -------------------------------------------------------------------------------------

    def test_15_metrics_count_by_event_and_outcome(self):
        before = self.webhook_metrics()
        dup = guid()
        sent = [
            (("ping", "answered"), lambda: self.deliver("ping", self.ex["ping"])),
            (("ping", "refused"), lambda: self.deliver("ping", b"{")),
            (("ping", "refused"), lambda: self.deliver("ping", self.ex["ping"], signature=sign(b"x"))),
            (("push", "queued"), lambda: self.push("octo/metrics", delivery=dup)),
            (("push", "duplicate"), lambda: self.push("octo/metrics", delivery=dup)),
            (("push", "queued"), lambda: self.push("octo/metrics")),  # joined: still queued
            (("push", "ignored"), lambda: self.push("solo/other")),
            (("push", "refused"), lambda: self.push("octo/metrics", signature="sha256=" + "0" * 64)),
            (("push", "refused"), lambda: self.push("octo/metrics", content_type="text/plain")),
            (("repository", "queued"), lambda: self.deliver("repository",
                                                            retarget(self.ex["deleted"], "octo/metrics"))),
            (("repository", "ignored"), lambda: self.deliver("repository",
                                                             retarget(self.ex["publicized"], "octo/metrics"))),
            (("repository", "refused"), lambda: self.deliver("repository", b"[]")),
            (("other", "ignored"), lambda: self.deliver("issues", self.ex["issues"])),
            (("other", "ignored"), lambda: self.deliver("star", {"action": "created"})),
            (("other", "refused"), lambda: self.deliver("push", self.ex["push"], omit=("X-GitHub-Event",))),
            (("other", "refused"), lambda: self.deliver("issues", b"{}", signature="")),
        ]
        want = {k: 0 for k in before}
        for key, send in sent:
            r = send()
            self.assertIn(r.status, (200, 202, 400, 401, 415), r)
            want[key] += 1
        after = self.webhook_metrics()
        self.assertEqual({k: after[k] - before[k] for k in after}, want)

    # -- 4b. Redis down: a delivery that could not be queued is not taken for seen --------------------------

    def test_16_redis_down_then_back(self):
        delivery = guid()
        doc = push_payload(self.ex["push"], "octo/after-outage")
        self.stack.redis.stop()
        try:
            r = self.deliver("push", doc, delivery=delivery)
            self.assert_error(r, 503, "queue_unavailable")
            self.assertTrue(r.headers.get("retry-after", "").isdigit(), r.headers)
        finally:
            self.stack.redis.start()  # the same port, the same data (append-only file)
        deadline = time.monotonic() + 20
        while True:  # each gateway thread reconnects by itself; every try is the same delivery
            r = self.deliver("push", doc, delivery=delivery)
            if r.status != 503 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        job_id = self.assert_queued(r, link="octo/after-outage")
        self.assertEqual(self.delivery_record(delivery), job_id)
        deadline = time.monotonic() + 20
        seen = []
        while len(seen) < 4 and time.monotonic() < deadline:  # both threads, twice
            r = self.deliver("push", doc, delivery=delivery)
            if r.status != 503:
                seen.append((r.status, r.doc.get("job")))
            else:
                time.sleep(0.2)
        self.assertEqual(seen, [(200, job_id)] * 4)


class WebhooksOff(unittest.TestCase):
    """No webhook_secret: the route answers 404, and the gateway says so at start."""

    def test_no_secret_no_webhooks(self):
        with GitServer(verbose=False) as git, Stack(git) as stack:
            stack.gw.wait_for_log(r"level=warn .*event=webhooks_off")
            body = body_of(load_examples()["ping"])
            before = set(stack.job_ids())
            r = curl(stack.gw.url("/webhooks/github"), "-H", "Content-Type: application/json",
                     "-H", "X-GitHub-Event: ping", "-H", "X-GitHub-Delivery: " + guid(),
                     "-H", "X-Hub-Signature-256: " + sign(body), "--data-binary", body)
            self.assertEqual(r.status, 404, r.text)
            self.assertEqual(json.loads(r.text)["error"]["code"], "webhooks_off")
            self.assertEqual(set(stack.job_ids()), before)
            # without webhooks, no route takes more than max_body_bytes
            path = os.path.join(stack.tmp, "two-mib.json")
            with open(path, "wb") as f:
                f.write(b"x" * (2 * MIB))
            r = curl(stack.gw.url("/webhooks/github"), "-H", "Content-Type: application/json",
                     "--data-binary", "@" + path)
            self.assertEqual(r.status, 413, r.text[:200])


if __name__ == "__main__":
    main()
