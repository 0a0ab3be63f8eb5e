"""What running an example yourself takes, read from its code and its provenance.

The pure part of ``run_yourself`` (no Sphinx application needed):

* :func:`third_party_imports` and :func:`requirements`: the packages an
  example imports, as distributions, pinned to the versions that produced
  its page (the example's provenance record for torch and TensorFlow, its
  gallery's ``environment.json`` for numpy and matplotlib);
* :func:`code_needs`: the oldest Python and PyTorch the code itself needs,
  from the features it uses (``NEEDS`` says where each version comes from);
* :func:`install_commands`, :func:`requirements_txt`, :func:`readme` and
  :func:`first_cell`: what a reader runs, in the build's language (messages of
  the ``sphinx`` catalog);
* :func:`strip_build_lines`: a script without the build's ignore blocks and
  configuration comments, the same program as its notebook.
"""

from __future__ import annotations

import ast
import functools
import json
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from string import Template

from sphinx.locale import get_translation
from sphinx_gallery.py_source_parser import remove_config_comments, remove_ignore_blocks

_ = get_translation("sphinx")

#: Where the CPU-only wheels of PyTorch come from: the command that PyTorch's
#: "Start Locally" page (https://pytorch.org/get-started/locally/) gives for
#: pip with Compute Platform "CPU" installs from this index.
CPU_INDEX = "https://download.pytorch.org/whl/cpu"

#: How readers know each package; the order is the order of install lines.
DISPLAY = {"torch": "PyTorch", "numpy": "numpy", "matplotlib": "matplotlib",
           "tensorflow": "TensorFlow"}
#: TensorFlow's CPU-only package on Linux x86_64, as in requirements.txt.
TF_CPU = "tensorflow-cpu"
TF_MARKERS = ('sys_platform == "linux" and platform_machine == "x86_64"',
              'sys_platform != "linux" or platform_machine != "x86_64"')


# -- What the code imports --------------------------------------------------------


def third_party_imports(source: str) -> set[str]:
    """Top-level names of the modules ``source`` imports that are not Python's own."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names}


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def distribution_of(module: str) -> str | None:
    """The project a top-level module belongs to (``tensorflow`` for ``tensorflow-cpu``)."""
    names = _distributions().get(module, [])
    if not names:
        return None
    name = names[0].lower().replace("_", "-")
    return "tensorflow" if name == TF_CPU else name


# -- The oldest versions the code needs ---------------------------------------------

#: (what, version, why): the features that set the oldest version an example
#: runs with.  Each version comes from the project's own record:
#:
#: * ``zip(..., strict=True)``: Python 3.10 (PEP 618, "Add Optional Length-Checking
#:   To zip", Python-Version 3.10);
#: * ``match``: Python 3.10 (PEP 634, structural pattern matching);
#: * ``torch.accelerator``: PyTorch 2.6.  The module came with pytorch/pytorch
#:   pull request #132204 ("Introduce a device-agnostic runtime API design",
#:   October 2024, with ``current_accelerator``, ``is_available`` and
#:   ``synchronize``); PyTorch 2.6 is the first release whose documentation has
#:   it (docs.pytorch.org/docs/2.6/_modules/torch/accelerator.html), and
#:   readers of pytorch/tutorials on PyTorch 2.5 got "module 'torch' has no
#:   attribute 'accelerator'" (pytorch/tutorials issue #3263, January 2025);
#: * ``torch.compile``: PyTorch 2.0 (its documentation: "torch.compile was
#:   introduced in PyTorch 2.0").
PYTHON, PYTORCH = "Python", "PyTorch"


def _attribute_chain(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _features(tree: ast.AST):
    """(product, version, feature) for each versioned feature in ``tree``."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "zip"
            and any(keyword.arg == "strict" for keyword in node.keywords)
        ):
            yield PYTHON, (3, 10), "zip(strict=True)"
        elif isinstance(node, ast.Match):
            yield PYTHON, (3, 10), "match"
        elif isinstance(node, ast.Attribute):
            chain = _attribute_chain(node) or ""
            if chain.startswith("torch.accelerator."):
                yield PYTORCH, (2, 6), "torch.accelerator"
            elif chain == "torch.compile":
                yield PYTORCH, (2, 0), "torch.compile"


@dataclass(frozen=True)
class Need:
    """The oldest version of ``product`` the code runs with, and the feature that says so."""

    product: str
    version: tuple[int, int]
    feature: str

    @property
    def text(self) -> str:
        return ".".join(map(str, self.version))


def code_needs(sources: list[str]) -> list[Need]:
    """For Python and PyTorch, the newest of the oldest versions the features need."""
    best: dict[str, Need] = {}
    for source in sources:
        for product, version, feature in _features(ast.parse(source)):
            if product not in best or version > best[product].version:
                best[product] = Need(product, version, feature)
    return [best[product] for product in (PYTHON, PYTORCH) if product in best]


