"""Captured output does not depend on the thread pools the build was given.

``example_runner`` pins every example's thread pools (OpenMP, MKL, OpenBLAS,
torch, TensorFlow) to one thread.  A second clean build, given another thread
count in its environment than the session's build and running one example at
a time, must print the very same numbers.  Unpinned, the session's build
would use one thread per core and the second one thread: on this 2-core
machine six pages' losses then differ from the 5th or 6th digit on.  (On a
1-core machine both counts are the same and the test cannot tell.)
"""

import os

from helpers import captured_output, soup
from sitebuild import copy_site, english_options, sphinx_build
from test_site import EXAMPLE_PAGES, TIMING_PAGES

THREAD_VARIABLES = [
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
]


def outputs(out):
    """Every example page's captured output, but for the pages of measured times."""
    return {
        page: captured_output(soup(out / f"{page}.html"))
        for page in EXAMPLE_PAGES
        if page not in TIMING_PAGES
    }


def test_other_thread_counts_give_identical_output(site, tmp_path):
    # One thread, unless the session's build was already given one.
    threads = "1" if os.environ.get("OMP_NUM_THREADS") != "1" else str((os.cpu_count() or 1) + 1)
    src = copy_site(tmp_path / "src")
    result = sphinx_build(
        src, src / "_build/html", *english_options(src), "-D", "example_runner_jobs=1",
        env=dict.fromkeys(THREAD_VARIABLES, threads),
    )
    assert result.returncode == 0, result.stderr
    ours, theirs = outputs(src / "_build/html"), outputs(site.out)
    assert len(ours) == len(EXAMPLE_PAGES) - len(TIMING_PAGES)
    assert all(ours.values()), ours
    assert ours == theirs
