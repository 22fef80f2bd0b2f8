"""test_import.py - `labgate import` against a real `git daemon` on loopback: notebook, folder and whole
repository imports, every kind of ref, unicode names, re-imports that never overwrite the user's work,
repo mode working copies, the shared mirror and its single fetch under concurrency, hostile repositories
refused with the project left as it was, symlinks in the repository and planted in the project,
environment detection, and errors (unknown repository, ref or path, a stalling server, usage)."""

import hashlib
import json
import os
import pty
import shutil
import stat
import subprocess
import tempfile
import time
import unittest
from urllib.parse import quote

from gitserver import Executable, GitServer, StallingServer, Symlink, lfs_pointer
from harness import LABGATE, main, run

SERVER = None
OWNER = "alice"
ROWS = ("created", "updated", "restored", "unchanged", "kept", "beside", "skipped")
KEYS = {"owner", "repo", "mode", "ref", "ref_kind", "branch", "commit", "path", "project_dir", "target_dir",
        "open_path", "fetched", "files", "lfs", "environment"}
NO_ENV = {"dir": "", "files": []}
LONG_AGE = ("--mirror-max-age", "300s")  # no refetch between the imports of one test, however slow the build


def setUpModule():
    global SERVER
    SERVER = GitServer(verbose=True).__enter__()


def tearDownModule():
    SERVER.__exit__(None, None, None)


def nb(text):
    """A small notebook whose content depends on text."""
    return ('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["%s"]}], "metadata": {}, '
            '"nbformat": 4, "nbformat_minor": 5}\n' % text).encode()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def listing(top, mtimes=False):
    """{relative path: description} of everything under top, symlinks never followed; None if top is
    absent. A file is ("file", content or its sha256), a link ("link", target), a directory ("dir",)."""
    if not os.path.lexists(top):
        return None
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, top)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                value = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                value = ("dir",)
            else:
                data = read(p)
                value = ("file", data if len(data) <= 300 else hashlib.sha256(data).hexdigest())
            if mtimes and not stat.S_ISDIR(st.st_mode):
                value += (st.st_mtime_ns,)
            out[rel] = value
    return out


def files_only(tree):
    """A listing without its directories."""
    return {k: v for k, v in tree.items() if v[0] != "dir"}


def names(top):
    return sorted(os.path.relpath(os.path.join(d, n), top) for d, ds, fs in os.walk(top) for n in ds + fs)


class ImportTest(unittest.TestCase):
    """Each test has its own projects and cache dirs, and its own repositories on the shared daemon."""

    maxDiff = None

    def setUp(self):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="labgate-import-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.projects = os.path.join(self.tmp, "projects")
        self.cache = os.path.join(self.tmp, "cache")
        self.home = os.path.join(self.tmp, "home")
        for d in (self.projects, self.cache, self.home):
            os.makedirs(d)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("LABGATE_", "GIT_"))}
        self.env.update(HOME=self.home, GIT_CONFIG_NOSYSTEM="1")
        self.name = self._testMethodName[len("test_"):].replace("_", "-")

    # -- repositories and links ------------------------------------------------------------------------

    def make_repo(self, files=None, branch="main", name=None, default_branch=None):
        """ROOT/alice/NAME.git; with files, one commit of them on branch (self.commit)."""
        repo = SERVER.create(OWNER, name or self.name, default_branch or branch)
        if files is not None:
            self.commit = repo.commit(files, branch=branch)
        return repo

    def link(self, kind=None, ref=None, path="", name=None, owner=OWNER):
        base = "https://github.com/%s/%s" % (owner, name or self.name)
        if kind is None:
            return base
        return "%s/%s/%s" % (base, kind, ref) + ("/" + quote(path, safe="/") if path else "")

    def user_dir(self, user="ann"):
        return os.path.join(self.projects, user)

    def target(self, user="ann", name=None):
        return os.path.join(self.projects, user, name or self.name)

    # -- running labgate import ----------------------------------------------------------------------

    def labgate_import(self, link, *args, user="ann", github_url=None, as_json=True, env=None, timeout=120,
                       standard=True):
        argv = [LABGATE, "import", link]
        if user is not None:
            argv += ["--user", user]
        if standard:
            argv += ["--projects-dir", self.projects, "--cache-dir", self.cache,
                     "--github-url", github_url or SERVER.url]
        if as_json:
            argv.append("--json")
        argv += list(args)
        started = time.monotonic()
        out = run(argv, timeout=timeout, env=dict(self.env, **(env or {})))
        out.elapsed = time.monotonic() - started
        return out

    def ok(self, link, *args, **kwargs):
        """Runs an import that must succeed and returns its JSON result."""
        out = self.labgate_import(link, *args, **kwargs)
        self.assertEqual(out.returncode, 0, "labgate import %s %s\nstderr: %s\nstdout: %s"
                         % (link, " ".join(args), out.stderr, out.stdout))
        try:
            result = json.loads(out.stdout)
        except ValueError:
            self.fail("stdout is not one JSON object: %r" % out.stdout)
        self.assertIsInstance(result, dict)
        return result

    def refused(self, link, *args, code=1, words=(), regex=None, **kwargs):
        """Runs an import that must fail with code; for exit 1, one line `labgate import: REASON`."""
        out = self.labgate_import(link, *args, **kwargs)
        self.assertEqual(out.returncode, code, "labgate import %s %s\nstderr: %s\nstdout: %s"
                         % (link, " ".join(args), out.stderr, out.stdout))
        if code == 1:
            lines = out.stderr.splitlines()
            self.assertEqual(len(lines), 1, "stderr must be one line: %r" % out.stderr)
            self.assertTrue(lines[0].startswith("labgate import: "), out.stderr)
        for w in words:
            self.assertIn(w, out.stderr)
        if regex:
            self.assertRegex(out.stderr, regex)
        return out

    def assertProjectsEmpty(self):
        self.assertEqual(listing(self.projects), {})

    def assertRows(self, result, **rows):
        expected = {k: sorted(rows.get(k, [])) for k in ROWS}
        self.assertEqual(result["files"], expected)

    def assertResult(self, result, **expected):
        self.assertEqual(set(result), KEYS, "keys of the JSON result")
        for key, value in expected.items():
            self.assertEqual(result[key], value, key)

    def git_in(self, directory, *args):
        return subprocess.run(["git", "-C", directory] + list(args), capture_output=True, text=True,
                              env=SERVER.env, timeout=60)

    def git_out(self, directory, *args):
        done = self.git_in(directory, *args)
        self.assertEqual(done.returncode, 0, "git %s: %s" % (" ".join(args), done.stderr))
        return done.stdout.strip("\n")

    def mirror_path(self, name=None):
        return os.path.join(self.cache, "127.0.0.1_%d" % SERVER.port, OWNER, (name or self.name).lower() + ".git")