# -- The pinned versions --------------------------------------------------------------


class ProvenanceError(ValueError):
    """A provenance file that cannot say which versions produced a page."""


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProvenanceError(f"{path.name} cannot be read ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise ProvenanceError(f"{path.name} holds no record")
    return data


def public_version(version: str) -> str:
    """``2.13.0`` for ``2.13.0+cpu``: the version pip pins (any local build matches it)."""
    return version.split("+", 1)[0]


def pinned_versions(record: Path, environment: Path, projects: list[str]) -> dict[str, str]:
    """``{project: version}`` that produced a page: torch and TensorFlow from the
    example's own provenance ``record``, the others from its gallery's ``environment``.
    """
    sources = {"torch": record, "tensorflow": record}
    pins = {}
    for project in projects:
        path = sources.get(project, environment)
        version = _read(path).get(project)
        if project not in sources and not version:
            # A package the gallery's fingerprint does not track (threadpoolctl):
            # the build's own, which the examples forked from the build ran with.
            try:
                version = metadata.version(project)
            except metadata.PackageNotFoundError:
                version = None
        if not isinstance(version, str) or not version:
            raise ProvenanceError(f"{path.name} names no {project} version")
        pins[project] = public_version(version)
    return pins


def requirements(sources: list[str]) -> tuple[list[str], list[str]]:
    """The projects the scripts import, in ``DISPLAY`` order, and modules of no known project."""
    projects, unknown = set(), []
    for module in sorted(set().union(*(third_party_imports(s) for s in sources))):
        project = distribution_of(module)
        if project is None:
            unknown.append(module)
        else:
            projects.add(project)
    order = list(DISPLAY)
    return sorted(projects, key=lambda p: (order.index(p) if p in order else len(order), p)), unknown


def python_needed_by(pins: dict[str, str]) -> str | None:
    """The newest ``Requires-Python`` lower bound of the installed pinned projects."""
    bounds = []
    for project in pins:
        for name in (project, TF_CPU) if project == "tensorflow" else (project,):
            try:
                spec = metadata.metadata(name).get("Requires-Python") or ""
            except metadata.PackageNotFoundError:
                continue
            for part in spec.split(","):
                part = part.strip()
                if part.startswith(">="):
                    bounds.append(tuple(int(x) for x in part[2:].split(".")[:2]))
            break
    return ".".join(map(str, max(bounds))) if bounds else None


# -- What a reader runs --------------------------------------------------------------


def _pip_line(pins: dict[str, str], tensorflow: str = "tensorflow") -> str:
    names = [(tensorflow if p == "tensorflow" else p) for p in pins]
    return "pip install " + " ".join(f"{n}=={v}" for n, v in zip(names, pins.values(), strict=True))


def install_commands(pins: dict[str, str]) -> list[tuple[str, str]]:
    """(label, command) for Linux without a GPU, Linux with an NVIDIA GPU, and macOS."""
    others = {p: v for p, v in pins.items() if p != "torch"}
    if "torch" in pins:
        cpu = f"pip install torch=={pins['torch']} --index-url {CPU_INDEX}"
        if others:
            cpu += "\n" + _pip_line(others, TF_CPU)
    else:
        cpu = _pip_line(others, TF_CPU)
    return [
        (_("Linux without a GPU (PyTorch's CPU-only wheels):"), cpu),
        (_("Linux with an NVIDIA GPU (PyTorch's CUDA wheels from PyPI):"), _pip_line(pins)),
        (_("macOS:"), _pip_line(pins)),
    ]


def requirements_txt(pins: dict[str, str]) -> str:
    """A pip requirements file pinning ``pins`` (TensorFlow's package chosen by platform)."""
    lines = [
        "# " + _("The versions that produced the pages of these examples."),
        "# " + _("Linux without a GPU: install PyTorch's CPU-only wheel first:"),
    ]
    if "torch" in pins:
        lines.append(f"#   pip install torch=={pins['torch']} --index-url {CPU_INDEX}")
    else:
        lines.pop()
    for project, version in pins.items():
        if project == "tensorflow":
            lines.append(f"{TF_CPU}=={version}; {TF_MARKERS[0]}")
            lines.append(f"tensorflow=={version}; {TF_MARKERS[1]}")
        else:
            lines.append(f"{project}=={version}")
    return "\n".join(lines) + "\n"


def readme(title: str, pins: dict[str, str], needs: list[Need], python: str | None,
           files: list[str]) -> str:
    """The README of a download-all zip: what to install and how to run its files."""
    lines = [f"# {title}", "", _("How to run these examples on your own machine."), ""]
    lines += [_("1. Make a virtual environment and activate it:"), "",
              "       python3 -m venv .venv", "       source .venv/bin/activate", ""]
    if python:
        lines += ["   " + _("The pinned versions need Python {version} or newer.").format(
            version=python), ""]
    for need in needs:
        lines += ["   " + need_sentence(need), ""]
    lines += [_("2. Install the pinned versions (requirements.txt), for your machine:"), ""]
    for label, command in install_commands(pins):
        # PyTorch's CPU-only wheel first where the label asks for it, then the file.
        first = command.split("\n")[0]
        steps = [first] if "--index-url" in first else []
        lines += [f"   {label}", ""]
        lines += [f"       {line}" for line in [*steps, "pip install -r requirements.txt"]]
        lines.append("")
    notebooks = [name for name in files if name.endswith(".ipynb")]
    if notebooks:
        lines += [_("3. Open a notebook in Jupyter (its first cell checks the versions):"), "",
                  "       pip install jupyterlab", f"       jupyter lab {notebooks[0]}", ""]
    else:
        lines += [_("3. Run a script:"), "", f"       python {files[0]}", ""]
    return "\n".join(lines)


def listing(names: list[str]) -> str:
    """``names`` joined as the build's language lists them."""
    return _(", ").join(names)


def need_sentence(need: Need) -> str:
    return _("The code needs {product} {version} or newer: it uses {feature}.").format(
        product=need.product, version=need.text, feature=need.feature)


_CELL = Template('''\
# $intro
# $noop
import importlib.metadata
import platform
import shutil
import subprocess
import sys

PINNED = $pinned


def installed(name):
    # $installed
    for dist in ("tensorflow", "tensorflow-cpu") if name == "tensorflow" else (name,):
        try:
            return importlib.metadata.version(dist).split("+")[0]
        except importlib.metadata.PackageNotFoundError:
            pass
    return None


before = {name: installed(name) for name in PINNED}
wanted = [name for name, version in PINNED.items() if before[name] != version]
# $wheels
gpu = shutil.which("nvidia-smi") is not None
cpu_linux = platform.system() == "Linux" and not gpu
for name in wanted:
    dist = "tensorflow-cpu" if name == "tensorflow" and cpu_linux and platform.machine() == "x86_64" else name
    command = [sys.executable, "-m", "pip", "install", "-q", f"{dist}=={PINNED[name]}"]
    if name == "torch" and cpu_linux:
        command += ["--index-url", "$cpu_index"]
    subprocess.run(command, check=True)
# $driver
if gpu and "torch" in wanted:
    check = "import sys, torch; sys.exit(not torch.cuda.is_available())"
    if subprocess.run([sys.executable, "-c", check]).returncode != 0:
        if before["torch"]:
            print($old_driver)
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"torch=={before['torch']}"], check=True)
        else:
            print($no_cuda)
# $restart
if any(name in sys.modules for name in wanted):
    print($restart_line)''')


def _literal(text: str, f: bool = False) -> str:
    """``text`` as a double-quoted Python string (an f-string when ``f``)."""
    return ("f" if f else "") + json.dumps(str(text), ensure_ascii=False)


def first_cell(pins: dict[str, str]) -> str:
    """The notebook's first code cell: installs ``pins`` unless they are there already."""
    return _CELL.substitute(
        intro=_("Install this notebook's packages at the versions that produced its page."),
        noop=_("When those versions are installed already, this cell changes nothing."),
        pinned=repr(pins),
        installed=_("The installed version, without a local build label such as +cpu."),
        wheels=_("Linux without an NVIDIA GPU gets PyTorch's CPU-only wheels; "
                 "with one, PyPI's CUDA wheels."),
        cpu_index=CPU_INDEX,
        driver=_("A GPU whose driver is too old for this PyTorch's CUDA build: "
                 "say so, and keep the PyTorch that was here."),
        old_driver=_literal(_("PyTorch {pinned} cannot use this GPU (its driver is too old for "
                     "that CUDA build): PyTorch {before}, already installed here, "
                     "runs instead.").format(
            pinned="{PINNED['torch']}", before="{before['torch']}"), f=True),
        no_cuda=_literal(_("PyTorch {pinned} cannot use this GPU (its driver is too old for "
                  "that CUDA build): it runs on the CPU; install a PyTorch built for "
                  "this driver's CUDA version to use the GPU.").format(
            pinned="{PINNED['torch']}"), f=True),
        restart=_("A package that was already imported changed: restart the kernel."),
        restart_line=_literal(_("Restart the kernel (in Colab: Runtime, Restart "
                                "session), then run the notebook again.")),
    )


def strip_build_lines(source: str) -> str:
    """``source`` without sphinx-gallery's ignore blocks and configuration comments."""
    return remove_config_comments(remove_ignore_blocks(source))
