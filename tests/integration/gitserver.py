"""gitserver.py - git repositories for the import tests: bare repositories in a temporary ROOT/OWNER/REPO.git
built with the git CLI (ordinary commits pushed from a clone, and hostile trees crafted object by object
with `git hash-object --literally`, `git mktree` and `git commit-tree`), a real `git daemon` serving ROOT
on a free loopback port, and a server that accepts connections and never answers."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

GIT_TIMEOUT = 60
DATE = 1700000000  # commits get increasing dates from here, so ids are the same from run to run


class Symlink:
    """A tree entry of mode 120000 pointing at target."""

    def __init__(self, target):
        self.target = target


class Executable:
    """A blob of mode 100755."""

    def __init__(self, data):
        self.data = data


def _bytes(value):
    return value if isinstance(value, bytes) else value.encode("utf-8")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """In the child before exec: SIGTERM when the test process dies, even by SIGKILL (a ctest timeout),
    so that no daemon outlives its test."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def lfs_pointer(data=b"the real content"):
    """The text of a Git LFS pointer file standing for data."""
    import hashlib
    return ("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n"
            % (hashlib.sha256(data).hexdigest(), len(data))).encode()


class GitServer:
    """ROOT/OWNER/REPO.git repositories and, once started, a `git daemon` serving them at self.url.
    Use as a context manager; everything lives in one temp dir removed at the end."""

    def __init__(self, verbose=True):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="labgate-git-"))
        self.root = os.path.join(self.tmp, "root")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.root)
        os.makedirs(self.home)
        self.verbose = verbose
        self.log_path = os.path.join(self.tmp, "daemon.log")
        self.proc = None
        self.port = None
        self._dates = 0
        self._lock = threading.Lock()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        self.env.update(HOME=self.home, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
                        GIT_AUTHOR_NAME="Test Author", GIT_AUTHOR_EMAIL="author@example.com",
                        GIT_COMMITTER_NAME="Test Committer", GIT_COMMITTER_EMAIL="committer@example.com",
                        GIT_TERMINAL_PROMPT="0", LC_ALL="C")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- git CLI --------------------------------------------------------------------------------------

    def _next_date(self):
        with self._lock:
            self._dates += 1
            return "%d +0000" % (DATE + self._dates)

    def git(self, *args, cwd=None, input=None, check=True, binary=False):
        """Runs git with the fixture's environment; returns stdout (str unless binary), stripped of one
        trailing newline."""
        env = dict(self.env)
        date = self._next_date()
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        done = subprocess.run(["git"] + list(args), cwd=cwd or self.tmp, input=input, capture_output=True,
                              env=env, timeout=GIT_TIMEOUT)
        if check and done.returncode != 0:
            raise AssertionError("git %s failed (%d): %s" % (" ".join(map(str, args)), done.returncode,
                                                             done.stderr.decode("utf-8", "replace")))
        out = done.stdout
        if out.endswith(b"\n"):
            out = out[:-1]
        return out if binary else out.decode("utf-8", "surrogateescape")

    def create(self, owner, name, default_branch="main"):
        """An empty bare repository ROOT/owner/name.git whose HEAD names default_branch."""
        path = os.path.join(self.root, owner, name + ".git")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.git("-c", "init.defaultBranch=" + default_branch, "init", "-q", "--bare", path)
        return Repo(self, owner, name, path)

    def alias(self, owner, name, repo):
        """Makes ROOT/owner/name.git a symbolic link to repo (e.g. an upper-case spelling of it)."""
        path = os.path.join(self.root, owner, name + ".git")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(repo.path, path)

    # -- git daemon -----------------------------------------------------------------------------------

    @property
    def url(self):
        return "git://127.0.0.1:%d" % self.port

    def start(self, timeout=15):
        last = None
        for _ in range(5):
            self.port = free_port()
            # the daemon itself rather than the `git` wrapper, so that the parent-death signal reaches it
            daemon = os.path.join(self.git("--exec-path"), "git-daemon")
            argv = [daemon] if os.access(daemon, os.X_OK) else ["git", "daemon"]
            argv += ["--reuseaddr", "--listen=127.0.0.1", "--port=%d" % self.port, "--base-path=" + self.root,
                     "--export-all", "--enable=receive-pack", "--timeout=120"]
            if self.verbose:
                argv.append("--verbose")
            argv.append(self.root)
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                         env=self.env, cwd=self.tmp, start_new_session=True,
                                         preexec_fn=_die_with_parent)
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError as e:
                    last = e
                    time.sleep(0.05)
            self.stop()  # exited (port taken by someone else meanwhile) or never listened: try another
        raise AssertionError("git daemon did not start: %s\n%s" % (last, self.log()))

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the daemon and its upload-pack children
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def upload_pack_requests(self, owner=None, name=None):
        """How many upload-pack requests the daemon logged (for owner/name only when given)."""
        count = 0
        for line in self.log().splitlines():
            if "Request upload-pack" not in line:
                continue
            if owner is not None:
                m = re.search(r"Request upload-pack for '([^']*)'", line)
                want = "/%s/%s" % (owner.lower(), name.lower())
                if not m or re.sub(r"(\.git)?/*$", "", m.group(1).lower()) != want:
                    continue
            count += 1
        return count