class Notebook(ImportTest):
    FILES = {"README.md": "# demo\n", "sub/nb.ipynb": nb("sub"), "sub/data.csv": "a,b\n1,2\n",
             "other.ipynb": nb("other")}

    def test_blob_in_subfolder(self):
        self.make_repo(self.FILES)
        r = self.ok(self.link("blob", "main", "sub/nb.ipynb"))
        self.assertResult(r, owner=OWNER, repo=self.name, mode="notebook", ref="main", ref_kind="branch",
                          branch="main", commit=self.commit, path="sub/nb.ipynb",
                          project_dir=self.user_dir(), target_dir=self.target(),
                          open_path=self.name + "/sub/nb.ipynb", fetched=True, lfs=[], environment=NO_ENV)
        self.assertRows(r, created=["sub/nb.ipynb"])
        self.assertEqual(listing(self.target()), {"sub": ("dir",), "sub/nb.ipynb": ("file", nb("sub"))})
        self.assertEqual(sorted(os.listdir(self.user_dir())), [".labgate", self.name])
        self.assertTrue(os.path.isfile(os.path.join(self.user_dir(), ".labgate", "imports", self.name + ".json")))

    def test_tree_folder(self):
        self.make_repo({"README.md": "top\n", "lessons/one.ipynb": nb("one"), "lessons/two.ipynb": nb("two"),
                        "lessons/data/x.csv": "x\n", "lessons/run.sh": Executable(b"#!/bin/sh\necho hi\n"),
                        "other/nb.ipynb": nb("other")})
        r = self.ok(self.link("tree", "main", "lessons"))
        self.assertResult(r, mode="notebook", ref="main", ref_kind="branch", branch="main", commit=self.commit,
                          path="lessons", open_path=self.name + "/lessons", fetched=True, lfs=[])
        self.assertRows(r, created=["lessons/data/x.csv", "lessons/one.ipynb", "lessons/run.sh",
                                    "lessons/two.ipynb"])
        self.assertEqual(listing(self.target()), {
            "lessons": ("dir",), "lessons/data": ("dir",), "lessons/data/x.csv": ("file", b"x\n"),
            "lessons/one.ipynb": ("file", nb("one")), "lessons/two.ipynb": ("file", nb("two")),
            "lessons/run.sh": ("file", b"#!/bin/sh\necho hi\n")})

    def test_whole_repository(self):
        self.make_repo(self.FILES)
        r = self.ok(self.link())
        self.assertResult(r, mode="notebook", ref="", ref_kind="default", branch="main", commit=self.commit,
                          path="", target_dir=self.target(), fetched=True, environment=NO_ENV)
        self.assertIn(r["open_path"], (self.name, self.name + "/"))
        self.assertRows(r, created=sorted(self.FILES))
        self.assertEqual(files_only(listing(self.target())),
                         {k: ("file", v if isinstance(v, bytes) else v.encode()) for k, v in self.FILES.items()})
        self.assertEqual(sorted(k for k, v in listing(self.target()).items() if v[0] == "dir"), ["sub"])

    def test_raw_link(self):
        self.make_repo(self.FILES)
        r = self.ok("https://raw.githubusercontent.com/%s/%s/main/sub/nb.ipynb" % (OWNER, self.name))
        self.assertResult(r, ref="main", ref_kind="branch", path="sub/nb.ipynb", commit=self.commit)
        self.assertEqual(read(os.path.join(self.target(), "sub/nb.ipynb")), nb("sub"))

    def test_human_output_ends_with_the_path_to_open(self):
        self.make_repo(self.FILES)
        out = self.labgate_import(self.link("blob", "main", "sub/nb.ipynb"), as_json=False)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = [l for l in out.stdout.splitlines() if l.strip()]
        self.assertTrue(lines, "no output")
        self.assertTrue(lines[-1].rstrip().endswith(self.name + "/sub/nb.ipynb"), out.stdout)
        self.assertEqual(read(os.path.join(self.target(), "sub/nb.ipynb")), nb("sub"))

    def test_options_from_the_environment(self):
        self.make_repo(self.FILES)
        r = self.ok(self.link("blob", "main", "other.ipynb"), standard=False,
                    env={"LABGATE_PROJECTS_DIR": self.projects, "LABGATE_CACHE_DIR": self.cache,
                         "LABGATE_GITHUB_URL": SERVER.url})
        self.assertResult(r, target_dir=self.target(), commit=self.commit)
        self.assertEqual(read(os.path.join(self.target(), "other.ipynb")), nb("other"))
        self.assertNotEqual(os.listdir(self.cache), [], "LABGATE_CACHE_DIR not used")


class Refs(ImportTest):
    def two_commits(self):
        """main: c1 (nb "one") then c2 (nb "two")."""
        repo = self.make_repo({"nb.ipynb": nb("one")})
        c1 = self.commit
        c2 = repo.commit({"nb.ipynb": nb("two")}, branch="main")
        return repo, c1, c2

    def test_default_branch_not_main(self):
        repo = self.make_repo({"nb.ipynb": nb("trunk"), "t.txt": "t\n"}, branch="trunk")
        trunk = self.commit
        repo.commit({"nb.ipynb": nb("main")}, branch="main", parents=[])  # a decoy named main
        r = self.ok(self.link())
        self.assertResult(r, ref="", ref_kind="default", branch="trunk", commit=trunk, path="")
        self.assertRows(r, created=["nb.ipynb", "t.txt"])
        self.assertEqual(read(os.path.join(self.target(), "nb.ipynb")), nb("trunk"))
        r = self.ok(self.link("blob", "trunk", "nb.ipynb"), user="bob")
        self.assertResult(r, ref="trunk", ref_kind="branch", branch="trunk", commit=trunk, path="nb.ipynb")
        self.assertEqual(read(os.path.join(self.target("bob"), "nb.ipynb")), nb("trunk"))
        r = self.ok(self.link(), "--mode", "repo", user="carol")
        self.assertResult(r, mode="repo", ref_kind="default", branch="trunk", commit=trunk)
        self.assertEqual(self.git_out(self.target("carol"), "symbolic-ref", "--short", "HEAD"), "trunk")
        self.assertEqual(self.git_out(self.target("carol"), "rev-parse", "HEAD"), trunk)

    def test_longest_existing_ref_wins(self):
        # git cannot hold a branch "feature" next to a branch "feature/x" (refs/heads/feature would be
        # both a file and a directory), so the shorter candidate is a tag "feature" whose tree also has
        # x/nb.ipynb: the link .../blob/feature/x/nb.ipynb must pick the branch feature/x, path nb.ipynb.
        repo = self.make_repo({"README.md": "main\n"})
        slash = repo.commit({"nb.ipynb": nb("feature/x")}, branch="feature/x", parents=[])
        short = repo.commit_tree(repo.tree({"x/nb.ipynb": nb("tag feature"), "y/nb.ipynb": nb("tag y")}))
        repo.tag("feature", short)
        r = self.ok(self.link("blob", "feature/x", "nb.ipynb"))
        self.assertResult(r, ref="feature/x", ref_kind="branch", branch="feature/x", commit=slash,
                          path="nb.ipynb", open_path=self.name + "/nb.ipynb")
        self.assertEqual(listing(self.target()), {"nb.ipynb": ("file", nb("feature/x"))})
        # .../tree/feature/x also names the branch (the longer ref), here as its whole tree
        r = self.ok(self.link("tree", "feature", "x"), user="bob")
        self.assertResult(r, ref="feature/x", ref_kind="branch", commit=slash, path="")
        self.assertEqual(listing(self.target("bob")), {"nb.ipynb": ("file", nb("feature/x"))})
        # and the tag is what .../blob/feature/y/nb.ipynb names, as no ref "feature/y" exists
        r = self.ok(self.link("blob", "feature", "y/nb.ipynb"), user="carol")
        self.assertResult(r, ref="feature", ref_kind="tag", branch=None, commit=short, path="y/nb.ipynb")
        self.assertEqual(listing(self.target("carol")), {"y": ("dir",), "y/nb.ipynb": ("file", nb("tag y"))})

    def test_annotated_tag(self):
        repo, c1, c2 = self.two_commits()
        self.assertEqual(repo.tag("v1.0", c1, annotated=True), c1)
        self.assertNotEqual(repo.rev("refs/tags/v1.0"), c1)  # really an annotated tag object
        r = self.ok(self.link("blob", "v1.0", "nb.ipynb"))
        self.assertResult(r, ref="v1.0", ref_kind="tag", branch=None, commit=c1, path="nb.ipynb")
        self.assertEqual(listing(self.target()), {"nb.ipynb": ("file", nb("one"))})

    def test_lightweight_tag(self):
        repo, c1, c2 = self.two_commits()
        repo.tag("v0.9", c1)
        r = self.ok(self.link("blob", "v0.9", "nb.ipynb"))
        self.assertResult(r, ref="v0.9", ref_kind="tag", branch=None, commit=c1, path="nb.ipynb")
        self.assertEqual(listing(self.target()), {"nb.ipynb": ("file", nb("one"))})

    def test_full_commit_id(self):
        repo, c1, c2 = self.two_commits()
        r = self.ok(self.link("blob", c1, "nb.ipynb"))
        self.assertResult(r, ref=c1, ref_kind="commit", branch=None, commit=c1, path="nb.ipynb")
        self.assertEqual(listing(self.target()), {"nb.ipynb": ("file", nb("one"))})

    def test_short_commit_id(self):
        repo, c1, c2 = self.two_commits()
        r = self.ok(self.link("blob", c1[:7], "nb.ipynb"))
        self.assertResult(r, ref=c1[:7], ref_kind="commit", branch=None, commit=c1, path="nb.ipynb")
        self.assertEqual(listing(self.target()), {"nb.ipynb": ("file", nb("one"))})
        r = self.ok(self.link("blob", "main", "nb.ipynb"), user="bob")  # the tip, for contrast
        self.assertResult(r, commit=c2)
        self.assertEqual(read(os.path.join(self.target("bob"), "nb.ipynb")), nb("two"))


