"""Times commands side by side for benches/run: alternating rounds, fresh output folders,
one warm-up, wall and CPU time and peak RSS from wait4. Prints Markdown tables.

Usage: measure.py WORKDIR EXPLAINER GEN MDFLOOR N [N ...]   (env RUNS, default 5)
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

work, explainer, gen, mdfloor = sys.argv[1:5]
sizes = [int(n) for n in sys.argv[5:]]
runs = int(os.environ.get("RUNS", "5"))


def run(argv):
    """Runs argv after flushing pending writes; returns (wall s, cpu s, peak RSS MB, stdout)."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def settle(path):
    """Removes a folder of outputs and lets the disk finish with it before timing again."""
    shutil.rmtree(path, ignore_errors=True)
    os.sync()
    time.sleep(3)


def row(name, samples):
    walls = [s[0] for s in samples]
    cpus = [s[1] for s in samples]
    rss = [s[2] for s in samples]
    return name, statistics.median(walls), min(walls), max(walls), statistics.median(cpus), max(rss)


results = {}
for n in sizes:
    corpus = os.path.join(work, f"corpus-{n}")
    if not os.path.isdir(corpus):
        subprocess.run([gen, corpus, "--articles", str(n), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, "out")
    tools = {
        "explainer build": lambda o: [explainer, "build", "--root", corpus, "--out", o],
        "hugo": lambda o: ["hugo", "-s", os.path.join(corpus, "hugo"), "--destination", o, "--quiet"],
        "floor: cp -r content": lambda o: ["cp", "-r", os.path.join(corpus, "content"), o],
        "floor: pulldown-cmark pass": lambda o: [mdfloor, os.path.join(corpus, "content", "articles")],
    }
    samples = {name: [] for name in tools}
    # Every run writes to a new folder; all are deleted only after the timing, since deleting
    # thousands of files keeps the disk busy (discard, journal) well after `rm` returns.
    settle(out)
    for round_ in range(runs + 1):  # round 0 is the warm-up
        for i, (name, argv) in enumerate(tools.items()):
            result = run(argv(os.path.join(out, f"run-{round_}-{i}")))
            if round_ > 0:
                samples[name].append(result)
    settle(out)
    rows = [row(name, s) for name, s in samples.items()]
    results[n] = {r[0]: r for r in rows}

    # Rebuilds at this size: nothing changed, then one article's text changed.
    site = fresh(os.path.join(out, "site"))
    run(tools["explainer build"](site))
    noop = [run(tools["explainer build"](site)) for _ in range(runs)]
    article = os.path.join(corpus, "content", "articles", "a-00001.md")
    original = open(article, encoding="utf-8").read()
    edits = []
    for i in range(runs):
        with open(article, "w", encoding="utf-8") as f:
            f.write(original + f"\nAn edit, number {i}.\n")
        edits.append(run(tools["explainer build"](site)))
    with open(article, "w", encoding="utf-8") as f:
        f.write(original)
    run(tools["explainer build"](site))
    settle(out)
    results[n]["rebuild, nothing changed"] = row("rebuild, nothing changed", noop)
    results[n]["rebuild, one article edited"] = row("rebuild, one article edited", edits)
    results[n]["_noop_out"] = noop[-1][3].strip()
    results[n]["_edit_out"] = edits[-1][3].strip()

print(f"Runs per figure: {runs} counted after one warm-up, tools alternating; output to fresh folders under {work}.\n")
print("| articles | what | median wall | min–max wall | median CPU | peak RSS |")
print("|---:|---|---:|---:|---:|---:|")
for n, r in results.items():
    for name, v in r.items():
        if name.startswith("_"):
            continue
        print(f"| {n:,} | {name} | {v[1]:.2f} s | {v[2]:.2f}–{v[3]:.2f} s | {v[4]:.2f} s | {v[5]:.0f} MB |")
print()
print("| articles | explainer / hugo | explainer / floor (cp + pulldown-cmark) | no-change rebuild / full build | one-edit rebuild / full build |")
print("|---:|---:|---:|---:|---:|")
for n, r in results.items():
    e, h = r["explainer build"][1], r["hugo"][1]
    floor = r["floor: cp -r content"][1] + r["floor: pulldown-cmark pass"][1]
    print(f"| {n:,} | {e / h:.2f} | {e / floor:.2f} | {r['rebuild, nothing changed'][1] / e:.2f} | {r['rebuild, one article edited'][1] / e:.2f} |")
if len(sizes) >= 2:
    a, b = sizes[0], sizes[-1]
    ratio = results[b]["explainer build"][1] / results[a]["explainer build"][1]
    print(f"\nGoing from {a:,} to {b:,} articles costs {ratio:.1f}x the time ({b // a}x the articles).")
for n, r in results.items():
    print(f"\nAt {n:,}, last no-change rebuild said: {r['_noop_out']}")
    print(f"At {n:,}, last one-edit rebuild said: {r['_edit_out']}")
