"""Run it yourself: the block, the pinned downloads, the Colab link and its branch."""

import ast
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from helpers import downloaded, soup
from sitebuild import sphinx_build
from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from test_site import EXAMPLE_PAGES, EXAMPLES, example_ids

ROOT = Path(__file__).parent / "roots" / "test-run-yourself"
REPO = Path(__file__).parents[1]
SPHINXEXT = REPO / "sphinxext"
PUBLISH = REPO / "tools" / "publish_notebooks.py"
PAGE = "beginner/examples_demo/example"
COLAB = "https://colab.research.google.com/github/octo/site/blob/notebooks/"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _build(src, out, *options):
    result = sphinx_build(src, out, *options)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The test root built like the site: English (executing), then Chinese."""
    src = tmp_path_factory.mktemp("run-yourself") / "src"
    shutil.copytree(ROOT, src)
    shutil.copy(REPO / "locales/zh_CN/LC_MESSAGES/sphinx.po",
                src / "locales/zh_CN/LC_MESSAGES/sphinx.po")
    out = src / "_build" / "html"
    repo = ("-D", "run_yourself_repository=octo/site")
    _build(src, out, "-d", str(src / "_build/doctrees"), *repo)
    _build(src, out / "zh_CN", "-D", "language=zh_CN", "-d", str(src / "_build/doctrees-zh"),
           *repo)
    return type("Demo", (), {"src": src, "out": out})


def _pins(src):
    folder = src / "beginner/examples_demo"
    record = json.loads((folder / "example.provenance.json").read_text())
    environment = json.loads((folder / "environment.json").read_text())
    return {"numpy": environment["numpy"].split("+")[0]}, record, environment


def test_example_page_says_what_to_install_and_what_ran(demo):
    pins, _, environment = _pins(demo.src)
    html = soup(demo.out / f"{PAGE}.html")
    (box,) = html.select("div.run-yourself")
    # Above the download buttons.
    assert box.find_next("div", class_="sphx-glr-footer") is not None
    text = box.get_text(" ")
    assert "This example needs numpy." in text
    assert f"This output was produced with numpy {pins['numpy']}." in text
    assert "The code needs Python 3.10 or newer: it uses zip(strict=True)." in text
    # numpy's own Requires-Python, read from its installed metadata.
    assert f"need Python {metadata.metadata('numpy')['Requires-Python'][2:]}" in text
    commands = [pre.get_text().strip() for pre in box.select("pre")]
    assert commands == [f"pip install numpy=={pins['numpy']}"] * 3
    assert environment["numpy"].startswith(pins["numpy"])
    (colab,) = box.select("a.run-yourself-colab")
    assert colab["href"] == f"{COLAB}en/{PAGE}.ipynb"
    assert colab.get_text() == "Open in Colab"


def test_index_block_covers_every_example(demo):
    (box,) = soup(demo.out / "index.html").select("div.run-yourself")
    assert "The examples need numpy." in box.get_text(" ")
    assert not box.select("a.run-yourself-colab")


def test_chinese_page_links_its_own_notebook(demo):
    (box,) = soup(demo.out / "zh_CN" / f"{PAGE}.html").select("div.run-yourself")
    assert box.select_one("p.rubric").get_text() == "自己动手运行"
    (colab,) = box.select("a.run-yourself-colab")
    assert colab["href"] == f"{COLAB}zh_CN/{PAGE}.ipynb"
    assert colab.get_text() == "在 Colab 中打开"


@pytest.mark.parametrize("language", ["", "zh_CN/"])
def test_script_is_the_notebooks_program_without_the_builds_lines(demo, language):
    class Site:
        out = demo.out

    script = downloaded(Site, f"{language}{PAGE}", ".py")
    text = script.read_text(encoding="utf-8")
    assert "sphinx_gallery" not in text and "BUILD_ONLY" not in text
    notebook = nbformat.read(downloaded(Site, f"{language}{PAGE}", ".ipynb"), as_version=4)
    first, *rest = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert notebook.cells[0] is first
    _, blocks = split_code_and_text_blocks(script)
    assert [cell.source for cell in rest] == [b.content.strip() for b in blocks if b.type == "code"]
    pins, _, _ = _pins(demo.src)
    assert f"PINNED = {pins!r}" in first.source
    comments = [line for line in first.source.splitlines() if line.lstrip().startswith("#")]
    if language:
        assert all(any("\u4e00" <= c <= "\u9fff" for c in line) for line in comments), comments
    else:
        assert comments[0] == (
            "# Install this notebook's packages at the versions that produced its page.")


@pytest.mark.parametrize("language", ["", "zh_CN/"])
def test_download_all_zips_carry_requirements_and_readme(demo, language):
    pins, _, _ = _pins(demo.src)
    index = demo.out / f"{language}beginner/examples_demo/index.html"
    hrefs = [a["href"] for a in soup(index).select("div.sphx-glr-download a.download")]
    assert len(hrefs) == 2
    for href in hrefs:
        with zipfile.ZipFile(index.parent / href) as archive:
            names = sorted(archive.namelist())
            assert "requirements.txt" in names and "README.md" in names, names
            requirements = archive.read("requirements.txt").decode()
            readme = archive.read("README.md").decode()
        assert [line for line in requirements.splitlines() if not line.startswith("#")] == [
            f"numpy=={pins['numpy']}"]
        assert "pip install -r requirements.txt" in readme
        if language:
            assert readme.splitlines()[0] == "# Demo gallery"  # no catalog for the index here
            assert "如何在你自己的机器上运行这些示例。" in readme
        else:
            assert "How to run these examples on your own machine." in readme


def test_local_build_shows_no_button(demo, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(demo.src, src, ignore=shutil.ignore_patterns("_build"))
    _build(src, src / "_build/html")
    html = soup(src / "_build/html" / f"{PAGE}.html")
    assert html.select("div.run-yourself")
    assert not html.select("a.run-yourself-colab")
    assert "colab.research.google.com" not in (src / "_build/html" / f"{PAGE}.html").read_text()


def test_unknown_import_is_reported(demo, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(demo.src, src, ignore=shutil.ignore_patterns("_build"))
    example = src / "beginner_source/examples_demo/example.py"
    example.write_text(example.read_text().replace(
        "import numpy as np\n",
        "import numpy as np\n\ntry:\n    import no_such_project_here\nexcept ImportError:\n"
        "    pass\n"))
    result = sphinx_build(src, src / "_build/html")
    assert (
        "beginner_source/examples_demo/example.py:1: WARNING: no installed project provides "
        "the module 'no_such_project_here' that the example imports: its install line cannot "
        "name it [run_yourself.import]"
    ) in result.stderr


# -- The first cell, run for real in a virtual environment ---------------------------


def _venv(path):
    venv.EnvBuilder(with_pip=True).create(path)
    return path / "bin" / "python"


@pytest.mark.learner
def test_first_cell_installs_the_pins_then_does_nothing(demo, tmp_path):
    pins, _, _ = _pins(demo.src)
    notebook = nbformat.read(
        demo.out / "_downloads" / next(
            p.relative_to(demo.out / "_downloads") for p in (demo.out / "_downloads").rglob(
                "example.ipynb") if "Install this notebook" in p.read_text()), as_version=4)
    cell = tmp_path / "cell.py"
    cell.write_text(notebook.cells[0].source)
    python = _venv(tmp_path / "venv")
    first = subprocess.run([python, cell], capture_output=True, text=True, timeout=600,
                           check=False)
    assert first.returncode == 0, first.stderr
    version = subprocess.run([python, "-c", "import numpy; print(numpy.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == pins["numpy"]
    # Without pip, the cell still runs: it calls pip only for a missing version.
    subprocess.run([python, "-m", "pip", "uninstall", "-q", "-y", "pip"], check=True)
    again = subprocess.run([python, cell], capture_output=True, text=True, timeout=60,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""


# -- Publishing the notebooks for Colab: a bare repository stands in for GitHub ---------


def _publish(site, remote, *extra):
    return subprocess.run(
        [sys.executable, PUBLISH, "--site", site, "--repository", "octo/site",
         "--remote", remote, *extra],
        capture_output=True, text=True, timeout=120, check=False,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"},
    )


def _tree(remote, branch="notebooks"):
    listing = subprocess.run(["git", "-C", remote, "ls-tree", "-r", "--name-only", branch],
                             capture_output=True, text=True, check=True).stdout.split()
    return {path: subprocess.run(["git", "-C", remote, "show", f"{branch}:{path}"],
                                 capture_output=True, check=True).stdout for path in listing}


def _colab_links(out):
    """(page, path on the branch, the page's own notebook) for every Colab link."""
    found = []
    for page in sorted(out.rglob("*.html")):
        html = soup(page)
        for link in html.select("a.run-yourself-colab"):
            assert link["href"].startswith(COLAB), link["href"]
            (notebook,) = [a["href"] for a in html.select("a.download")
                           if a["href"].endswith(".ipynb")]
            found.append((page, link["href"][len(COLAB):], (page.parent / notebook).read_bytes()))
    return found


def test_publish_pushes_each_pages_notebook_where_its_link_points(demo, tmp_path):
    remote = tmp_path / "github.git"
    subprocess.run(["git", "init", "-q", "--bare", remote], check=True)
    result = _publish(demo.out, remote)
    assert result.returncode == 0, result.stderr
    tree = _tree(remote)
    links = _colab_links(demo.out)
    assert {path for _, path, _ in links} == {f"en/{PAGE}.ipynb", f"zh_CN/{PAGE}.ipynb"}
    for page, path, notebook in links:
        assert tree[path] == notebook, page
    assert sorted(tree) == sorted([*(path for _, path, _ in links), "README.md"])
    # Nothing changed: no new commit. A changed notebook: a commit on top.
    assert "already holds" in _publish(demo.out, remote).stdout
    log = ["git", "-C", remote, "rev-list", "notebooks"]
    assert len(subprocess.run(log, capture_output=True, text=True, check=True).stdout.split()) == 1


def test_publish_refuses_a_site_without_links_or_with_another_branch(demo, tmp_path):
    remote = tmp_path / "github.git"
    subprocess.run(["git", "init", "-q", "--bare", remote], check=True)
    other = _publish(demo.out, remote, "--branch", "gh-notebooks")
    assert other.returncode == 1
    assert "is not on octo/site, branch gh-notebooks" in other.stderr
    empty = tmp_path / "empty"
    (empty / "page").mkdir(parents=True)
    (empty / "page" / "a.html").write_text("<p>no links</p>")
    result = _publish(empty, remote)
    assert result.returncode == 1 and "links to Colab" in result.stderr
    assert not subprocess.run(["git", "-C", remote, "branch"], capture_output=True, text=True,
                              check=True).stdout


# -- The full site -----------------------------------------------------------------------


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_install_lines_name_every_package_the_example_imports(site, page):
    """An example importing a third-party package its install lines do not name fails."""
    script = downloaded(site, page, ".py")
    modules = set()
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    third_party = {m for m in modules if m not in sys.stdlib_module_names}
    assert third_party, page
    (box,) = soup(site.out / f"{page}.html").select("div.run-yourself")
    commands = [pre.get_text() for pre in box.select("pre")]
    assert len(commands) == 3
    provided = metadata.packages_distributions()
    for module in third_party:
        projects = {name.lower().replace("_", "-") for name in provided[module]}
        if projects & {"tensorflow", "tensorflow-cpu"}:
            projects |= {"tensorflow", "tensorflow-cpu"}
        for command in commands:
            named = {word.split("==")[0] for word in command.split() if "==" in word}
            assert named & projects, (page, module, command)


@pytest.mark.parametrize("group", sorted(EXAMPLES))
def test_site_zips_pin_what_the_pages_ran(site, group):
    folder = site.src / "beginner" / group
    environment = json.loads((folder / "environment.json").read_text())
    index = site.out / "beginner" / group / "index.html"
    (href,) = [a["href"] for a in soup(index).select("a.download") if a["href"].endswith(
        "_python.zip")]
    with zipfile.ZipFile(index.parent / href) as archive:
        pins = [line for line in archive.read("requirements.txt").decode().splitlines()
                if line and not line.startswith("#")]
    assert f"torch=={environment['torch'].split('+')[0]}" in pins
    assert f"numpy=={environment['numpy']}" in pins or group not in ("examples_tensor", "examples_beyond")
    assert f"matplotlib=={environment['matplotlib']}" in pins
    if group == "examples_autograd":
        assert any(line.startswith(f"tensorflow-cpu=={environment['tensorflow']};")
                   for line in pins), pins


@pytest.mark.parametrize("language", ["", "zh_CN/"])
@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=example_ids())
def test_every_example_page_has_the_block_with_its_own_versions(site, page, language):
    record = json.loads((site.src / f"{page}.provenance.json").read_text())
    (box,) = soup(site.out / f"{language}{page}.html").select("div.run-yourself")
    assert box.find_next("div", class_="sphx-glr-footer") is not None
    text = box.get_text(" ")
    environment = json.loads((site.src / page).parent.joinpath("environment.json").read_text())
    name = page.rsplit("/", 1)[1]
    # The version of the example's main library: its own record's (torch,
    # TensorFlow), or its gallery's environment (numpy, for the numpy example).
    product, version = {
        "tf_two_layer_net": ("TensorFlow", record["tensorflow"]),
        "two_layer_net_numpy": ("numpy", environment["numpy"]),
    }.get(name, ("PyTorch", record["torch"]))
    version = version.split("+")[0]
    assert f"{product} {version}" in text
    commands = [pre.get_text() for pre in box.select("pre")]
    assert len(commands) == 3
    if product == "PyTorch":
        assert f"torch=={version} --index-url {CPU_INDEX}" in commands[0]
        assert "--index-url" not in commands[1] + commands[2]
    # A build without a repository (the tests' own): no button, never a broken one.
    assert not box.select("a.run-yourself-colab")


def test_a_package_the_fingerprint_does_not_track_is_pinned_at_the_builds_version(tmp_path):
    """The timing example imports threadpoolctl, which no provenance file records."""
    import json
    from importlib import metadata

    from sphinxext.downloads import _run_yourself as ry
    record, environment = tmp_path / "example.provenance.json", tmp_path / "environment.json"
    record.write_text(json.dumps({"torch": "2.13.0+cpu"}), encoding="utf-8")
    environment.write_text(json.dumps({"numpy": "2.4.6"}), encoding="utf-8")
    pins = ry.pinned_versions(record, environment, ["torch", "numpy", "threadpoolctl"])
    assert pins == {"torch": "2.13.0", "numpy": "2.4.6", "threadpoolctl": metadata.version("threadpoolctl")}
    with pytest.raises(ry.ProvenanceError, match="names no torch version"):
        ry.pinned_versions(environment, environment, ["torch"])
