"""nbrepo.py - the synthetic repository of parts 2 and 3: many small Jupyter notebooks (2,000 by default, 2 to 6 KB
each, a markdown cell and code cells with a short text output), 100 to a folder (nb/d00/nb_0000.ipynb, ...), plus
a README and a requirements.txt; one commit with a fixed date, written with `git fast-import` and packed with
bitmaps, so the same count gives the same commit id on every run."""

import json
import os
import random
import subprocess

SEED = 20240612
BRANCH = "main"
OWNER, NAME = "bench", "notebooks"
EPOCH = 1_700_000_000
AUTHOR = "Bench Synth <bench@example.invalid>"


def path_of(i):
    return f"nb/d{i // 100:02d}/nb_{i:04d}.ipynb"


def notebook(i, seed=SEED):
    rng = random.Random(seed * 100_003 + i)
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"# Notebook {i}\n", "A small synthetic notebook.\n"]}]
    for k in range(rng.randint(2, 8)):
        cells.append({
            "cell_type": "code", "execution_count": k + 1, "metadata": {},
            "source": ["import numpy as np\n", f"x = np.random.default_rng({rng.randrange(1 << 30)}).normal(size=100)\n",
                       f"print(x.mean(), {rng.random():.6f})\n"],
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [f"{rng.gauss(0, 1):.12f}\n"]}],
        })
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    return (json.dumps(nb, indent=1) + "\n").encode()


def _data(out, body):
    out.write(b"data %d\n" % len(body))
    out.write(body)
    out.write(b"\n")


def _git(gitdir, *args):
    r = subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout.decode().strip()


def build(gitdir, count):
    """Creates the bare repository at gitdir with count notebooks; returns (commit, total bytes)."""
    os.makedirs(os.path.dirname(gitdir), exist_ok=True)
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch", BRANCH, gitdir], check=True, capture_output=True)
    _git(gitdir, "config", "uploadpack.allowFilter", "true")
    _git(gitdir, "config", "uploadpack.allowReachableSHA1InWant", "true")
    p = subprocess.Popen(["git", "--git-dir", gitdir, "fast-import", "--quiet"], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = p.stdin
    out.write(f"commit refs/heads/{BRANCH}\n".encode())
    out.write(f"author {AUTHOR} {EPOCH} +0000\ncommitter {AUTHOR} {EPOCH} +0000\n".encode())
    _data(out, b"Notebooks\n")
    total = 0
    files = [("README.md", b"# notebooks\n\nA synthetic repository for bench/queue.\n"),
             ("requirements.txt", b"numpy\n")]
    for path, body in files:
        out.write(f"M 100644 inline {path}\n".encode())
        _data(out, body)
        total += len(body)
    for i in range(count):
        body = notebook(i)
        out.write(f"M 100644 inline {path_of(i)}\n".encode())
        _data(out, body)
        total += len(body)
    out.close()
    err = p.stderr.read()
    if p.wait() != 0:
        raise RuntimeError(f"git fast-import failed: {err.decode(errors='replace').strip()}")
    _git(gitdir, "repack", "-a", "-d", "-b", "-q")
    _git(gitdir, "prune-packed")
    _git(gitdir, "pack-refs", "--all")
    return _git(gitdir, "rev-parse", f"refs/heads/{BRANCH}"), total


def link(i):
    return f"https://github.com/{OWNER}/{NAME}/blob/{BRANCH}/{path_of(i)}"
