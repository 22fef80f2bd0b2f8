"""report.py - the import benchmark's report: the table of timings, the goals and their verdicts."""

import os
import statistics

import synth
from common import build_type, mb

# (name, numerator row, denominator row or None for an absolute time, comparison, target, what it means)
GOALS = (
    ("cold repo", "cold_lg_repo", "cold_git_clone", "<=", 1.15, "labgate repo mode / git clone"),
    ("cold notebook", "cold_lg_nb", "cold_git_bare", "<=", 1.15, "labgate notebook mode / git clone --bare"),
    ("warm notebook", "warm_lg_nb", None, "<", 0.100, "labgate notebook mode, absolute"),
    ("warm notebook", "warm_lg_nb", "cold_git_clone", "<", 0.1, "labgate notebook mode / cold git clone"),
    ("warm repo", "warm_lg_repo", "warm_git_local", "<=", 1.2, "labgate repo mode / clone --local + checkout"),
)
GOAL_CONCURRENT_RATIO = 2.0
OTHERS_WARN_PCT = 10  # CPU share of unrelated processes during a run that is worth a warning




def secs(x):
    if x is None:
        return "n/a"
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.3f} s"





def verdict(value, cmp, target, digits=3):
    """Judged on the value as printed (ratios with 3 decimals, times under a second to 0.1 ms), so that a
    printed 1.150x is never MISSED against 1.15x."""
    if value is None:
        return "INVALID"
    value = round(value, digits)
    ok = value <= target if cmp == "<=" else value < target
    return "met" if ok else "MISSED"


def header(v, w):
    o, r = v["opts"], v["repo"]
    w("")
    w("=" * 96)
    w("labgate import benchmark")
    w("=" * 96)
    w(f"labgate binary : {o.binary}")
    bt = build_type(o.binary)
    if bt is None:
        w("build type     : unknown (no CMakeCache.txt near the binary); use a Release build for real figures")
    elif bt not in ("Release", "RelWithDebInfo", "MinSizeRel"):
        w(f"build type     : {bt or '(empty)'} -- NOT OPTIMISED: use a Release build for real figures")
    else:
        w(f"build type     : {bt}")
    w(f"machine        : {os.cpu_count()} CPUs; {v['git_version']}")
    w(f"repository     : {synth.BRANCH} of {r['files']:,} files, {mb(r['bytes'])} in {r['folders']} folders "
      f"({r['notebooks']} notebooks), pack {mb(r['pack'])}, 3 commits + 1 tag, seed {synth.SEED}")
    w(f"served by      : git daemon --verbose on {v['daemon'].url}/{'bench/big.git'} "
      "(uploadpack.allowFilter and allowReachableSHA1InWant on, as on GitHub)")
    w(f"notebook link  : .../blob/{synth.BRANCH}/{synth.TARGET_NOTEBOOK} ({synth.TARGET_BYTES // 1000} KB)")
    w(f"work directory : {v['fs']}")
    w(f"runs           : median of {o.runs}" + (f" after {o.warmup} unmeasured warm-up run(s)" if o.warmup else "")
      + "; cold = empty cache and projects dirs; warm = mirror present, one new upstream commit before "
      "each run, --mirror-max-age 0")


def table(v, w):
    m = v["m"]
    w("")
    w(f"{'phase':<6} {'command':<52} {'median':>9} {'min':>9} {'max':>9} {'CPU':>8} {'peak RSS':>9} "
      f"{'up-packs':>8} {'others':>6}  status")
    w("-" * 125)
    order = (("cold", "cold_lg_repo"), ("cold", "cold_git_clone"), ("cold", "cold_lg_nb"), ("cold", "cold_git_bare"),
             ("warm", "warm_lg_nb"), ("warm", "warm_lg_repo"), ("warm", "warm_git_local"),
             ("x" + str(v["opts"].concurrency), "concurrent"))
    busiest = 0.0
    for phase, key in order:
        x = m.get(key)
        if x is None:
            continue
        walls = x.walls()
        cpu = statistics.median(r.cpu for r in x.runs) if x.runs else None
        rss_all = [r.maxrss for r in x.runs if r.maxrss]
        rss = statistics.median(rss_all) if rss_all else None
        packs = "/".join(str(p) for p in sorted(set(x.packs))) if x.packs else "-"
        oth = [r.others_pct for r in x.runs if r.others_pct is not None]
        busiest = max(busiest, max(oth)) if oth else busiest
        oths = f"{max(oth):.0f}%" if oth else "-"
        status = "INVALID" if x.problems else "ok" if x.runs else "not run"
        w(f"{phase:<6} {x.label[:52]:<52} {secs(statistics.median(walls) if walls else None):>9} "
          f"{secs(min(walls) if walls else None):>9} {secs(max(walls) if walls else None):>9} "
          f"{(f'{cpu:.2f} s' if cpu is not None else 'n/a'):>8} {mb(rss):>9} {packs:>8} {oths:>6}  {status}")
    w("  median/min/max: wall time of each run (the concurrent row: from the first start to the last exit).")
    w("  CPU: user + system time of the command and every process it waited for, median (the concurrent")
    w("  row: all its imports together). peak RSS: the largest resident set of any single process in the")
    w("  command's tree, median (GNU time's %M; the concurrent row: the largest over its imports).")
    w("  up-packs: upload-pack requests the git daemon logged per run (every distinct value seen).")
    w("  The warm git row is two commands run one after the other: their times are summed. Both it and")
    w("  labgate hard-link the mirror's objects.")
    w("  others: the largest share of the machine's CPU time that processes outside the benchmark (not the")
    w("  command, not the git daemon) used during one of the row's runs.")
    if busiest > OTHERS_WARN_PCT:
        w(f"  WARNING: other processes used up to {busiest:.0f}% of the CPUs during some runs: those figures are")
        w("  slower and noisier than on an idle machine.")