class Unicode(ImportTest):
    FILES = {"données/café.ipynb": nb("café"), "🚀 launch.ipynb": nb("rocket"), "README.md": "ok\n"}

    def test_unicode_names_round_trip(self):
        self.make_repo(self.FILES)
        r = self.ok(self.link())
        self.assertRows(r, created=sorted(self.FILES))
        self.assertEqual(files_only(listing(self.target())),
                         {k: ("file", v if isinstance(v, bytes) else v.encode()) for k, v in self.FILES.items()})
        raw = os.listdir(os.path.join(self.target().encode(), "données".encode()))
        self.assertEqual(raw, ["café.ipynb".encode()])  # the same bytes (NFC), not re-normalised
        # a blob link as GitHub writes it: percent-encoded
        r = self.ok(self.link("blob", "main", "données/café.ipynb"), user="bob")
        self.assertResult(r, path="données/café.ipynb", open_path=self.name + "/données/café.ipynb")
        self.assertRows(r, created=["données/café.ipynb"])
        self.assertEqual(listing(self.target("bob")),
                         {"données": ("dir",), "données/café.ipynb": ("file", nb("café"))})
        r = self.ok(self.link("blob", "main", "🚀 launch.ipynb"), user="carol")
        self.assertResult(r, path="🚀 launch.ipynb")
        self.assertEqual(listing(self.target("carol")), {"🚀 launch.ipynb": ("file", nb("rocket"))})


class History(ImportTest):
    def test_force_pushed_history(self):
        repo = self.make_repo()
        c1 = repo.push({"nb.ipynb": nb("before"), "old.txt": "old\n"})
        link = self.link("blob", "main", "nb.ipynb")
        r = self.ok(link, *LONG_AGE)
        self.assertResult(r, commit=c1)
        c2 = repo.push({"nb.ipynb": nb("after")}, force=True)
        self.assertEqual(repo.git("rev-list", "--count", c2), "1")  # a new root: history rewritten
        r = self.ok(link, "--refresh", *LONG_AGE)
        self.assertResult(r, commit=c2, fetched=True)
        self.assertRows(r, updated=["nb.ipynb"])
        self.assertEqual(listing(self.target()), {"nb.ipynb": ("file", nb("after"))})


class Reimport(ImportTest):
    def test_created_then_unchanged(self):
        self.make_repo({"lessons/a.ipynb": nb("a"), "lessons/b.ipynb": nb("b"), "x.txt": "x\n"})
        link = self.link("tree", "main", "lessons")
        r = self.ok(link, *LONG_AGE)
        self.assertRows(r, created=["lessons/a.ipynb", "lessons/b.ipynb"])
        before, before_names = listing(self.target(), mtimes=True), names(self.user_dir())
        time.sleep(0.05)  # a rewrite would show in the mtimes
        for args in (LONG_AGE, ("--refresh",) + LONG_AGE):
            r = self.ok(link, *args)
            self.assertRows(r, unchanged=["lessons/a.ipynb", "lessons/b.ipynb"])
            self.assertEqual(r["fetched"], "--refresh" in args)
            self.assertEqual(listing(self.target(), mtimes=True), before)
            self.assertEqual(names(self.user_dir()), before_names)
            self.assertFalse([n for n in before_names if "(1)" in n])

    def test_updated_when_untouched(self):
        repo = self.make_repo()
        repo.push({"lessons/a.ipynb": nb("a1"), "lessons/b.ipynb": nb("b")})
        link = self.link("tree", "main", "lessons")
        self.ok(link, *LONG_AGE)
        c2 = repo.push({"lessons/a.ipynb": nb("a2"), "lessons/b.ipynb": nb("b"), "lessons/c.ipynb": nb("c")})
        r = self.ok(link, "--refresh", *LONG_AGE)
        self.assertResult(r, commit=c2)
        self.assertRows(r, updated=["lessons/a.ipynb"], unchanged=["lessons/b.ipynb"], created=["lessons/c.ipynb"])
        self.assertEqual(files_only(listing(self.target())), {
            "lessons/a.ipynb": ("file", nb("a2")), "lessons/b.ipynb": ("file", nb("b")),
            "lessons/c.ipynb": ("file", nb("c"))})

    def test_kept_and_beside_when_the_user_edited(self):
        repo = self.make_repo()
        repo.push({"lessons/a.ipynb": nb("a1"), "lessons/Makefile": "all:\n", "lessons/b.ipynb": nb("b")})
        link = self.link("tree", "main", "lessons")
        self.ok(link, *LONG_AGE)
        write(os.path.join(self.target(), "lessons/a.ipynb"), nb("mine"))
        write(os.path.join(self.target(), "lessons/Makefile"), "all: mine\n")
        c2 = repo.push({"lessons/a.ipynb": nb("a2"), "lessons/Makefile": "all: new\n", "lessons/b.ipynb": nb("b")})
        r = self.ok(link, "--refresh", *LONG_AGE)
        h = c2[:7]
        self.assertResult(r, commit=c2)
        self.assertRows(r, kept=["lessons/Makefile", "lessons/a.ipynb"], unchanged=["lessons/b.ipynb"],
                        beside=["lessons/Makefile.upstream-%s" % h, "lessons/a.upstream-%s.ipynb" % h])
        self.assertEqual(files_only(listing(self.target())), {
            "lessons/a.ipynb": ("file", nb("mine")), "lessons/Makefile": ("file", b"all: mine\n"),
            "lessons/b.ipynb": ("file", nb("b")),
            "lessons/a.upstream-%s.ipynb" % h: ("file", nb("a2")),
            "lessons/Makefile.upstream-%s" % h: ("file", b"all: new\n")})
        before, before_names = listing(self.target(), mtimes=True), names(self.user_dir())
        time.sleep(0.05)
        for args in (LONG_AGE, ("--refresh",) + LONG_AGE):  # repeating changes nothing
            self.ok(link, *args)
            self.assertEqual(listing(self.target(), mtimes=True), before)
            self.assertEqual(names(self.user_dir()), before_names)

    def test_restored_when_the_user_deleted(self):
        self.make_repo({"sub/nb.ipynb": nb("nb"), "sub/keep.ipynb": nb("keep")})
        link = self.link("tree", "main", "sub")
        self.ok(link, *LONG_AGE)
        os.unlink(os.path.join(self.target(), "sub/nb.ipynb"))
        r = self.ok(link, *LONG_AGE)
        self.assertRows(r, restored=["sub/nb.ipynb"], unchanged=["sub/keep.ipynb"])
        self.assertEqual(files_only(listing(self.target())), {"sub/nb.ipynb": ("file", nb("nb")),
                                                              "sub/keep.ipynb": ("file", nb("keep"))})

    def test_files_there_before_the_first_import(self):
        self.make_repo({"sub/nb.ipynb": nb("upstream"), "sub/same.ipynb": nb("same"), "sub/new.ipynb": nb("new")})
        write(os.path.join(self.target(), "sub/nb.ipynb"), nb("user's own"))
        write(os.path.join(self.target(), "sub/same.ipynb"), nb("same"))
        write(os.path.join(self.target(), "sub/notes.txt"), "mine\n")
        r = self.ok(self.link("tree", "main", "sub"))
        h = self.commit[:7]
        self.assertRows(r, kept=["sub/nb.ipynb"], beside=["sub/nb.upstream-%s.ipynb" % h],
                        unchanged=["sub/same.ipynb"], created=["sub/new.ipynb"])
        self.assertEqual(files_only(listing(self.target())), {
            "sub/nb.ipynb": ("file", nb("user's own")), "sub/nb.upstream-%s.ipynb" % h: ("file", nb("upstream")),
            "sub/same.ipynb": ("file", nb("same")), "sub/new.ipynb": ("file", nb("new")),
            "sub/notes.txt": ("file", b"mine\n")})


