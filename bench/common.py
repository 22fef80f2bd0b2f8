"""common.py - what the benchmarks share: the error that stops a run, and how figures are named."""

import os
import re


class CannotRun(Exception):
    """The benchmark cannot run at all: a missing tool or binary, a server that did not start."""


def build_type(binary):
    """The CMAKE_BUILD_TYPE of the build directory holding binary, or None if it cannot be told."""
    d = os.path.dirname(os.path.abspath(binary))
    for _ in range(3):
        cache = os.path.join(d, "CMakeCache.txt")
        if os.path.exists(cache):
            with open(cache, errors="replace") as f:
                m = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", f.read(), re.M)
            return m.group(1).strip() if m else ""
        d = os.path.dirname(d)
    return None


def mb(n):
    return f"{n / 1e6:.1f} MB" if n is not None else "n/a"
