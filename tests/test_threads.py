"""Captured output does not depend on the thread pools the build was given.

``example_runner`` pins every example's thread pools (OpenMP, MKL, OpenBLAS,
torch, TensorFlow) to one thread.  A second clean build, given another thread
count in its environment than the session's build and running one example at
a time (the ``second_clean_build`` of conftest.py, which test_builds shares),
must print the very same numbers.  Unpinned, the session's build
would use one thread per core and the second one thread: on this 2-core
machine six pages' losses then differ from the 5th or 6th digit on.  (On a
1-core machine both counts are the same and the test cannot tell.)
"""

from helpers import captured_output, soup
from test_site import EXAMPLE_PAGES, TIMING_PAGES


def outputs(out):
    """Every example page's captured output, but for the pages of measured times."""
    return {
        page: captured_output(soup(out / f"{page}.html"))
        for page in EXAMPLE_PAGES
        if page not in TIMING_PAGES
    }


def test_other_thread_counts_give_identical_output(site, second_clean_build):
    src, result = second_clean_build
    assert result.returncode == 0, result.stderr
    ours, theirs = outputs(src / "_build/html"), outputs(site.out)
    assert len(ours) == len(EXAMPLE_PAGES) - len(TIMING_PAGES)
    assert all(ours.values()), ours
    assert ours == theirs