class RepoMode(ImportTest):
    FILES = {"nb.ipynb": nb("one"), "sub/data.csv": "1\n", "link.ipynb": Symlink("nb.ipynb")}

    def assertWorkingCopy(self, target, commit, branch):
        self.assertTrue(os.path.isdir(os.path.join(target, ".git")))
        self.assertEqual(self.git_out(target, "status", "--porcelain"), "")
        self.assertEqual(self.git_out(target, "remote", "get-url", "origin"),
                         "%s/%s/%s.git" % (SERVER.url, OWNER, self.name))
        self.assertEqual(self.git_out(target, "rev-parse", "HEAD"), commit)
        head = self.git_in(target, "symbolic-ref", "-q", "--short", "HEAD")
        if branch is None:
            self.assertEqual(head.returncode, 1, "HEAD must be detached, is on %r" % head.stdout)
        else:
            self.assertEqual(head.stdout.strip(), branch)

    def test_branch(self):
        self.make_repo(self.FILES)
        r = self.ok(self.link("blob", "main", "nb.ipynb"), "--mode", "repo")
        self.assertResult(r, mode="repo", ref="main", ref_kind="branch", branch="main", commit=self.commit,
                          path="nb.ipynb", target_dir=self.target(), open_path=self.name + "/nb.ipynb")
        self.assertRows(r, created=["link.ipynb", "nb.ipynb", "sub/data.csv"])
        self.assertWorkingCopy(self.target(), self.commit, "main")
        self.assertEqual(read(os.path.join(self.target(), "nb.ipynb")), nb("one"))
        self.assertEqual(os.readlink(os.path.join(self.target(), "link.ipynb")), "nb.ipynb")

    def test_tag_is_detached(self):
        repo = self.make_repo(self.FILES)
        c1 = self.commit
        repo.commit({"nb.ipynb": nb("two")})
        repo.tag("v1", c1, annotated=True)
        r = self.ok(self.link("tree", "v1", ""), "--mode", "repo")
        self.assertResult(r, mode="repo", ref="v1", ref_kind="tag", branch=None, commit=c1)
        self.assertWorkingCopy(self.target(), c1, None)
        self.assertEqual(read(os.path.join(self.target(), "nb.ipynb")), nb("one"))

    def test_tag_then_the_moved_default_branch(self):
        # the first import checks out a tag; upstream's default branch then moves on: the next import of
        # the default branch puts it on that branch (no stale local branch from the first clone is taken
        # for the user's own)
        repo = self.make_repo(self.FILES)
        repo.tag("v1", self.commit)
        files = dict(self.FILES)
        files["nb.ipynb"] = nb("two")
        repo.commit(files)
        self.ok(self.link("tree", "v1", ""), "--mode", "repo")
        self.assertEqual(self.git_out(self.target(), "for-each-ref", "--format=%(refname)", "refs/heads"), "")
        files["nb.ipynb"] = nb("three")
        c3 = repo.commit(files)
        r = self.ok(self.link(), "--mode", "repo", "--refresh")
        self.assertResult(r, ref="", ref_kind="default", branch="main", commit=c3)
        self.assertRows(r, updated=["nb.ipynb"], unchanged=["link.ipynb", "sub/data.csv"])
        self.assertWorkingCopy(self.target(), c3, "main")

    def test_reimport_moves_head(self):
        repo = self.make_repo()
        c1 = repo.push({"nb.ipynb": nb("one"), "data.csv": "1\n"})
        link = self.link("blob", "main", "nb.ipynb")
        self.ok(link, "--mode", "repo", *LONG_AGE)
        self.assertWorkingCopy(self.target(), c1, "main")
        c2 = repo.push({"nb.ipynb": nb("two"), "data.csv": "1\n", "new.txt": "new\n"})
        r = self.ok(link, "--mode", "repo", "--refresh", *LONG_AGE)
        self.assertResult(r, commit=c2, branch="main")
        self.assertRows(r, updated=["nb.ipynb"], unchanged=["data.csv"], created=["new.txt"])
        self.assertWorkingCopy(self.target(), c2, "main")
        self.assertEqual(read(os.path.join(self.target(), "nb.ipynb")), nb("two"))
        self.assertEqual(read(os.path.join(self.target(), "new.txt")), b"new\n")

    def test_user_edit_is_kept(self):
        repo = self.make_repo()
        repo.push({"nb.ipynb": nb("one"), "data.csv": "1\n"})
        link = self.link("blob", "main", "nb.ipynb")
        self.ok(link, "--mode", "repo", *LONG_AGE)
        write(os.path.join(self.target(), "nb.ipynb"), nb("mine"))
        c2 = repo.push({"nb.ipynb": nb("two"), "data.csv": "2\n"})
        r = self.ok(link, "--mode", "repo", "--refresh", *LONG_AGE)
        beside = "nb.upstream-%s.ipynb" % c2[:7]
        self.assertResult(r, commit=c2)
        self.assertRows(r, kept=["nb.ipynb"], beside=[beside], updated=["data.csv"])
        self.assertEqual(self.git_out(self.target(), "rev-parse", "HEAD"), c2)
        self.assertEqual(read(os.path.join(self.target(), "nb.ipynb")), nb("mine"))
        self.assertEqual(read(os.path.join(self.target(), beside)), nb("two"))
        self.assertEqual(read(os.path.join(self.target(), "data.csv")), b"2\n")
        status = self.git_out(self.target(), "status", "--porcelain").splitlines()
        self.assertIn(" M nb.ipynb", status)
        self.assertNotIn(" M data.csv", status)


    def test_the_users_git_config_and_hooks_are_not_obeyed(self):
        # REPO/.git belongs to the user: a re-import must not write where its config points or run its hooks
        repo = self.make_repo()
        repo.push({"nb.ipynb": nb("one")})
        link = self.link("blob", "main", "nb.ipynb")
        self.ok(link, "--mode", "repo", *LONG_AGE)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        self.git_out(self.target(), "config", "core.worktree", elsewhere)
        for hook in ("post-checkout", "reference-transaction", "post-merge", "pre-auto-gc"):
            write(os.path.join(self.target(), ".git", "hooks", hook),
                  "#!/bin/sh\ntouch '%s/%s-ran'\n" % (elsewhere, hook))
            os.chmod(os.path.join(self.target(), ".git", "hooks", hook), 0o755)
        c2 = repo.push({"nb.ipynb": nb("two"), "new.txt": "new\n"})
        out = self.labgate_import(link, "--mode", "repo", "--refresh", *LONG_AGE)
        self.assertEqual(os.listdir(elsewhere), [])
        self.assertIn(out.returncode, (0, 1), out.stderr)
        if out.returncode == 0:
            self.assertEqual(read(os.path.join(self.target(), "nb.ipynb")), nb("two"))
            self.assertEqual(read(os.path.join(self.target(), "new.txt")), b"new\n")


