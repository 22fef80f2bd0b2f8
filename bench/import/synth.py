"""synth.py - the import benchmark's synthetic repository: about 2,000 files and 50 MB in nested folders,
mostly random bytes written as base64 (compresses to about 75%, like the data and images in real
notebook repositories), a few hundred Jupyter notebooks with embedded PNG outputs, some source and CSV.
Everything comes from one seed, and the commits carry fixed dates, so the same seed gives the same
commit ids on every run. The repository is written with `git fast-import` (no working tree) and packed
with bitmaps, as a hosting server would keep it. New upstream commits for the warm runs are written the
same way."""

import base64
import json
import os
import random
import subprocess

SEED = 20240611
FILES = 2000
TOTAL_BYTES = 50 * 1000 * 1000
NOTEBOOKS = 240
MAX_FILE_BYTES = 3 * 1000 * 1000
TARGET_NOTEBOOK = "notebooks/analysis/figures/target.ipynb"  # the file of the notebook-mode link
TARGET_BYTES = 300 * 1000
BRANCH = "main"
EPOCH = 1_700_000_000  # commit dates: fixed, so commit ids are reproducible
AUTHOR = "Bench Synth <bench@example.invalid>"

TOP = ("analysis", "data", "notebooks", "src", "docs", "experiments", "results", "assets")
SUB = ("raw", "clean", "2024", "figures", "models", "runs", "eval", "lib", "archive", "sim")


