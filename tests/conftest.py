"""Shared pytest set-up: sphinx.testing's fixtures and the tests/roots folder."""

import re
import sys
from pathlib import Path

import pytest

# conf.py puts sphinxext/ on sys.path; the test roots are copied to a
# temporary folder, so they cannot find it relative to themselves.
sys.path.insert(0, str(Path(__file__).parents[1] / "sphinxext"))

pytest_plugins = ("sphinx.testing.fixtures",)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


@pytest.fixture
def warnings_of():
    """A function giving the lines of a build's warning stream, without colour."""

    def read(app) -> list[str]:
        return _ANSI.sub("", app.warning.getvalue()).splitlines()

    return read


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once per session from a copy of the sources."""
    from sitebuild import build_full_site

    return build_full_site(tmp_path_factory)
