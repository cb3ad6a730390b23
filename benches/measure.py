"""Times commands side by side for benches/run: alternating rounds, fresh output folders,
one warm-up, wall and CPU time and peak RSS from wait4. Prints Markdown tables.

Usage: measure.py TMPFS_DIR EXT4_DIR BIN_DIR N [N ...]
  BIN_DIR holds explainer and the examples gen-corpus, md-floor, write-floor, serve-latency.
  env RUNS (default 5): counted runs per figure; EXT4_MAX (default 10000): the largest
  corpus also timed on ext4; HUGO_MAX (default 100000): the largest corpus Hugo builds.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

tmpfs, ext4, bins = sys.argv[1:4]
sizes = [int(n) for n in sys.argv[4:]]
runs = int(os.environ.get("RUNS", "5"))
ext4_max = int(os.environ.get("EXT4_MAX", "10000"))
hugo_max = int(os.environ.get("HUGO_MAX", "100000"))
explainer, gen, mdfloor, wfloor, latency = (
    os.path.join(bins, b) for b in ["explainer", "examples/gen-corpus", "examples/md-floor",
                                     "examples/write-floor", "examples/serve-latency"])


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


def settle(path):
    """Removes a folder of outputs and lets the disk finish with it before timing again."""
    shutil.rmtree(path, ignore_errors=True)
    os.sync()
    time.sleep(3 if path.startswith(ext4) else 0)


def row(samples):
    walls = [s[0] for s in samples]
    return (statistics.median(walls), min(walls), max(walls),
            statistics.median(s[1] for s in samples), max(s[2] for s in samples), len(samples))


def corpus_of(n):
    corpus = os.path.join(tmpfs, f"corpus-{n}")
    if not os.path.isdir(corpus):
        subprocess.run([gen, corpus, "--articles", str(n), "--seed", "1"], check=True,
                       stdout=subprocess.DEVNULL)
    return corpus


def build(corpus):
    """A full build into a fresh folder: the build cache in the site folder is deleted first."""
    def argv(out):
        shutil.rmtree(os.path.join(corpus, ".explainer-cache"), ignore_errors=True)
        return [explainer, "build", "--root", corpus, "--out", out]
    return argv


def alternate(where, tools):
    """Each tool once per round into a new folder under `where`, round 0 a warm-up. On ext4
    folders are deleted only after the timing (deleting thousands of files keeps a disk busy);
    on tmpfs, which is memory, each right after its run."""
    samples = {name: [] for name in tools}
    settle(where)
    for round_ in range(runs + 1):
        for i, (name, argv) in enumerate(tools.items()):
            folder = os.path.join(where, f"run-{round_}-{i}")
            result = run(argv(folder))
            if round_ > 0:
                samples[name].append(result)
            if not where.startswith(ext4):  # tmpfs is memory: at 100,000 outputs fill it
                shutil.rmtree(folder, ignore_errors=True)
        if where.startswith(ext4):  # the disk is noisy: let each round start quiet
            settle(where)
    settle(where)
    return {name: row(s) for name, s in samples.items()}


def full_builds(n, corpus):
    """Full builds on tmpfs against Hugo and the floors, then on ext4 against the write floor."""
    manifest = os.path.join(tmpfs, f"manifest-{n}")
    ref = os.path.join(tmpfs, "ref")
    run(build(corpus)(ref))
    shutil.copy(os.path.join(ref, ".explainer-manifest"), manifest)
    settle(ref)
    tools = {"explainer build": build(corpus)}
    if n <= hugo_max:
        tools["hugo"] = lambda o: ["hugo", "-s", os.path.join(corpus, "hugo"), "--destination", o, "--quiet"]
    tools["floor: write the same files"] = lambda o: [wfloor, manifest, o]
    tools["floor: pulldown-cmark pass"] = lambda o: [mdfloor, os.path.join(corpus, "content", "articles")]
    rows = {f"tmpfs: {k}": v for k, v in alternate(os.path.join(tmpfs, "out"), tools).items()}
    if n <= ext4_max:
        on_disk = {"explainer build": build(corpus), "floor: write the same files": tools["floor: write the same files"]}
        rows.update({f"ext4: {k}": v for k, v in alternate(os.path.join(ext4, "out"), on_disk).items()})
    return rows


def edit(path, change):
    """Applies `change` to a file's text; returns a function that puts the original back."""
    with open(path, encoding="utf-8") as f:
        original = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(change(original))
    def undo():
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    return undo


