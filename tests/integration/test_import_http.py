"""test_import_http.py - `labgate import` over git's smart HTTP protocol: the real `git http-backend`
behind a small HTTP server on loopback. Imports work in both modes; a redirect to another host is refused
before that host is ever asked; a repository the server does not have is reported as not found."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from githttp import GitHttpServer
from gitserver import GitServer
from harness import LABGATE, main, run

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


class SmartHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.git = GitServer(verbose=False)
        cls.repo = cls.git.create("alice", "web", default_branch="main")
        cls.commit = cls.repo.commit({"sub/nb.ipynb": NOTEBOOK, "README.md": b"hello\n"}, branch="main")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.git.tmp, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="labgate-http-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def labgate_import(self, url, github_url, *args):
        argv = [LABGATE, "import", url, "--user", "ann", "--json", "--github-url", github_url,
                "--projects-dir", os.path.join(self.tmp, "projects"),
                "--cache-dir", os.path.join(self.tmp, "cache"), "--fetch-timeout", "30s"] + list(args)
        return run(argv, timeout=90)

    def test_notebook_and_repo_modes(self):
        with GitHttpServer(self.git.root) as server:
            done = self.labgate_import("https://github.com/alice/web/blob/main/sub/nb.ipynb", server.url)
            self.assertEqual(done.returncode, 0, done.stderr)
            result = json.loads(done.stdout)
            self.assertEqual(result["commit"], self.commit)
            self.assertEqual(result["files"]["created"], ["sub/nb.ipynb"])
            with open(os.path.join(result["target_dir"], "sub", "nb.ipynb"), "rb") as f:
                self.assertEqual(f.read(), NOTEBOOK)
            done = self.labgate_import("https://github.com/alice/web", server.url, "--mode", "repo")
            self.assertEqual(done.returncode, 0, done.stderr)
            target = json.loads(done.stdout)["target_dir"]
            git = lambda *a: subprocess.run(["git", "-C", target] + list(a), capture_output=True, text=True,
                                            timeout=30).stdout.strip()
            self.assertEqual(git("status", "--porcelain"), "")
            self.assertEqual(git("rev-parse", "HEAD"), self.commit)
            self.assertEqual(git("remote", "get-url", "origin"), server.url + "/alice/web.git")
            self.assertTrue(any("git-upload-pack" in r for r in server.requests), server.requests)

    def test_off_site_redirect_is_refused(self):
        with GitHttpServer(self.git.root, host="127.0.0.2") as elsewhere, \
                GitHttpServer(self.git.root, redirect_to=elsewhere.url) as server:
            done = self.labgate_import("https://github.com/alice/web/blob/main/sub/nb.ipynb", server.url)
            self.assertEqual(done.returncode, 1, done.stdout)
            self.assertIn("redirect", done.stderr)
            self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
            self.assertEqual(elsewhere.requests, [])
            self.assertTrue(server.requests)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "projects", "ann")))

    def test_unknown_repository(self):
        with GitHttpServer(self.git.root) as server:
            done = self.labgate_import("https://github.com/alice/missing", server.url)
            self.assertEqual(done.returncode, 1, done.stdout)
            self.assertIn("not found", done.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "projects", "ann")))


if __name__ == "__main__":
    main()