class Mirror(ImportTest):
    def test_mirror_layout(self):
        name = "Mirror-Layout"
        repo = self.make_repo({"nb.ipynb": nb("trunk")}, branch="trunk", name=name.lower())
        c0 = repo.commit({"nb.ipynb": nb("dev")}, branch="dev", parents=[])
        repo.tag("v1", self.commit, annotated=True)
        repo.tag("v0", c0)
        SERVER.alias("Alice", name, repo)  # whichever spelling labgate asks the daemon for
        r = self.ok("https://github.com/Alice/%s/blob/trunk/nb.ipynb" % name)
        self.assertResult(r, commit=self.commit, fetched=True)
        host = os.path.join(self.cache, "127.0.0.1_%d" % SERVER.port)
        mirror = os.path.join(host, "alice", name.lower() + ".git")
        self.assertTrue(os.path.isdir(mirror), "no mirror at %s; cache: %s" % (mirror, names(self.cache)))
        self.assertFalse(os.path.lexists(os.path.join(host, "Alice")))
        self.assertFalse(os.path.lexists(os.path.join(host, "alice", name + ".git")))
        self.assertEqual(self.git_out(self.cache, "--git-dir=" + mirror, "rev-parse", "--is-bare-repository"),
                         "true")
        self.assertEqual(self.git_out(self.cache, "--git-dir=" + mirror, "symbolic-ref", "HEAD"), "refs/heads/trunk")
        refs = self.git_out(self.cache, "--git-dir=" + mirror, "for-each-ref", "--format=%(refname) %(objectname)")
        self.assertEqual(dict(l.split(" ") for l in refs.splitlines()), repo.refs())
        self.assertEqual(sorted(repo.refs()), ["refs/heads/dev", "refs/heads/trunk", "refs/tags/v0", "refs/tags/v1"])

    def test_fetch_only_when_the_mirror_is_old(self):
        self.make_repo({"nb.ipynb": nb("x")})
        link = self.link("blob", "main", "nb.ipynb")
        count = lambda: SERVER.upload_pack_requests(OWNER, self.name)
        self.assertTrue(self.ok(link, *LONG_AGE)["fetched"])
        self.assertEqual(count(), 1)
        self.assertFalse(self.ok(link, *LONG_AGE, user="bob")["fetched"])
        self.assertEqual(count(), 1)
        self.assertTrue(self.ok(link, "--mirror-max-age", "0", user="carol")["fetched"])
        self.assertEqual(count(), 2)
        self.assertTrue(self.ok(link, "--refresh", *LONG_AGE, user="dan")["fetched"])
        self.assertEqual(count(), 3)
        for user in ("ann", "bob", "carol", "dan"):
            self.assertEqual(read(os.path.join(self.target(user), "nb.ipynb")), nb("x"))

    def test_deleted_upstream_branch_is_pruned(self):
        repo = self.make_repo({"nb.ipynb": nb("main")})
        repo.commit({"nb.ipynb": nb("gone")}, branch="gone")
        repo.tag("old", self.commit)
        self.ok(self.link(), *LONG_AGE)
        mirror_refs = lambda: self.git_out(self.cache, "--git-dir=" + self.mirror_path(), "for-each-ref",
                                           "--format=%(refname)").splitlines()
        self.assertEqual(mirror_refs(), ["refs/heads/gone", "refs/heads/main", "refs/tags/old"])
        repo.delete_ref("refs/heads/gone")
        repo.delete_ref("refs/tags/old")
        self.ok(self.link(), "--refresh", *LONG_AGE)
        self.assertEqual(mirror_refs(), ["refs/heads/main"])

    def test_concurrent_cold_imports_share_one_fetch(self):
        # 4 MB that do not compress: the fetch lasts long enough for all eight to be waiting on it
        self.make_repo({"nb.ipynb": nb("shared"), "data.csv": "1\n", "noise.bin": os.urandom(4 << 20)})
        link = self.link("blob", "main", "nb.ipynb")
        procs = []
        for i in range(8):
            argv = [LABGATE, "import", link, "--user", "u%d" % i, "--projects-dir", self.projects,
                    "--cache-dir", self.cache, "--github-url", SERVER.url, "--json", *LONG_AGE]
            procs.append(subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          env=self.env))
        results = []
        try:
            self.assertEqual([p.poll() for p in procs], [None] * 8, "the imports did not overlap")
            for p in procs:
                out, err = p.communicate(timeout=120)
                self.assertEqual(p.returncode, 0, err)
                results.append(json.loads(out))
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.communicate()
        self.assertEqual([r["commit"] for r in results], [self.commit] * 8)
        self.assertEqual(sum(1 for r in results if r["fetched"]), 1, [r["fetched"] for r in results])
        self.assertEqual(SERVER.upload_pack_requests(OWNER, self.name), 1)
        for i in range(8):
            self.assertEqual(listing(self.target("u%d" % i)), {"nb.ipynb": ("file", nb("shared"))})


