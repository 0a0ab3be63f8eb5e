"""The sources pass the project's linters: ruff for Python, sphinx-lint for reST."""

import subprocess
import sys

from sitebuild import REPO


def run(*command):
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff():
    result = run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_sphinx_lint():
    result = run(sys.executable, "-m", "sphinxlint", "index.rst", "beginner/pytorch_with_examples.rst",
                 "beginner_source")
    assert result.returncode == 0, result.stdout + result.stderr
