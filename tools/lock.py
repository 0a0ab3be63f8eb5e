"""Write the lock files: every Python package, direct and transitive, pinned with hashes.

    python tools/lock.py                      # make lock
    python tools/lock.py --find-links DIR     # also look for wheels in DIR

Each ``requirements*.txt`` names what one use needs, pinned with ``==``; this
tool resolves them with uv (``uv pip compile --universal --generate-hashes``)
into the ``.lock`` files that ``make``, the workflows and CI install with
``pip install --require-hashes``:

=============================  ==========================================
``requirements.lock``          building the site (``make html``), but torch
``requirements-torch.lock``    torch: the CPU-only build on Linux x86_64
                               (PyTorch's index), PyPI's elsewhere
``requirements-torch-cuda.lock``  torch with its CUDA libraries, for a GPU
                               build runner (Linux x86_64)
``requirements-check.lock``    ``make check`` (linkchecker)
``requirements-test.lock``     the tests' tools
``requirements-workflow.lock`` the workflow's lint job
=============================  ==========================================

The site's and torch's requirements are resolved together, once, so they
agree; every other lock is resolved with the site's as constraints, so a
package shared by two locks has one version.  The locks are universal: one
file serves Linux, macOS and Windows, for Python 3.11 and newer, each line
with the hashes of every file of its release (a wheel a lock does not list
fails ``--require-hashes`` loudly).  Run ``make lock`` after editing a
``requirements*.txt``; the scheduled upgrade check runs it with ``--upgrade``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: PyTorch's index of CPU-only wheels (pytorch.org's "Get Started" page gives
#: it for Linux, "Compute Platform: CPU").
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PYTHON = "3.11"


def uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).exists():
        raise SystemExit("make lock needs uv: it is in requirements-test.txt (make .venv/.test-installed)")
    return found


def compile_lock(inputs, output, *, constraints=(), platform=None, links=(), torch_index=None, upgrade=False):
    """``uv pip compile`` ``inputs`` into ``output``, hashed: universal, or for one ``platform``."""
    command = [
        uv(), "pip", "compile", *map(str, inputs), "-o", str(output),
        *(["--python-platform", platform] if platform else ["--universal"]),
        "--python-version", PYTHON, "--generate-hashes",
        "--no-header", "--quiet",
        # torch's CPU index holds other packages too; PyPI's release of
        # those is the one every other lock names.
        "--index-strategy", "unsafe-best-match",
    ]
    for constraint in constraints:
        command += ["-c", str(constraint)]
    for link in links:
        command += ["--find-links", str(link)]
    if torch_index:
        command += ["--extra-index-url", torch_index]
    if upgrade:
        command.append("--upgrade")
    subprocess.run(command, check=True, cwd=REPO, env={**os.environ, "UV_NO_CONFIG": "1"})


def entries(text: str) -> list[str]:
    """The lock's entries: a ``name==version`` line with its hash and comment lines."""
    found, current = [], []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith(("#", "-")):
            if current:
                found.append("\n".join(current))
            current = [line]
        elif current:
            current.append(line)
    if current:
        found.append("\n".join(current))
    return found


def name_of(entry: str) -> str:
    return re.split(r"[=<>!~ ;@]", entry, maxsplit=1)[0].lower()


def header(purpose: str, *options: str) -> str:
    lines = [
        f"# {purpose}",
        "# Written by tools/lock.py (make lock) from the requirements*.txt beside it: do not edit.",
        *options,
    ]
    return "\n".join(lines) + "\n"


def write(path: Path, head: str, body: list[str]) -> None:
    path.write_text(head + "\n".join(body) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--find-links", action="append", default=[], metavar="DIR",
                        help="a folder of wheels to consider too (e.g. a machine's torch)")
    parser.add_argument("--no-torch-index", action="store_true",
                        help="do not ask PyTorch's index (a machine that cannot reach it; "
                        "then --find-links must hold the CPU-only torch wheel)")
    parser.add_argument("--upgrade", action="store_true",
                        help="the newest release of every package, the == pins of "
                        "requirements*.txt aside (the scheduled upgrade check)")
    parser.add_argument("--out", type=Path, default=REPO, help="where to write the locks")
    args = parser.parse_args(argv)
    out = args.out
    torch_index = None if args.no_torch_index else TORCH_CPU_INDEX
    common = {"links": args.find_links, "upgrade": args.upgrade}

    with tempfile.TemporaryDirectory() as tmp:
        both = Path(tmp, "site.lock")
        compile_lock([REPO / "requirements.txt", REPO / "requirements-torch.txt"], both,
                     torch_index=torch_index, **common)
        site, torch = [], []
        for entry in entries(both.read_text(encoding="utf-8")):
            (torch if name_of(entry) == "torch" else site).append(entry)
    write(out / "requirements.lock", header("Building the site, torch aside (requirements-torch.lock)."), site)
    write(out / "requirements-torch.lock", header(
        "torch: CPU-only on Linux x86_64, from PyTorch's index; PyPI's elsewhere.",
        f"--extra-index-url {TORCH_CPU_INDEX}",
    ), torch)

    site_lock = out / "requirements.lock"
    # PyPI's torch for Linux x86_64 is its CUDA build; no --find-links, where
    # a CPU-only wheel of the same version would match too.
    compile_lock([REPO / "requirements-torch-cuda.txt"], out / "requirements-torch-cuda.lock",
                 constraints=[site_lock], platform="x86_64-manylinux_2_28", upgrade=args.upgrade)
    compile_lock([REPO / "requirements-check.txt"], out / "requirements-check.lock",
                 constraints=[site_lock], **common)
    compile_lock([REPO / "requirements-test.txt"], out / "requirements-test.lock",
                 constraints=[site_lock, out / "requirements-check.lock"], **common)
    compile_lock([REPO / "requirements-workflow.txt"], out / "requirements-workflow.lock",
                 constraints=[site_lock], **common)
    for name, purpose in [
        ("requirements-torch-cuda.lock", "torch with its CUDA libraries, for a GPU build runner (Linux x86_64)."),
        ("requirements-check.lock", "make check (linkchecker), on top of requirements.lock."),
        ("requirements-test.lock", "The tests' tools, on top of the site's locks."),
        ("requirements-workflow.lock", "The workflow's lint job (actionlint, zizmor)."),
    ]:
        path = out / name
        path.write_text(header(purpose) + path.read_text(encoding="utf-8"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