class Hostile(ImportTest):
    """Each hostile repository is refused three ways: into an empty projects dir, into a project that
    already holds the user's files, and in repo mode; the projects dir is left exactly as it was."""

    def assertRefused(self, files, link=None, args=(), words=(), regex=None, modes=("notebook", "repo")):
        self.make_repo(files)
        link = link or self.link()
        # 1. nothing there yet
        before = listing(self.projects, mtimes=True)
        self.refused(link, *args, words=words, regex=regex)
        self.assertEqual(listing(self.projects, mtimes=True), before)
        # 2. the user's project already has files, in the repository's folder and beside it
        write(os.path.join(self.target("bob"), "nb.ipynb"), nb("bob's"))
        write(os.path.join(self.target("bob"), "notes/todo.txt"), "todo\n")
        write(os.path.join(self.user_dir("bob"), "other", "x.ipynb"), nb("x"))
        before = listing(self.projects, mtimes=True)
        self.refused(link, *args, words=words, regex=regex, user="bob")
        self.assertEqual(listing(self.projects, mtimes=True), before)
        # 3. repo mode
        if "repo" in modes:
            before = listing(self.projects, mtimes=True)
            self.refused(link, "--mode", "repo", *args, words=words, regex=regex, user="carol")
            self.assertEqual(listing(self.projects, mtimes=True), before)

    def test_dotgit_upper_case(self):
        self.assertRefused({"nb.ipynb": nb("x"), ".GIT/config": "[core]\n\thooksPath = /tmp\n"}, regex=r"(?i)\.git")

    def test_dotgit_in_a_subfolder(self):
        self.assertRefused({"nb.ipynb": nb("x"), "sub/ok.ipynb": nb("ok"), "sub/.git/config": "[core]\n",
                            "sub/.git/HEAD": "ref: refs/heads/main\n"}, regex=r"(?i)\.git")

    def test_dotgit_trailing_dot(self):
        self.assertRefused({"nb.ipynb": nb("x"), ".Git./config": "[core]\n"}, regex=r"(?i)\.git")

    def test_git_tilde_1(self):
        self.assertRefused({"nb.ipynb": nb("x"), "git~1/config": "[core]\n"}, regex=r"(?i)\.git|git~1")

    def test_dotgit_hfs_ignorable(self):
        self.assertRefused({"nb.ipynb": nb("x"), ".git\u200c/config": "[core]\n"}, regex=r"(?i)\.git")

    def test_control_character_in_a_name(self):
        self.assertRefused({"nb.ipynb": nb("x"), "a\x01b.ipynb": nb("ctl")})

    def test_invalid_utf8_name(self):
        self.assertRefused({"nb.ipynb": nb("x"), b"caf\xe9.ipynb": nb("latin-1")})

    def test_too_many_files(self):
        files = {"f%04d.txt" % i: "x\n" for i in range(3000)}
        files["nb.ipynb"] = nb("x")
        self.assertRefused(files, args=("--max-files", "2000"), words=["max_files"])

    def test_file_too_big(self):
        self.assertRefused({"nb.ipynb": nb("x"), "big.bin": b"a" * 20000}, args=("--max-file-bytes", "10k"),
                           words=["max_file_bytes"])

    def test_repository_too_big(self):
        self.assertRefused({"nb.ipynb": nb("x"), "noise.bin": os.urandom(300 * 1024)},
                           args=("--max-repo-bytes", "64k"), words=["max_repo_bytes"])

    def test_blob_link_to_a_git_lfs_pointer(self):
        self.assertRefused({"nb.ipynb": lfs_pointer(nb("real")), "README.md": "x\n"},
                           link=self.link("blob", "main", "nb.ipynb"), words=["Git LFS"], modes=("notebook",))

    def test_gitmodules_symlink(self):
        self.assertRefused({"nb.ipynb": nb("x"), ".gitmodules": Symlink("/etc/passwd")})

    def test_hostile_update_leaves_the_earlier_import(self):
        repo = self.make_repo()
        repo.push({"nb.ipynb": nb("good"), "sub/a.ipynb": nb("a")})
        for user, args in (("ann", ()), ("bob", ("--mode", "repo"))):
            self.ok(self.link(), *args, *LONG_AGE, user=user)
        write(os.path.join(self.target(), "nb.ipynb"), nb("ann's edit"))
        repo.commit({"nb.ipynb": nb("evil"), "sub/a.ipynb": nb("a2"), "sub/.git/config": "[core]\n"})
        before = listing(self.projects, mtimes=True)
        for user, args in (("ann", ()), ("bob", ("--mode", "repo"))):
            self.refused(self.link(), "--refresh", *args, *LONG_AGE, user=user, regex=r"(?i)\.git")
            self.assertEqual(listing(self.projects, mtimes=True), before)


class Lfs(ImportTest):
    def test_lfs_pointer_in_a_folder_is_written_as_it_is(self):
        pointer = lfs_pointer(b"x" * 5000)
        self.make_repo({"data/big.bin": pointer, "data/nb.ipynb": nb("x")})
        r = self.ok(self.link("tree", "main", "data"))
        self.assertResult(r, lfs=["data/big.bin"])
        self.assertRows(r, created=["data/big.bin", "data/nb.ipynb"])
        self.assertEqual(read(os.path.join(self.target(), "data/big.bin")), pointer)


class Symlinks(ImportTest):
    def test_symlinks_leaving_the_repository_are_skipped(self):
        self.make_repo({"sub/nb.ipynb": nb("nb"), "link.ipynb": Symlink("sub/nb.ipynb"),
                        "sub/up.ipynb": Symlink("../sub/nb.ipynb"), "passwd.ipynb": Symlink("/etc/passwd"),
                        "outside.ipynb": Symlink("../../../outside"), "sub/escape.ipynb": Symlink("../../x")})
        r = self.ok(self.link())
        self.assertRows(r, created=["link.ipynb", "sub/nb.ipynb", "sub/up.ipynb"],
                        skipped=["outside.ipynb", "passwd.ipynb", "sub/escape.ipynb"])
        self.assertEqual(listing(self.target()), {
            "sub": ("dir",), "sub/nb.ipynb": ("file", nb("nb")), "link.ipynb": ("link", "sub/nb.ipynb"),
            "sub/up.ipynb": ("link", "../sub/nb.ipynb")})
        self.assertEqual(sorted(os.listdir(self.tmp)), ["cache", "home", "projects"])
        self.assertEqual(sorted(os.listdir(self.user_dir())), [".labgate", self.name])


    def test_symlink_chain_leaving_the_repository(self):
        # up stays inside (it names REPO itself), but esc, read through up, climbs out of REPO although its
        # text alone would stay inside: REPO/a/.../h/up/../../../../../../../../etc/passwd is /etc/passwd.
        deep = "a/b/c/d/e/f/g/h"
        self.make_repo({deep + "/up": Symlink("../" * 7 + ".."), deep + "/esc.ipynb":
                        Symlink("up/" + "../" * 8 + "etc/passwd"), "nb.ipynb": nb("nb")})
        r = self.ok(self.link())
        self.assertIn(deep + "/esc.ipynb", r["files"]["skipped"])
        self.assertFalse(os.path.lexists(os.path.join(self.target(), deep, "esc.ipynb")))
        target = self.target()
        for path, value in listing(target).items():
            if value[0] == "link":
                real = os.path.realpath(os.path.join(target, path))
                self.assertTrue(real == target or real.startswith(target + "/"), "%s leads to %s" % (path, real))


