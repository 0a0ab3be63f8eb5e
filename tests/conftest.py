"""Shared pytest set-up: sphinx.testing's fixtures, the tests/roots folder,
the markers of the slow tests, and the one full-site build of a session.

Markers (``make test-fast`` deselects all seven; ``make test-machines`` runs the
last three, ``make test`` all others):

* ``site``: needs the full site built like ``make html`` (given to every test
  that uses the ``site`` fixture);
* ``browser``: drives the built site in Chromium;
* ``notebooks``: executes the downloaded notebooks;
* ``rebuilds``: builds a small test root many times in a row (the incremental
  builds' reproductions and their randomised test), or checks a whole tree;
* ``system``: runs the project's own make targets on a minimal Debian
  (``minimal_debian``, made once per session with debootstrap; needs root);
* ``learner``: runs the site's downloads in a fresh virtual environment that
  holds only what their ``requirements.txt`` pins (tests/test_learner.py);
* ``upgrade``: runs tools/upgrade_check.py for a real torch upgrade (a new
  environment and two full builds).

The full site is built once per run, in the background from the moment the
tests are collected, and the tests that do not need it run first.  ``pytest
--site DIR`` keeps that build in ``DIR`` and reuses it in the next session
that names the same ``DIR`` (delete it to build afresh): an inner loop for
tests that only read the built site, and how ``.ci/run`` gives ``make test``
and ``make test-machines`` one build.
"""

import json
import shutil
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

MARKERS = {
    "site": "needs the full site, built once per session like `make html` (minutes)",
    "browser": "drives the built site in Chromium (Debian's chromium package)",
    "notebooks": "executes the example notebooks in a Jupyter kernel",
    "rebuilds": "builds a test root many times in a row, or checks a whole tree (minutes)",
    "system": "runs make on a minimal Debian made with debootstrap (root; minutes)",
    "learner": "runs the downloads in a fresh virtual environment of their own (minutes)",
    "upgrade": "runs tools/upgrade_check.py for a real torch upgrade: a new environment, full builds (minutes)",
}


def pytest_addoption(parser):
    parser.addoption(
        "--site",
        metavar="DIR",
        help="build the full site into DIR once and reuse that build in later sessions",
    )


def pytest_configure(config):
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")


def _needs_site(item) -> bool:
    """Whether ``item`` uses this file's ``site`` (a module may have a ``site`` of its own)."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.get("site", ()) if info else ()
    return bool(definitions) and definitions[-1].func.__module__ == __name__


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if _needs_site(item):
            item.add_marker(pytest.mark.site)
        if "chromium" in fixtures or "playwright_session" in fixtures:
            item.add_marker(pytest.mark.browser)
    items[:] = _in_running_order(items)


def _in_running_order(items: list) -> list:
    """Whole modules, in the order that keeps two pytest-xdist workers busy.

    ``make test`` hands out whole modules (``--dist loadfile``, in this
    order), so a worker makes a module's fixtures once.  First the modules
    that rebuild test roots many times (the longest), then the others that
    do not read the full site, which run while it builds; then the modules
    that read it, those that drive the browser (the longest of them) first.
    """
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)

    def marked(module, name):
        return any(item.get_closest_marker(name) for item in module)

    def rank(module):
        if not any(_needs_site(item) for item in module):
            return 0 if marked(module, "rebuilds") else 1
        return 2 if marked(module, "browser") else 3

    return [item for module in sorted(modules.values(), key=rank) for item in module]


def pytest_collection_finish(session):
    """Start the full site's build the selected tests need, now, in the background.

    The ``site`` fixture waits for it (a file lock), so the tests that need
    none run meanwhile.  Under pytest-xdist each worker starts it and the lock
    lets only the first build.
    """
    import threading

    if any(_needs_site(item) for item in session.items):
        folder = _site_folder(session.config)
        threading.Thread(target=_build_once, args=(folder,), name="site", daemon=True).start()


def _run_folder(config) -> Path:
    """A folder of this run that all its pytest-xdist workers share."""
    base = config._tmp_path_factory.getbasetemp()  # noqa: SLF001 - the tmp_path_factory fixture's own
    return base.parent if hasattr(config, "workerinput") else base


def _site_folder(config) -> Path:
    """Where this run's full build goes: ``--site DIR``, or the run's temporary folder."""
    keep = config.getoption("--site")
    return Path(keep).resolve() if keep else _run_folder(config) / "site"


@pytest.fixture(scope="session")
def run_folder(request) -> Path:
    """A folder every pytest-xdist worker of this run shares, for work done once per run."""
    return _run_folder(request.config)


@pytest.fixture(scope="session")
def playwright_session():
    """Playwright's sync API, started once: it allows one instance per thread,
    so every browser test module of the session shares this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


@pytest.fixture
def warnings_of():
    """A function giving the lines of a build's warning stream, without colour."""
    from helpers import strip_ansi

    def read(app) -> list[str]:
        return strip_ansi(app.warning.getvalue()).splitlines()

    return read


@pytest.fixture(scope="session")
def site(request):
    """The whole site, built once per run from a copy of the sources, like ``make html``.

    One build serves every pytest-xdist worker of the run (started when the
    tests are collected; see ``pytest_collection_finish``), or, with
    ``--site DIR``, every session that names ``DIR``.
    """
    from sitebuild import Site

    src, (english, chinese) = _build_once(_site_folder(request.config))
    return Site(src, src / "_build" / "html", english, chinese)


def _build_once(folder: Path):
    """``(sources, results)`` of the site's build in ``folder``, building it unless recorded there."""
    import subprocess

    from filelock import FileLock
    from sitebuild import chinese_options, copy_site, english_options, sphinx_build

    record = folder / "builds.json"
    src = folder / "src"
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / "build.lock"):
        if not record.exists():
            shutil.rmtree(src, ignore_errors=True)  # a build cut off before its record
            copy_site(src)
            out = src / "_build" / "html"
            results = [
                sphinx_build(src, out, *english_options(src)),
                sphinx_build(src, out / "zh_CN", *chinese_options(src)),
            ]
            record.write_text(json.dumps([
                {"args": r.args, "returncode": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
                for r in results
            ]))
    return src, [subprocess.CompletedProcess(**kept) for kept in json.loads(record.read_text())]


@pytest.fixture(scope="session")
def minimal_debian(tmp_path_factory):
    """A minimal Debian (tools/minimal_debian.py), made once per session: needs root."""
    import os

    import minimal_debian as debian

    if os.geteuid() != 0:
        pytest.fail("the system tests make a minimal Debian with debootstrap and chroot: run them as root "
                    "(CI does); on a laptop, `make test-fast` and the other tests run without root")
    root = tmp_path_factory.mktemp("debian") / "root"
    debian.create(root)
    return root

