"""Benchmark our build against plain sphinx-gallery, serial and parallel, on the same examples.

Usage: ``make bench`` (or ``.venv/bin/python tools/bench.py --runs 3``).

Everything is measured in one run, on this machine, so that only ratios are
compared: these machines are shared and noisy.  Each figure is the median of
``--runs`` runs, with the min-max range.

* ours: the real site (English; the Chinese side is measured separately);
* ours -j auto: the same with Sphinx's own parallel reading and writing
  (``sphinx-build -j auto``), which the Makefile's options may or may not hold;
* plain: a minimal site of the same galleries (read from ``conf.py``) under a
  plain sphinx-gallery configuration, examples executed one after the other
  inside the Sphinx process;
* parallel: the same, with sphinx-gallery's own ``parallel`` option set to
  the machine's cores (joblib), the fastest plain configuration a user has.

For each: wall time, CPU time (user + system of the build and every process
it waited for) and peak memory, the largest total proportional set size (PSS)
of the build's process tree, sampled every 20 ms, so forked children that
share pages with their parent are not counted twice.
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from siteconf import GALLERIES, REPO, SPHINXOPTS, chinese_options, copy_site, english_options

PLAIN_CONF = '''
project = "plain sphinx-gallery"
extensions = ["sphinx_gallery.gen_gallery"]
exclude_patterns = ["_build", {sources}]
html_theme = "sphinx_rtd_theme"
sphinx_gallery_conf = {{
    "examples_dirs": {examples_dirs!r},
    "gallery_dirs": {gallery_dirs!r},
    "filename_pattern": r"\\.py$",
    "parallel": {parallel},
}}
'''


def plain_site(dest, parallel=False):
    """The same galleries under plain sphinx-gallery (``parallel``: joblib workers)."""
    dest.mkdir(parents=True)
    examples_dirs = [examples for examples, _ in GALLERIES]
    gallery_dirs = [gallery for _, gallery in GALLERIES]
    roots = sorted({Path(examples).parts[0] for examples in examples_dirs})
    for root in roots:
        shutil.copytree(REPO / root, dest / root)
    (dest / "conf.py").write_text(
        PLAIN_CONF.format(
            sources=", ".join(repr(root) for root in roots),
            examples_dirs=examples_dirs,
            gallery_dirs=gallery_dirs,
            parallel=parallel,
        )
    )
    toctree = "\n".join(f"   {gallery}/index" for gallery in gallery_dirs)
    (dest / "index.rst").write_text(f"Plain\n=====\n\n.. toctree::\n\n{toctree}\n")
    return dest


def pss_of_tree(process):
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(src, out, *options):
    """Run sphinx-build; return (seconds, CPU seconds, peak PSS in MB, executed, output)."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", *SPHINXOPTS, *options,
               str(src), str(out)]
    start = time.perf_counter()
    cpu_start = cpu_of_children()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    peak = 0
    done = threading.Event()
    watched = psutil.Process(process.pid)

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, pss_of_tree(watched))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    cpu = cpu_of_children() - cpu_start
    done.set()
    sampler.join()
    if process.returncode:
        sys.exit(f"build failed: {' '.join(command)}\n{output}")
    return elapsed, cpu, peak / 2**20, executed(output), output


def executed(output):
    ours = re.search(r"example_runner: executed (\d+) example", output)
    if ours:
        return int(ours.group(1))
    plain = re.search(r"successfully executed (\d+) out of", output)
    return int(plain.group(1)) if plain else 0


def touch(path, text):
    path.write_text(path.read_text() + text)


def summary(values):
    return statistics.median(values), min(values), max(values)


def fmt(values, unit):
    median, low, high = summary(values)
    return f"{median:8.2f} {unit} ({low:.2f}-{high:.2f})"


SIDES = ("ours", "ours -j auto", "plain", "parallel")
#: Sphinx's options of each side, beyond the Makefile's.
OPTIONS = {"ours -j auto": ["-j", "auto"]}


def report(rows, runs):
    ratios = [("ours", "plain"), ("ours", "parallel"), ("ours -j auto", "ours")]
    print(f"\nafter {runs} run(s):\n{'measure':40}" + "".join(f" {side:>24}" for side in SIDES)
          + "".join(f" {top + '/' + base:>18}" for top, base in ratios))
    for name, sides in rows.items():
        unit = "" if "executed" in name else ("MB" if "MB" in name else "s")
        line = f"{name:40}"
        for side in SIDES:
            line += f" {fmt(sides[side], unit) if side in sides else '-':>24}"
        for top, base in ratios:
            ratio = ""
            if top in sides and base in sides and "executed" not in name and statistics.median(sides[base]):
                ratio = f"{statistics.median(sides[top]) / statistics.median(sides[base]):.2f}x"
            line += f" {ratio:>18}"
        print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sides", default=",".join(SIDES),
                        help=f"which builds to time, comma-separated (default: {','.join(SIDES)})")
    args = parser.parse_args()
    wanted = args.sides.split(",")
    if unknown := set(wanted) - set(SIDES):
        parser.error(f"unknown side(s) {sorted(unknown)}; the sides are {list(SIDES)}")
    cores = os.cpu_count() or 1
    rows = {}

    def record(name, side, value):
        rows.setdefault(name, {}).setdefault(side, []).append(value)

    print(f"{cores} cores; sphinx-gallery's parallel = {cores}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs} ...", flush=True)
            makers = {
                "ours": lambda dest: copy_site(dest),
                "ours -j auto": lambda dest: copy_site(dest),
                "plain": lambda dest: plain_site(dest),
                "parallel": lambda dest: plain_site(dest, parallel=cores),
            }
            for side in [side for side in SIDES if side in wanted]:
                src = makers[side](tmp / f"{side.replace(' ', '')}{run}")
                out = src / "_build/html"
                opts = [*english_options(src), *OPTIONS.get(side, [])]
                seconds, cpu, peak, count, _ = build(src, out, *opts)
                record("clean full build (s)", side, seconds)
                record("clean full build CPU time (s)", side, cpu)
                record("clean full build peak memory (MB)", side, peak)
                record("clean full build: examples executed", side, count)
                seconds, cpu, _, count, _ = build(src, out, *opts)
                record("no-op rebuild (s)", side, seconds)
                record("no-op rebuild: examples executed", side, count)
                touch(src / "beginner_source/examples_nn/two_layer_net_nn.py", "\n# edited\n")
                seconds, cpu, _, count, _ = build(src, out, *opts)
                record("one example edited (s)", side, seconds)
                record("one example edited: examples executed", side, count)
                if side.startswith("ours"):
                    touch(src / "beginner/pytorch_with_examples.rst", "\nEdited.\n")
                    seconds, cpu, _, count, _ = build(src, out, *opts)
                    record("narrative edited (s)", side, seconds)
                    record("narrative edited: examples executed", side, count)
                    seconds, cpu, _, count, _ = build(src, out / "zh_CN", *chinese_options(src),
                                                      *OPTIONS.get(side, []))
                    record("Chinese side after English (s)", side, seconds)
                    record("Chinese side: examples executed", side, count)
                shutil.rmtree(src)
            # After every run, so that an interrupted benchmark still reports.
            report(rows, run + 1)


if __name__ == "__main__":
    main()
