"""Incremental builds execute only what changed; captured output is reproducible."""

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from sitebuild import english_options, sphinx_build
from test_site import EXAMPLE_PAGES, TIMING_PAGES

EXECUTED = re.compile(r"example_runner: executed (\d+) example\(s\): (.*)")


def executed(result):
    found = EXECUTED.search(result.stdout)
    assert found, result.stdout + result.stderr
    names = [] if found.group(2) == "none" else found.group(2).split(", ")
    assert int(found.group(1)) == len(names)
    return names


def outputs(out):
    """Every example page's captured output, as text, but for measured times."""
    texts = {}
    for page in EXAMPLE_PAGES:
        if page in TIMING_PAGES:
            continue
        html = BeautifulSoup((out / f"{page}.html").read_text(), "lxml")
        texts[page] = [pre.get_text() for pre in html.select("div.sphx-glr-script-out pre")]
    return texts


@pytest.fixture(scope="module")
def built_copy(site, tmp_path_factory):
    """A copy of the built site (sources, generated pages, doctrees, output)."""
    src = tmp_path_factory.mktemp("incremental") / "src"
    shutil.copytree(site.src, src, symlinks=True)
    return src


def rebuild(src):
    return sphinx_build(src, src / "_build/html", *english_options(src))


def test_noop_rebuild_executes_nothing(built_copy):
    result = rebuild(built_copy)
    assert result.returncode == 0, result.stderr
    assert executed(result) == []
    # The copy sits in another folder, which Sphinx reads as a new
    # configuration once; the build after that is a true no-op.
    result = rebuild(built_copy)
    assert result.returncode == 0, result.stderr
    assert executed(result) == []
    # The theme and extensions add to some settings while building; the
    # saved configuration must still equal the next build's (issue 18).
    assert "configuration has changed" not in result.stdout, result.stdout
    assert "updating environment: 0 added, 0 changed, 0 removed" in result.stdout, result.stdout


def test_editing_the_narrative_executes_nothing(built_copy):
    page = built_copy / "beginner/pytorch_with_examples.rst"
    page.write_text(page.read_text() + "\nAn added closing sentence.\n")
    result = rebuild(built_copy)
    assert result.returncode == 0, result.stderr
    assert executed(result) == []
    html = (built_copy / "_build/html/beginner/pytorch_with_examples.html").read_text()
    assert "An added closing sentence." in html


def test_editing_one_example_executes_it_alone_and_refreshes_the_narrative(built_copy):
    script = built_copy / "beginner_source/examples_nn/two_layer_net_nn.py"
    script.write_text(script.read_text() + "\nprint('an edited example')  # edited\n")
    result = rebuild(built_copy)
    assert result.returncode == 0, result.stderr
    assert executed(result) == ["beginner_source/examples_nn/two_layer_net_nn.py"]
    example = (built_copy / "_build/html/beginner/examples_nn/two_layer_net_nn.html").read_text()
    assert "an edited example" in example
    narrative = BeautifulSoup(
        (built_copy / "_build/html/beginner/pytorch_with_examples.html").read_text(), "lxml"
    )
    assert any("# edited" in pre.get_text() for pre in narrative.select("div.highlight pre"))


def test_chinese_side_executes_nothing(site):
    assert site.zh_result.returncode == 0, site.zh_result.stderr
    assert executed(site.zh_result) == []


def test_make_help_lists_every_target_of_the_makefile():
    import subprocess

    from sitebuild import REPO

    makefile = (REPO / "Makefile").read_text()
    targets = re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE)
    result = subprocess.run(
        ["make", "-s", "-C", str(REPO), "help"], capture_output=True, text=True, check=True
    )
    listed = re.findall(r"^  make (\S+) +\S", result.stdout, re.MULTILINE)
    assert listed == targets
    assert len(targets) >= 9