class Repo:
    """One bare repository of a GitServer."""

    def __init__(self, server, owner, name, path):
        self.server = server
        self.owner = owner
        self.name = name
        self.path = path

    def git(self, *args, **kwargs):
        return self.server.git("--git-dir=" + self.path, *args, **kwargs)

    # -- crafting objects directly (anything, including trees git itself would refuse to check out) ----

    def blob(self, data):
        return self.git("hash-object", "-t", "blob", "-w", "--literally", "--stdin", input=_bytes(data))

    def mktree(self, entries):
        """entries: (mode, name, sha) with mode "100644", "100755", "120000" or "040000" and name str or
        bytes (any bytes but '/' and NUL). Returns the tree id."""
        kinds = {"100644": "blob", "100755": "blob", "120000": "blob", "040000": "tree", "160000": "commit"}
        lines = b"".join(b"%s %s %s\t%s\0" % (mode.encode(), kinds[mode].encode(), sha.encode(), _bytes(name))
                         for mode, name, sha in entries)
        return self.git("mktree", "-z", input=lines)

    def tree(self, files):
        """A tree from {path: content}; path is str or bytes split on '/', content is bytes/str (100644),
        Executable (100755), Symlink (120000), or a tree id given as ("tree", sha)."""
        top = {}
        for path, content in files.items():
            parts = _bytes(path).split(b"/")
            node = top
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = content
        return self._tree(top)

    def _tree(self, node):
        entries = []
        blobs = {}
        for name, content in node.items():
            if isinstance(content, dict):
                entries.append(("040000", name, self._tree(content)))
            elif isinstance(content, tuple) and content[0] == "tree":
                entries.append(("040000", name, content[1]))
            elif isinstance(content, Symlink):
                entries.append(("120000", name, self.blob(content.target)))
            elif isinstance(content, Executable):
                entries.append(("100755", name, self.blob(content.data)))
            else:
                data = _bytes(content)
                if data not in blobs:
                    blobs[data] = self.blob(data)
                entries.append(("100644", name, blobs[data]))
        return self.mktree(entries)

    def commit_tree(self, tree, parents=(), message="commit"):
        args = ["commit-tree", tree, "-m", message]
        for p in parents:
            args += ["-p", p]
        return self.git(*args)

    def update_ref(self, ref, sha):
        self.git("update-ref", ref, sha)

    def delete_ref(self, ref):
        self.git("update-ref", "-d", ref)

    def commit(self, files, branch="main", message="commit", parents=None):
        """A commit of exactly files on branch (child of the branch's tip unless parents are given);
        returns its id. Nothing is checked: use it for hostile trees."""
        if parents is None:
            tip = self.rev("refs/heads/" + branch)
            parents = [tip] if tip else []
        sha = self.commit_tree(self.tree(files), parents, message)
        self.update_ref("refs/heads/" + branch, sha)
        return sha

    def tag(self, name, target, annotated=False, message="tag"):
        if annotated:
            self.git("tag", "-a", "-m", message, name, target)
        else:
            self.update_ref("refs/tags/" + name, target)
        return self.rev("refs/tags/%s^{commit}" % name)

    def set_head(self, branch):
        self.git("symbolic-ref", "HEAD", "refs/heads/" + branch)

    def rev(self, name):
        """The object id name resolves to, or None."""
        out = self.git("rev-parse", "-q", "--verify", name, check=False)
        return out or None

    def refs(self):
        """{refname: object id} of every ref."""
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)")
        return dict(line.split(" ", 1) for line in out.splitlines())

    # -- ordinary pushes from a non-bare clone ------------------------------------------------------

    def push(self, files, branch="main", force=False, message="push"):
        """Commits exactly files (a {str path: bytes/str/Symlink/Executable}) in a clone and pushes it to
        branch through the file system. force=True pushes a new root commit with --force (history
        rewritten); otherwise the commit is a child of the branch's tip. Returns the commit id."""
        work = tempfile.mkdtemp(prefix="work-", dir=self.server.tmp)
        try:
            g = lambda *a, **k: self.server.git("-C", work, *a, **k)
            self.server.git("clone", "-q", "--no-checkout", self.path, work)
            # HEAD names the branch and the index starts empty: the commit holds exactly files (and the
            # tip is never checked out, so a hostile tip does not get in the way)
            g("symbolic-ref", "HEAD", "refs/heads/" + branch)
            g("update-ref", "-d", "refs/heads/" + branch)  # clone made it for the default branch
            if not force and self.rev("refs/heads/" + branch):
                g("update-ref", "refs/heads/" + branch, "refs/remotes/origin/" + branch)
            for name in os.listdir(work):
                if name != ".git":
                    p = os.path.join(work, name)
                    shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
            for path, content in files.items():
                p = os.path.join(work, path)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                if isinstance(content, Symlink):
                    os.symlink(content.target, p)
                elif isinstance(content, Executable):
                    with open(p, "wb") as f:
                        f.write(content.data)
                    os.chmod(p, 0o755)
                else:
                    with open(p, "wb") as f:
                        f.write(_bytes(content))
            g("add", "-A")
            g("commit", "-q", "--allow-empty", "-m", message)
            g("push", "-q", "--force" if force else "--no-force", "origin", "HEAD:refs/heads/" + branch)
            return g("rev-parse", "HEAD")
        finally:
            shutil.rmtree(work, ignore_errors=True)


class StallingServer:
    """A TCP listener on 127.0.0.1 that accepts connections and never answers; use as a context manager."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._conns = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self):
        return "git://127.0.0.1:%d" % self.port

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for c in self._conns:
            c.close()
        self.sock.close()

    def _serve(self):
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            self._conns.append(conn)  # held open, never read from or written to