def rebuilds(corpus):
    """CLI rebuilds on tmpfs, each kind RUNS times against a built site: what it said last."""
    site = os.path.join(tmpfs, "site")
    settle(site)
    article = os.path.join(corpus, "content", "articles", "a-00001.md")
    sources = os.path.join(corpus, "content", "facts", "sources.yaml")
    kinds = {
        "rebuild, nothing changed": lambda i: lambda: None,
        "rebuild, one article's text edited": lambda i: edit(article, lambda t: t + f"\nAn edit, number {i}.\n"),
        "rebuild, one article's title edited": lambda i: edit(
            article, lambda t: t.replace('title: "', f'title: "Edit {i}, ', 1)),
        "rebuild, a source's title edited (shown by every guide)": lambda i: edit(
            sources, lambda t: t.replace("  title: ", f"  title: Revision {i} of ", 1)),
    }
    rows, said = {}, {}
    run(build(corpus)(site))
    for name, make in kinds.items():
        samples = []
        for i in range(runs):
            undo = make(i)
            samples.append(run([explainer, "build", "--root", corpus, "--out", site]))
            undo()
            run([explainer, "build", "--root", corpus, "--out", site])
        rows[name] = row(samples)
        said[name] = samples[-1][3].strip().splitlines()[-1]
    settle(site)
    return rows, said


def serve_latency(corpus):
    """`explainer serve`'s edit-to-reload times (examples/serve-latency), as one row."""
    article = os.path.join(corpus, "content", "articles", "a-00042.md")
    proc = subprocess.run([latency, explainer, corpus, article, str(max(runs, 10))],
                          check=True, capture_output=True, text=True)
    found = re.search(r"over (\d+) edits: median ([\d.]+) ms, min ([\d.]+) ms, max ([\d.]+) ms", proc.stdout)
    if not found:
        return None
    k, med, lo, hi = int(found[1]), *(float(v) / 1000 for v in found.groups()[1:])
    return med, lo, hi, float("nan"), float("nan"), k


results, said = {}, {}
for n in sizes:
    corpus = corpus_of(n)
    results[n] = full_builds(n, corpus)
    rows, said[n] = rebuilds(corpus)
    results[n].update(rows)
    served = serve_latency(corpus)
    if served:
        results[n]["serve: edit to reload"] = served

print(f"Runs per figure: {runs} counted after one warm-up, tools alternating; output to fresh folders "
      f"under {tmpfs} (tmpfs) and {ext4} (ext4).\n")
print("| articles | what | runs | median wall | min–max wall | median CPU | peak RSS |")
print("|---:|---|---:|---:|---:|---:|---:|")
for n, r in results.items():
    for name, (med, lo, hi, cpu, rss, k) in r.items():
        ms = med < 1
        fmt = (lambda s: f"{s * 1000:.0f} ms") if ms else (lambda s: f"{s:.2f} s")
        cpu_s = "" if cpu != cpu else fmt(cpu)
        rss_s = "" if rss != rss else f"{rss:.0f} MB"
        print(f"| {n:,} | {name} | {k} | {fmt(med)} | {fmt(lo)}–{fmt(hi)} | {cpu_s} | {rss_s} |")
print()
print("| articles | tmpfs: explainer / hugo | tmpfs: explainer / write floor | ext4: explainer / write floor | one-edit rebuild / tmpfs build |")
print("|---:|---:|---:|---:|---:|")
for n, r in results.items():
    e = r["tmpfs: explainer build"][0]
    h = r.get("tmpfs: hugo")
    d = r.get("ext4: explainer build")
    hugo = f"{e / h[0]:.2f}" if h else "–"
    disk = f"{d[0] / r['ext4: floor: write the same files'][0]:.2f}" if d else "–"
    edited = r["rebuild, one article's text edited"][0]
    print(f"| {n:,} | {hugo} | {e / r['tmpfs: floor: write the same files'][0]:.2f} | {disk} | "
          f"{edited / e:.2f} |")
if len(sizes) >= 2:
    a, b = sizes[0], sizes[-1]
    ratio = results[b]["tmpfs: explainer build"][0] / results[a]["tmpfs: explainer build"][0]
    print(f"\nGoing from {a:,} to {b:,} articles costs {ratio:.1f}x the time on tmpfs ({b // a}x the articles).")
for n, lines in said.items():
    for name, line in lines.items():
        print(f"\nAt {n:,}, the last '{name}' said: {line}")
