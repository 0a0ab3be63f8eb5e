"""Benchmark our build against a plain sphinx-gallery build of the same examples.

Usage: ``make bench`` (or ``.venv/bin/python tools/bench.py --runs 3``).

Everything is measured in one run, on this machine, so that only the ratios
ours/plain are compared: these machines are shared and noisy.  Each figure is
the median of ``--runs`` runs, with the min-max range.

* plain: a minimal site of the same three galleries under a plain
  sphinx-gallery configuration (examples executed inside the Sphinx process).
* ours: the real site (English; the Chinese side is measured separately).

Peak memory is the largest total proportional set size (PSS) of the build's
whole process tree, sampled every 20 ms, so forked children that share pages
with their parent are not counted twice.
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from sitebuild import SPHINXOPTS, chinese_options, copy_site, english_options  # noqa: E402

PLAIN_CONF = '''
project = "plain sphinx-gallery"
extensions = ["sphinx_gallery.gen_gallery"]
exclude_patterns = ["_build", "beginner_source"]
html_theme = "sphinx_rtd_theme"
sphinx_gallery_conf = {
    "examples_dirs": ["beginner_source/examples_tensor", "beginner_source/examples_autograd",
                      "beginner_source/examples_nn"],
    "gallery_dirs": ["beginner/examples_tensor", "beginner/examples_autograd",
                     "beginner/examples_nn"],
    "filename_pattern": r"\\.py$",
}
'''
PLAIN_INDEX = """Plain
=====

.. toctree::

   beginner/examples_tensor/index
   beginner/examples_autograd/index
   beginner/examples_nn/index
"""


def plain_site(dest):
    dest.mkdir(parents=True)
    shutil.copytree(REPO / "beginner_source", dest / "beginner_source")
    (dest / "conf.py").write_text(PLAIN_CONF)
    (dest / "index.rst").write_text(PLAIN_INDEX)
    return dest


def pss_of_tree(process):
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def build(src, out, *options):
    """Run sphinx-build; return (seconds, peak PSS in MB, executed count, output)."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", *SPHINXOPTS, *options,
               str(src), str(out)]
    start = time.perf_counter()
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
    done.set()
    sampler.join()
    if process.returncode:
        sys.exit(f"build failed: {' '.join(command)}\n{output}")
    return elapsed, peak / 2**20, executed(output), output


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = {}

    def record(name, side, value):
        rows.setdefault(name, {}).setdefault(side, []).append(value)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs} ...", flush=True)
            sites = {
                "plain": plain_site(tmp / f"plain{run}"),
                "ours": copy_site(tmp / f"ours{run}"),
            }
            for side, src in sites.items():
                out = src / "_build/html"
                opts = english_options(src)
                seconds, peak, count, _ = build(src, out, *opts)
                record("clean full build (s)", side, seconds)
                record("clean full build peak memory (MB)", side, peak)
                record("clean full build: examples executed", side, count)
                seconds, _, count, _ = build(src, out, *opts)
                record("no-op rebuild (s)", side, seconds)
                touch(src / "beginner_source/examples_nn/two_layer_net_nn.py", "\n# edited\n")
                seconds, _, count, _ = build(src, out, *opts)
                record("one example edited (s)", side, seconds)
                record("one example edited: examples executed", side, count)
                if side == "ours":
                    touch(src / "beginner/pytorch_with_examples.rst", "\nEdited.\n")
                    seconds, _, count, _ = build(src, out, *opts)
                    record("narrative edited (s)", side, seconds)
                    record("narrative edited: examples executed", side, count)
                    seconds, peak, count, _ = build(src, out / "zh_CN", *chinese_options(src))
                    record("Chinese side after English (s)", side, seconds)
                    record("Chinese side: examples executed", side, count)
                shutil.rmtree(src)

    print(f"\n{'measure':42} {'ours':>26} {'plain':>26}  ours/plain")
    for name, sides in rows.items():
        ours, plain = sides.get("ours"), sides.get("plain")
        unit = "" if "executed" in name else ("MB" if "MB" in name else "s")
        ratio = ""
        if ours and plain and "executed" not in name and statistics.median(plain):
            ratio = f"{statistics.median(ours) / statistics.median(plain):.2f}x"
        print(f"{name:42} {fmt(ours, unit) if ours else '-':>26} "
              f"{fmt(plain, unit) if plain else '-':>26}  {ratio}")


if __name__ == "__main__":
    main()