def goals(v, w):
    m = v["m"]
    verdicts = []
    w("")
    w("Goals:")
    for name, num, den, cmp, target, what in GOALS:
        a = m.get(num)
        b = m.get(den) if den else None
        an = a.median() if a else None
        if den is None:
            value, shown, ts = an, secs(an), f"{cmp} {secs(target)}"
        else:
            bn = b.median() if b else None
            value = an / bn if an is not None and bn else None
            shown = f"{value:.3f}x" if value is not None else "n/a"
            ts = f"{cmp} {target:g}x" if target is not None else ""
        if cmp == "info":
            w(f"  {name:<14} {what:<48} {shown:>9}   (information only, not judged)")
            continue
        vd = verdict(value, cmp, target, 3 if den else 4)
        verdicts.append(vd)
        w(f"  {name:<14} {what:<48} {shown:>9}   target {ts:<10} {vd}")
    c = m.get("concurrent")
    n = v["opts"].concurrency
    single_key = "cold_lg_nb" if v["opts"].concurrent_mode == "notebook" else "cold_lg_repo"
    if c is not None:
        ok = bool(c.packs) and not c.problems
        vd = ("met" if all(p == 1 for p in c.packs) else "MISSED") if ok else "INVALID"
        verdicts.append(vd)
        shown = ",".join(str(p) for p in c.packs) if c.packs else "n/a"
        w(f"  {'concurrent':<14} {f'upload-pack requests for {n} imports (each run)':<48} {shown:>9}   "
          f"target {'== 1':<10} {vd}")
        single = m.get(single_key)
        cn, sn = c.median(), single.median() if single else None
        value = cn / sn if cn is not None and sn else None
        vd = verdict(value, "<=", GOAL_CONCURRENT_RATIO)
        verdicts.append(vd)
        what = f"{n} at once / one cold import ({v['opts'].concurrent_mode} mode)"
        shown = f"{value:.3f}x" if value is not None else "n/a"
        w(f"  {'concurrent':<14} {what:<48} {shown:>9}   target {'<= 2x':<10} {vd}")
    lr = m.get("cold_lg_repo")
    if lr is not None and any(r.maxrss for r in lr.runs):
        rss = [r.maxrss for r in lr.runs if r.maxrss]
        w(f"  peak RSS of one cold repo-mode import: median {mb(statistics.median(rss))}, max {mb(max(rss))} "
          "(largest single process: labgate or a child)")
    return verdicts


def details(v, w):
    m = v["m"]
    c = m.get("concurrent")
    if c is not None and c.runs:
        i = sorted(range(len(c.walls_override)), key=lambda k: c.walls_override[k])[len(c.walls_override) // 2]
        each = c.each[i]
        w("")
        w(f"Concurrent imports, median run: fastest {secs(each[0])}, median {secs(statistics.median(each))}, "
          f"slowest {secs(each[-1])}; imports reporting \"fetched\": true per run: "
          + ",".join(str(f) for f in c.fetched))
        fetch_cpu, rest_cpu = c.cpu_split[i]
        if fetch_cpu and rest_cpu:
            w(f"  CPU time, median run: the import that fetched {secs(fetch_cpu[0])}, each of the other "
              f"{len(rest_cpu)} {secs(statistics.median(rest_cpu))} (median), all {sum(fetch_cpu + rest_cpu):.2f} s on "
              f"{os.cpu_count()} CPUs")
    problems = [(x.label, p) for x in m.values() for p in x.problems]
    notes = [(x.label, p) for x in m.values() for p in x.notes]
    if problems:
        w("")
        w("INVALID measurements (a run failed; the row and its goals are not judged):")
        for label, p in problems:
            w(f"  {label}: {p[:600]}")
    if notes:
        w("")
        w("Notes (runs that succeeded but differ from the contract):")
        for label, p in notes:
            w(f"  {label}: {p[:300]}")


def report(v):
    out = []
    w = out.append
    header(v, w)
    table(v, w)
    verdicts = goals(v, w)
    details(v, w)
    w("")
    missed = sum(1 for g in verdicts if g in ("MISSED", "INVALID"))
    w(f"{len(verdicts) - missed} of {len(verdicts)} goals met" + (f", {missed} MISSED or INVALID" if missed else "")
      + f"; ran in {v['elapsed']:.0f}s (repository built in {v['repo']['build_s']:.1f}s).")
    return "\n".join(out)