class Planted(ImportTest):
    FILES = {"sub/nb.ipynb": nb("nb"), "top.ipynb": nb("top")}

    def test_project_folder_is_a_symlink(self):
        self.make_repo(self.FILES)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        os.makedirs(self.user_dir())
        os.symlink(elsewhere, self.target())
        before = listing(self.projects, mtimes=True)
        for args in ((), ("--mode", "repo")):
            out = self.refused(self.link("blob", "main", "sub/nb.ipynb"), *args)
            self.assertEqual(os.listdir(elsewhere), [])
            self.assertEqual(listing(self.projects, mtimes=True), before)
            self.assertIn("symbolic link", out.stderr)

    def test_subfolder_is_a_symlink(self):
        self.make_repo(self.FILES)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        write(os.path.join(self.target(), "top.ipynb"), nb("mine"))
        os.symlink(elsewhere, os.path.join(self.target(), "sub"))
        before = listing(self.projects, mtimes=True)
        for link in (self.link("blob", "main", "sub/nb.ipynb"), self.link()):
            out = self.refused(link)
            self.assertEqual(os.listdir(elsewhere), [])
            self.assertEqual(listing(self.projects, mtimes=True), before)
            self.assertIn("symbolic link", out.stderr)

    def test_link_inside_dot_git_of_a_working_copy(self):
        # libgit2 writes refs, index and config inside .git by path: a link planted there would take
        # those writes elsewhere, so the import is refused before anything is written
        repo = self.make_repo(self.FILES)
        self.ok(self.link(), "--mode", "repo")
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        os.symlink(elsewhere, os.path.join(self.target(), ".git", "refs", "heads", "planted"))
        repo.commit({"sub/nb.ipynb": nb("newer"), "top.ipynb": nb("top")})
        before = listing(self.projects, mtimes=True)
        out = self.refused(self.link(), "--mode", "repo", "--refresh")
        self.assertIn(".git/refs/heads/planted is a symbolic link", out.stderr)
        self.assertEqual(os.listdir(elsewhere), [])
        self.assertEqual(listing(self.projects, mtimes=True), before)

    def test_manifest_folder_is_a_symlink(self):
        self.make_repo(self.FILES)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        os.makedirs(self.user_dir())
        os.symlink(elsewhere, os.path.join(self.user_dir(), ".labgate"))
        before = listing(self.projects, mtimes=True)
        out = self.refused(self.link("blob", "main", "sub/nb.ipynb"))
        self.assertEqual(os.listdir(elsewhere), [])
        self.assertEqual(listing(self.projects, mtimes=True), before)
        self.assertIn("symbolic link", out.stderr)

    def test_file_is_a_dangling_symlink(self):
        # the file's own place holds a symlink to a file that does not exist yet: creating "it" would
        # create a file elsewhere. Either the import fails, or it keeps the link as the user's and writes
        # the upstream version beside it; nothing is written through the link.
        self.make_repo(self.FILES)
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        link_path = os.path.join(self.target(), "sub", "nb.ipynb")
        os.makedirs(os.path.dirname(link_path))
        os.symlink(os.path.join(elsewhere, "evil.ipynb"), link_path)
        for user_args in ((), ("--mode", "repo")):
            before = listing(self.projects, mtimes=True)
            out = self.labgate_import(self.link("blob", "main", "sub/nb.ipynb"), *user_args)
            self.assertEqual(os.listdir(elsewhere), [])
            self.assertEqual(os.readlink(link_path), os.path.join(elsewhere, "evil.ipynb"))
            if out.returncode == 1:
                self.assertEqual(listing(self.projects, mtimes=True), before)
                continue
            self.assertEqual(out.returncode, 0, out.stderr)
            r = json.loads(out.stdout)
            beside = "sub/nb.upstream-%s.ipynb" % self.commit[:7]
            self.assertEqual((r["files"]["kept"], r["files"]["beside"]), (["sub/nb.ipynb"], [beside]))
            self.assertEqual(read(os.path.join(self.target(), beside)), nb("nb"))


class Environment(ImportTest):
    def test_binder_folder(self):
        self.make_repo({"binder/environment.yml": "dependencies:\n  - numpy\n", "nb.ipynb": nb("x"),
                        "README.md": "x\n"})
        r = self.ok(self.link())
        self.assertResult(r, environment={"dir": "binder", "files": ["environment.yml"]})

    def test_dot_binder_folder(self):
        self.make_repo({".binder/environment.yml": "dependencies: []\n", ".binder/requirements.txt": "numpy\n",
                        "nb.ipynb": nb("x")})
        r = self.ok(self.link())
        self.assertResult(r, environment={"dir": ".binder", "files": ["environment.yml", "requirements.txt"]})

    def test_requirements_at_the_root(self):
        self.make_repo({"requirements.txt": "pandas\n", "nb.ipynb": nb("x"), "README.md": "x\n",
                        "docs/requirements.md": "not this\n"})
        r = self.ok(self.link())
        self.assertResult(r, environment={"dir": "", "files": ["requirements.txt"]})


class Errors(ImportTest):
    def test_unknown_repository(self):
        self.refused(self.link(name="no-such-repository"), words=["not found"])
        self.assertProjectsEmpty()

    def test_unknown_ref(self):
        self.make_repo({"nb.ipynb": nb("x")})
        self.refused(self.link("blob", "no-such-ref", "nb.ipynb"), words=["no-such-ref"])
        self.assertProjectsEmpty()

    def test_unknown_path(self):
        self.make_repo({"nb.ipynb": nb("x"), "sub/a.ipynb": nb("a")})
        self.refused(self.link("blob", "main", "missing.ipynb"), words=["missing.ipynb"])
        self.refused(self.link("tree", "main", "no-such-dir"), words=["no-such-dir"])
        self.assertProjectsEmpty()

    def test_stalling_server_hits_fetch_timeout(self):
        with StallingServer() as stall:
            out = self.refused(self.link(name="stalled"), "--fetch-timeout", "2s", github_url=stall.url,
                               words=["fetch_timeout"], timeout=60)
            self.assertLess(out.elapsed, 10)
            self.assertGreaterEqual(stall.accepted, 1)
        self.assertProjectsEmpty()

    def test_bad_mode(self):
        self.refused(self.link(), "--mode", "bogus", code=2)
        self.assertProjectsEmpty()

    def test_missing_user(self):
        self.refused(self.link(), user=None, code=2)
        self.assertProjectsEmpty()

    def test_invalid_user_names(self):
        for user in ("../x", "..", "a/b", ""):
            self.refused(self.link(), user=user, code=2)
        self.assertProjectsEmpty()
        self.assertEqual(sorted(os.listdir(self.tmp)), ["cache", "home", "projects"])


class UsersGit(ImportTest):
    """Repo mode in a working copy the user has used with git: their state is theirs."""
    FILES = {"a.txt": "one\n", "b.txt": "b\n"}

    def test_staged_work_and_own_tags_survive(self):
        repo = self.make_repo(self.FILES)
        c1 = self.commit
        self.ok(self.link(), "--mode", "repo")
        target = self.target()
        write(os.path.join(target, "mywork.py"), "print(1)\n")
        write(os.path.join(target, "a.txt"), "mine\n")
        self.git_out(target, "add", "mywork.py", "a.txt")
        self.git_out(target, "tag", "mytag")
        repo.tag("mytag", repo.commit({"a.txt": "two\n", "b.txt": "b\n"}))
        r = self.ok(self.link(), "--mode", "repo", "--refresh")
        self.assertRows(r, kept=["a.txt"], beside=["a.upstream-%s.txt" % r["commit"][:7]], unchanged=["b.txt"])
        status = self.git_out(target, "status", "--porcelain").splitlines()
        self.assertIn("A  mywork.py", status)  # still staged
        self.assertIn("M  a.txt", status)  # the user's staged version kept, against the new HEAD
        self.assertEqual(self.git_out(target, "show", ":a.txt"), "mine")
        self.assertEqual(self.git_out(target, "rev-parse", "mytag^{commit}"), c1)  # their tag, not upstream's

    def test_git_init_without_origin(self):
        self.make_repo(self.FILES)
        os.makedirs(self.target())
        self.git_out(self.target(), "init", "-q")
        for _ in range(2):
            r = self.ok(self.link(), "--mode", "repo", "--refresh")
            self.assertEqual(self.git_out(self.target(), "remote", "get-url", "origin"),
                             "%s/%s/%s.git" % (SERVER.url, OWNER, self.name))
            self.assertEqual(self.git_out(self.target(), "status", "--porcelain"), "")
            self.assertEqual(self.git_out(self.target(), "rev-parse", "HEAD"), r["commit"])

    def test_back_and_forth_between_a_tag_and_a_branch(self):
        repo = self.make_repo(self.FILES)
        repo.tag("v1", self.commit)
        repo.commit({"a.txt": "two\n", "b.txt": "b\n"})
        for link in (self.link("tree", "v1", ""), self.link(), self.link("tree", "v1", "")):
            self.ok(link, "--mode", "repo", "--refresh")
        c3 = repo.commit({"a.txt": "three\n", "b.txt": "b\n"})
        r = self.ok(self.link(), "--mode", "repo", "--refresh")
        self.assertEqual(r["commit"], c3)
        self.assertEqual(self.git_out(self.target(), "symbolic-ref", "--short", "HEAD"), "main")

    def test_commondir_pointing_at_another_repository_is_refused(self):
        self.make_repo(self.FILES)
        self.ok(self.link(), "--mode", "repo", user="bob")
        bob_git = os.path.join(self.target("bob"), ".git")
        bob_refs = self.git_out(bob_git, "for-each-ref")
        self.ok(self.link(), "--mode", "repo")
        for planted in ("commondir", "objects/info/alternates"):
            path = os.path.join(self.target(), ".git", planted)
            write(path, bob_git + ("/objects" if "alternates" in planted else "") + "\n")
            before = listing(self.projects, mtimes=True)
            out = self.refused(self.link(), "--mode", "repo", "--refresh", words=[planted, "another repository"])
            self.assertEqual(listing(self.projects, mtimes=True), before)
            self.assertEqual(self.git_out(bob_git, "for-each-ref"), bob_refs)
            os.unlink(path)


