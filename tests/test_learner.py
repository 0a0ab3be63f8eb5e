"""Proof as a learner: the site's downloads run in a fresh environment of their own.

A virtual environment made with ``venv`` holds only what the download-all
zips' ``requirements.txt`` say (and ``ipykernel``, to run notebooks, as the
zips' README has the reader install Jupyter). In it, outside the build's
environment, every English script and notebook runs, the notebooks with their
install cell; on the Chinese side, one script and one notebook per gallery.
"""

import json
import os
import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from helpers import downloaded, soup
from nbclient import NotebookClient
from test_site import EXAMPLES, last_line

pytestmark = pytest.mark.learner

KERNEL = "learner"


def _zips(site, language, group):
    """The gallery's download-all zips, unpacked: {".py": folder, ".ipynb": folder}."""
    index = site.out / language / "beginner" / group / "index.html"
    found = {}
    for link in soup(index).select("div.sphx-glr-download a.download"):
        archive = index.parent / link["href"]
        suffix = ".ipynb" if archive.name.endswith("_jupyter.zip") else ".py"
        found[suffix] = archive
    return found


@pytest.fixture(scope="session")
def learner(site, tmp_path_factory):
    """(python, folders): the learner's environment and every gallery's unpacked zips."""
    root = tmp_path_factory.mktemp("learner")
    folders = {}
    requirements = []
    for language in ("", "zh_CN"):
        for group in EXAMPLES:
            for suffix, archive in _zips(site, language, group).items():
                folder = root / (language or "en") / group / suffix.lstrip(".")
                with zipfile.ZipFile(archive) as opened:
                    opened.extractall(folder)
                folders[language or "en", group, suffix] = folder
                if not language:
                    requirements += ["-r", str(folder / "requirements.txt")]
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", *requirements,
                    f"ipykernel=={metadata.version('ipykernel')}"], check=True, timeout=1800)
    # A kernel that runs in the learner's environment, not the build's.
    kernels = root / "jupyter" / "kernels" / KERNEL
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": KERNEL, "language": "python"}))
    return python, folders, root / "jupyter"


def _environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "MPLBACKEND": "agg", "TF_CPP_MIN_LOG_LEVEL": "3"}


def _run_script(python, script, cwd):
    result = subprocess.run([python, script], cwd=cwd, capture_output=True, text=True,
                            env=_environment(), timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _run_notebook(path, cwd, jupyter, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    # Figures show inline, as in Jupyter and Colab (the kernel's own default).
    monkeypatch.delenv("MPLBACKEND", raising=False)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name=KERNEL,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    first = notebook.cells[0]
    assert first.cell_type == "code" and "PINNED = " in first.source
    # The versions match: the install cell printed nothing and installed nothing.
    assert first.outputs == [], first.outputs
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    # The figure is drawn in the notebook, as on the page.
    assert any("image/png" in output.get("data", {}) for output in outputs), path
    return "".join(output.get("text", "") for output in outputs if output.output_type == "stream")


def test_environment_is_the_learners_own(learner):
    python, _, _ = learner
    prefix = subprocess.run([python, "-c", "import sys; print(sys.prefix)"], capture_output=True,
                            text=True, check=True).stdout.strip()
    assert Path(prefix) != Path(sys.prefix)
    # Only the pins and what they depend on: none of the build's own tools.
    missing = subprocess.run([python, "-c", "import sphinx"], capture_output=True, check=False)
    assert missing.returncode != 0


@pytest.mark.parametrize("group,name", [(g, n) for g, names in EXAMPLES.items() for n in names])
def test_english_script_runs(learner, group, name, tmp_path):
    python, folders, _ = learner
    out = _run_script(python, folders["en", group, ".py"] / f"{name}.py", tmp_path)
    assert last_line(f"{group}/{name}") in out


@pytest.mark.parametrize("group,name", [(g, n) for g, names in EXAMPLES.items() for n in names])
def test_english_notebook_runs_with_its_install_cell(learner, group, name, tmp_path,
                                                     monkeypatch):
    _, folders, jupyter = learner
    out = _run_notebook(folders["en", group, ".ipynb"] / f"{name}.ipynb", tmp_path, jupyter,
                        monkeypatch)
    assert last_line(f"{group}/{name}") in out


@pytest.mark.parametrize("group", list(EXAMPLES))
def test_chinese_script_and_notebook_run(learner, group, tmp_path, monkeypatch):
    python, folders, jupyter = learner
    # The first example's script, the last one's notebook.
    first, last = EXAMPLES[group][0], EXAMPLES[group][-1]
    assert last_line(f"{group}/{first}") in _run_script(
        python, folders["zh_CN", group, ".py"] / f"{first}.py", tmp_path)
    assert last_line(f"{group}/{last}") in _run_notebook(
        folders["zh_CN", group, ".ipynb"] / f"{last}.ipynb", tmp_path, jupyter, monkeypatch)


def test_install_cell_says_when_the_gpu_cannot_be_used(site, tmp_path):
    """On a machine with an NVIDIA driver that the pinned PyTorch cannot use, the
    install cell says so in one line, naming the version; it never goes quiet
    about running on the CPU.  This machine has no GPU: a stand-in
    ``nvidia-smi`` makes the cell take the GPU branch, and the torch it
    installs (this machine's local wheel, a CPU build) cannot use any GPU."""
    page = "beginner/examples_nn/two_layer_net_nn"
    notebook = nbformat.read(downloaded(site, page, ".ipynb"), as_version=4)
    cell = tmp_path / "cell.py"
    cell.write_text(notebook.cells[0].source)
    pinned = notebook.cells[0].source.split("PINNED = ", 1)[1].split("\n", 1)[0]
    torch = eval(pinned)["torch"]  # noqa: S307 - a dict literal the build wrote
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "nvidia-smi"
    fake.write_text("#!/bin/sh\necho 'GPU 0: a stand-in'\n")
    fake.chmod(0o755)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    environment = _environment()
    environment["PATH"] = f"{bin_dir}{os.pathsep}{environment['PATH']}"
    result = subprocess.run([env_dir / "bin" / "python", cell], capture_output=True, text=True,
                            env=environment, timeout=1800, check=False)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"PyTorch {torch} cannot use this GPU"), line
    assert "runs on the CPU" in line