def _b64_lines(rng, n):
    """About n bytes of base64 text (76-character lines) from random bytes."""
    raw = rng.randbytes(max(1, n * 3 // 4))
    return base64.encodebytes(raw)[:n]


def _notebook(rng, n, tag=""):
    """A notebook of about n bytes: markdown and code cells, outputs with a base64 "PNG" and some text."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"# Analysis {tag}\n", "Synthetic notebook.\n"]}]
    left = max(0, n - 1500)
    k = 0
    while True:
        chunk = min(left, rng.randint(20_000, 120_000)) if left > 0 else 0
        png = base64.b64encode(rng.randbytes(chunk * 3 // 4)).decode() if chunk else ""
        cells.append({
            "cell_type": "code", "execution_count": k + 1, "metadata": {},
            "source": [f"import numpy as np\n", f"x = np.random.default_rng({rng.randrange(1 << 30)}).normal(size=1000)\n",
                       f"plot(x, label='{tag} {k}')\n"],
            "outputs": ([{"output_type": "display_data", "metadata": {},
                          "data": {"image/png": png, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}]
                        if png else [{"output_type": "stream", "name": "stdout", "text": [f"{rng.random()}\n"]}]),
        })
        left -= chunk
        k += 1
        if left <= 0:
            break
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                      "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    return (json.dumps(nb, indent=1) + "\n").encode()


def _csv(rng, n):
    rows = ["id,x,y,z,label"]
    size = len(rows[0]) + 1
    i = 0
    while size < n:
        row = f"{i},{rng.random():.9f},{rng.gauss(0, 1):.9f},{rng.randrange(10**9)},{rng.choice(SUB)}"
        rows.append(row)
        size += len(row) + 1
        i += 1
    return ("\n".join(rows) + "\n").encode()


def _source(rng, n):
    lines, size, i = [], 0, 0
    while size < n:
        line = f"def f_{i}(x):\n    return x * {rng.random():.6f} + {rng.randrange(1000)}  # {rng.randbytes(12).hex()}\n\n"
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines).encode()


def _folder(rng):
    depth = rng.choices((1, 2, 3, 4), weights=(3, 5, 2, 1))[0]
    parts = [rng.choice(TOP)] + [rng.choice(SUB) for _ in range(depth - 1)]
    return "/".join(parts)


def plan(seed=SEED):
    """[(path, bytes)] for the initial commits: FILES files, about TOTAL_BYTES in all."""
    rng = random.Random(seed)
    fixed = {"README.md": b"# big\n\nA synthetic repository for bench/import.\n",
             "requirements.txt": b"numpy\npandas\nmatplotlib\n",
             "environment.yml": b"name: big\ndependencies:\n  - python=3.11\n  - numpy\n"}
    specs, seen = [], set(fixed) | {TARGET_NOTEBOOK}
    i = 0
    while len(specs) < FILES - len(fixed) - 1:
        folder = _folder(rng)
        if i < NOTEBOOKS:
            kind, path = "ipynb", f"{folder}/nb_{i:04d}.ipynb"
        else:
            kind = rng.choices(("txt", "csv", "py"), weights=(80, 12, 8))[0]
            path = f"{folder}/{'blob' if kind == 'txt' else 'file'}_{i:04d}.{kind}"
        i += 1
        if path not in seen:
            seen.add(path)
            specs.append((path, kind, min(rng.lognormvariate(0, 1.3), 40.0)))
    # Sources and tables stay small; notebooks and base64 data share what is left of the budget.
    small = {"csv": 200_000, "py": 40_000}
    scale = TOTAL_BYTES / sum(w for _, _, w in specs)
    fixed_bytes = sum(min(small[k], int(w * scale)) for _, k, w in specs if k in small)
    free = TOTAL_BYTES - TARGET_BYTES - fixed_bytes - sum(len(b) for b in fixed.values())
    scale_big = free / sum(w for _, k, w in specs if k not in small)
    files = list(fixed.items()) + [(TARGET_NOTEBOOK, _notebook(rng, TARGET_BYTES, "target"))]
    for path, kind, w in specs:
        if kind in small:
            n = max(200, min(small[kind], int(w * scale)))
            files.append((path, (_csv if kind == "csv" else _source)(rng, n)))
        else:
            n = max(200, min(MAX_FILE_BYTES, int(w * scale_big)))
            files.append((path, _notebook(rng, n, path) if kind == "ipynb" else _b64_lines(rng, n)))
    return files


def _data(out, body):
    out.write(b"data %d\n" % len(body))
    out.write(body)
    out.write(b"\n")


def _commit(out, when, message, changes, parent=None):
    """changes: [(path, bytes)] written inline."""
    out.write(f"commit refs/heads/{BRANCH}\n".encode())
    out.write(f"author {AUTHOR} {when} +0000\ncommitter {AUTHOR} {when} +0000\n".encode())
    _data(out, message.encode())
    if parent:
        out.write(f"from {parent}\n".encode())
    for path, body in changes:
        out.write(f"M 100644 inline {path}\n".encode())
        _data(out, body)


def _git(gitdir, *args, input=None, check=True):
    r = subprocess.run(["git", "--git-dir", gitdir, *args], input=input, capture_output=True, timeout=600)
    if check and r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout.decode().strip()


def head(gitdir):
    return _git(gitdir, "rev-parse", f"refs/heads/{BRANCH}")


def build(gitdir, seed=SEED):
    """Creates the bare repository at gitdir; returns (files, bytes, pack bytes, commit)."""
    files = plan(seed)
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch", BRANCH, gitdir], check=True,
                   capture_output=True)
    # As GitHub does: partial clone filters and fetching reachable commits by id are allowed.
    _git(gitdir, "config", "uploadpack.allowFilter", "true")
    _git(gitdir, "config", "uploadpack.allowReachableSHA1InWant", "true")
    p = subprocess.Popen(["git", "--git-dir", gitdir, "fast-import", "--quiet"], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = p.stdin
    _commit(out, EPOCH, "Initial import\n", files[: len(files) // 2])
    _commit(out, EPOCH + 3600, "Add the rest\n", files[len(files) // 2:])
    rng = random.Random(seed + 1)
    small = [(path, body + b"\n" + rng.randbytes(8).hex().encode() + b"\n")
             for path, body in files if path.endswith(".py")][:20]
    _commit(out, EPOCH + 7200, "Touch some sources\n", small)
    out.close()
    err = p.stderr.read()
    if p.wait() != 0:
        raise RuntimeError(f"git fast-import failed: {err.decode(errors='replace').strip()}")
    _git(gitdir, "tag", "v1.0", f"refs/heads/{BRANCH}")
    _git(gitdir, "repack", "-a", "-d", "-b", "-q")
    _git(gitdir, "prune-packed")
    _git(gitdir, "pack-refs", "--all")
    pack = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(gitdir, "objects"))
               for f in fs)
    return len(files), sum(len(b) for _, b in files), pack, head(gitdir)


def push_commit(gitdir, k, seed=SEED):
    """One new upstream commit on top of the branch: the target notebook re-run (new outputs) and a small
    log file; returns (commit, the notebook's new bytes)."""
    rng = random.Random(seed * 1000 + k)
    nb = _notebook(rng, TARGET_BYTES, f"target run {k}")
    p = subprocess.Popen(["git", "--git-dir", gitdir, "fast-import", "--quiet"], stdin=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    _commit(p.stdin, EPOCH + 86400 + k * 60, f"Re-run the target notebook ({k})\n",
            [(TARGET_NOTEBOOK, nb), ("results/runs.log", f"run {k}\n".encode())], parent=f"refs/heads/{BRANCH}^0")
    p.stdin.close()
    err = p.stderr.read()
    if p.wait() != 0:
        raise RuntimeError(f"git fast-import (push {k}) failed: {err.decode(errors='replace').strip()}")
    return head(gitdir), nb


if __name__ == "__main__":
    # `synth.py GITDIR`: builds the repository in a process of its own (the benchmark's own process stays
    # small) and prints [files, bytes, pack bytes, commit] as JSON.
    import sys
    print(json.dumps(build(sys.argv[1])))