class Hardening(ImportTest):
    def test_total_bytes_of_a_tiny_repository(self):
        # one 2 MB blob under 50 names packs to a few KB: the sum of what would be written is the limit
        blob = b"\0" * (2 * 1024 * 1024)
        self.make_repo({"f%02d.bin" % i: blob for i in range(50)})
        self.refused(self.link(), "--max-repo-bytes", "20m", words=["max_repo_bytes"])
        self.assertProjectsEmpty()

    def test_one_path_twice_or_file_and_folder(self):
        # raw tree objects, as `git mktree` would not write them (a fetch does not check them either)
        repo = self.make_repo()
        a, b = repo.blob(b"a\n"), repo.blob(b"b\n")
        sub = repo.mktree([("100644", "x", a)])
        entry = lambda mode, name, sha: b"%s %s\0" % (mode, name) + bytes.fromhex(sha)
        for raw in (entry(b"100644", b"dup", a) + entry(b"100644", b"dup", b),
                    entry(b"100644", b"0.txt", a) + entry(b"100644", b"d", a) + entry(b"40000", b"d", sub)):
            tree = repo.git("hash-object", "-t", "tree", "-w", "--literally", "--stdin", input=raw)
            repo.update_ref("refs/heads/main", repo.commit_tree(tree))
            self.refused(self.link(), "--refresh", words=["refused"])
            self.assertProjectsEmpty()

    def test_a_repository_named_like_the_manifest_folder(self):
        self.make_repo({"imports/x.json": "{}\n"}, name=".labgate")
        r = self.ok(self.link(name=".labgate"))
        self.assertEqual(r["target_dir"], os.path.join(self.user_dir(), "alice-.labgate"))
        self.assertFalse(os.path.exists(os.path.join(self.user_dir(), ".labgate", "imports", "x.json")))

    def test_a_fifo_for_a_manifest_does_not_hang(self):
        self.make_repo({"nb.ipynb": nb("one")})
        os.makedirs(os.path.join(self.user_dir(), ".labgate", "imports"))
        os.mkfifo(os.path.join(self.user_dir(), ".labgate", "imports", self.name + ".json"))
        out = self.labgate_import(self.link(), timeout=30)
        self.assertIn(out.returncode, (0, 1), out.stderr)
        self.assertLess(out.elapsed, 20)

    def test_a_mode_change_upstream_reaches_an_untouched_file(self):
        repo = self.make_repo({"run.sh": "echo hi\n"})
        self.ok(self.link())
        repo.commit({"run.sh": Executable("echo hi\n")})
        r = self.ok(self.link(), "--refresh")
        self.assertRows(r, updated=["run.sh"])
        self.assertTrue(os.stat(os.path.join(self.target(), "run.sh")).st_mode & stat.S_IXUSR)

    def test_waiters_share_a_failed_fetch(self):
        # four imports against a server that never answers: one waits out fetch_timeout, and those that
        # waited behind it fail with it rather than each waiting again
        with StallingServer() as stall:
            procs = [subprocess.Popen([LABGATE, "import", self.link(name="stall"), "--user", "u%d" % i,
                                       "--projects-dir", self.projects, "--cache-dir", self.cache,
                                       "--github-url", stall.url, "--fetch-timeout", "3s"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env)
                     for i in range(4)]
            started = time.monotonic()
            codes = [p.wait(timeout=60) for p in procs]
            elapsed = time.monotonic() - started
            for p in procs:
                self.assertIn(b"fetch_timeout", p.stderr.read())
                p.stderr.close()
            self.assertEqual(codes, [1, 1, 1, 1])
            self.assertLess(elapsed, 6.5, "waiters waited out the deadline again")
            self.assertEqual(stall.accepted, 1)

    def test_a_stale_ref_lock_in_the_mirror_is_cleared(self):
        repo = self.make_repo({"nb.ipynb": nb("one")})
        self.ok(self.link())
        write(os.path.join(self.mirror_path(), "refs", "heads", "main.lock"), "")
        repo.commit({"nb.ipynb": nb("two")})
        r = self.ok(self.link(), "--refresh")
        self.assertRows(r, updated=["nb.ipynb"])

    def test_the_fetch_child_dies_with_its_importer(self):
        with StallingServer() as stall:
            proc = subprocess.Popen([LABGATE, "import", self.link(name="orphan"), "--user", "ann",
                                     "--projects-dir", self.projects, "--cache-dir", self.cache,
                                     "--github-url", stall.url, "--fetch-timeout", "60s"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
            deadline = time.monotonic() + 20
            kids = []
            while not kids and time.monotonic() < deadline:
                kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                      text=True).stdout.split()
                time.sleep(0.05)
            self.assertTrue(kids, "no fetch child appeared")
            proc.kill()
            proc.wait()
            for _ in range(100):
                if not os.path.exists("/proc/%s" % kids[0]):
                    break
                time.sleep(0.05)
            self.assertFalse(os.path.exists("/proc/%s" % kids[0]), "the fetch child outlived its importer")


class Terminal(ImportTest):
    def test_progress_bar_on_a_terminal_only(self):
        # stderr on a pseudo-terminal: the bar shows fetching (objects, MiB) and writing (files), each
        # redrawn in place; with stderr on a pipe there is no bar at all
        files = {"data/f%03d.bin" % i: os.urandom(2048) for i in range(300)}
        self.make_repo(files)
        master, slave = pty.openpty()
        argv = [LABGATE, "import", self.link(), "--user", "ann", "--projects-dir", self.projects,
                "--cache-dir", self.cache, "--github-url", SERVER.url]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, env=self.env)
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        os.close(master)
        out, _ = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, shown)
        text = shown.decode("utf-8", "replace")
        self.assertRegex(text, r"\r\x1b\[Kfetching \[#{30}\] 30\d/30\d objects, 0\.\d MiB")
        self.assertIn("\r\x1b[Kwriting  [##############################] 300/300 files", text)
        self.assertLess(text.count("writing"), 60, "the bar is redrawn at most ten times a second")
        self.assertIn(b"open: ", out)
        piped = self.labgate_import(self.link(), "--refresh", user="bob", as_json=False)
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertEqual(piped.stderr, "")


if __name__ == "__main__":
    main()
