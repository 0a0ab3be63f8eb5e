"""Every Python dependency is locked with hashes, and installed that way (issue 29).

The locks are written by tools/lock.py (``make lock``) from the
``requirements*.txt`` beside them; these tests read them offline: every pin
of an input is in its lock at the same version, every locked package has
hashes, and everything that installs (the Makefile, the workflows, CI)
installs the locks with ``--require-hashes``.
"""

from __future__ import annotations

import re
from pathlib import Path

import lock
import pytest

REPO = Path(__file__).resolve().parents[1]

#: Each input and the lock written from it.
LOCKS = {
    "requirements.txt": "requirements.lock",
    "requirements-torch.txt": "requirements-torch.lock",
    "requirements-torch-cuda.txt": "requirements-torch-cuda.lock",
    "requirements-check.txt": "requirements-check.lock",
    "requirements-test.txt": "requirements-test.lock",
    "requirements-workflow.txt": "requirements-workflow.lock",
}


def pins(path: Path) -> dict[str, set[str]]:
    """``name: {versions}`` pinned with == in a requirements file, following -r."""
    found: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            for name, versions in pins(path.parent / line[3:].strip()).items():
                found.setdefault(name, set()).update(versions)
        elif "==" in line:
            name, version = re.match(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line).groups()
            found.setdefault(name.lower().replace("_", "-"), set()).add(version)
    return found


def locked(path: Path) -> dict[str, list[tuple[str, int]]]:
    """``name: [(version, number of hashes)]`` of a lock file."""
    found: dict[str, list[tuple[str, int]]] = {}
    for entry in lock.entries(path.read_text(encoding="utf-8")):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", entry)
        assert match, f"{path.name}: an entry that is not name==version: {entry.splitlines()[0]}"
        name = match.group(1).lower().replace("_", "-")
        found.setdefault(name, []).append((match.group(2), entry.count("--hash=sha256:")))
    return found


@pytest.mark.parametrize(("source", "target"), LOCKS.items())
def test_every_pin_is_locked_at_its_version(source, target):
    wanted = pins(REPO / source)
    have = locked(REPO / target)
    for name, versions in wanted.items():
        assert name in have, f"{target} lacks {name}: run make lock"
        assert versions <= {v for v, _ in have[name]}, f"{target} locks {name} at {have[name]}, not {versions}"


@pytest.mark.parametrize("target", LOCKS.values())
def test_every_locked_package_has_hashes(target):
    for name, entries in locked(REPO / target).items():
        for version, hashes in entries:
            assert hashes >= 1, f"{target}: {name}=={version} has no hash"


def test_cpu_runners_get_torch_without_cuda():
    torch_lock = (REPO / "requirements-torch.lock").read_text(encoding="utf-8")
    assert f"--extra-index-url {lock.TORCH_CPU_INDEX}" in torch_lock.splitlines()
    entry = next(e for e in lock.entries(torch_lock) if "+cpu" in e.splitlines()[0])
    assert "sys_platform == 'linux'" in entry and "platform_machine == 'x86_64'" in entry
    # PyPI's torch for Linux on Arm brings CUDA libraries; none is installed on Linux x86_64.
    site_lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    for entry in lock.entries(site_lock):
        if entry.startswith("nvidia-"):
            marker = entry.splitlines()[0]
            assert "platform_machine != 'x86_64'" in marker or "platform_machine == 'aarch64'" in marker, marker
    cuda = locked(REPO / "requirements-torch-cuda.lock")
    assert any(name.startswith("nvidia-") for name in cuda) and "torch" in cuda


def test_the_published_build_has_no_test_tools():
    """The site's and make check's locks hold none of the tests' own tools."""
    published = set(locked(REPO / "requirements.lock")) | set(locked(REPO / "requirements-check.lock"))
    test_only = set(pins(REPO / "requirements-test.txt")) - set(pins(REPO / "requirements.txt")) - set(
        pins(REPO / "requirements-check.txt"))
    assert test_only, "requirements-test.txt names no tool of its own"
    assert not published & test_only, published & test_only


def test_shared_packages_have_one_version():
    """The locks are resolved with the site's as constraints: a package is at one version everywhere."""
    site = {name: {v for v, _ in entries} for name, entries in locked(REPO / "requirements.lock").items()}
    for target in ["requirements-check.lock", "requirements-test.lock", "requirements-workflow.lock"]:
        for name, entries in locked(REPO / target).items():
            if name in site:
                assert {v for v, _ in entries} <= site[name], f"{target}: {name} {entries} vs {site[name]}"


def test_make_installs_with_require_hashes():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    # Every install from an index is hashed; the one other is the project's
    # own extensions, from this folder and nowhere else (--no-index).
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    local = [line for line in installs if line.rstrip().endswith("--no-index -e .")]
    assert len(local) == 1, installs
    assert installs and all("--require-hashes" in line for line in installs if line not in local), installs
    for lock_file in ["requirements.lock", "$(TORCH_LOCK)", "requirements-check.lock", "requirements-test.lock"]:
        assert f"$(PIP_INSTALL) -r {lock_file}" in makefile, lock_file
