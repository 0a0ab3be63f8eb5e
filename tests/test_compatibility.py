"""The original tutorial page's reST builds against this site, unchanged.

The original English page and its community Chinese translation (the seed
documents in ../shared/seeds, beside the clone in CI) use ``includenodoc``,
``galleryitem`` and toctree entries such as
``/beginner/examples_tensor/two_layer_net_numpy``: put in place of our
narrative page, each must build warning-free and show its nine code blocks
and nine cards.

They need the seeds: without ``../shared/seeds`` they are skipped, saying so,
before anything is built.
"""

import pytest
from helpers import copy_built_site, soup
from sitebuild import REPO, english_options, sphinx_build

SEEDS = REPO.parent / "shared" / "seeds"
ORIGINAL_PAGES = {
    "english": "000_db13eade12fe9a99.txt",
    "chinese": "003_6f64b6dc002fbf11.txt",
}
#: Problems in the originals' own markup, which no site can mend: the Chinese
#: page writes `自动微分<https://...>`__ with no space before "<", which
#: docutils reads as a reference to nothing.
OWN_ERRORS = {
    "english": [],
    "chinese": ["ERROR: Anonymous hyperlink mismatch: 1 references but 0 targets."],
}


def problems(stderr):
    return [
        line.split(": ", 1)[1]
        for line in stderr.splitlines()
        if ": WARNING: " in line or ": ERROR: " in line
    ]


def _missing(name):
    return not (SEEDS / ORIGINAL_PAGES[name]).is_file()


# Marks, not a skip inside the test: a skip decided before the ``site``
# fixture costs no build.
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.skipif(
                _missing(name),
                reason=f"needs the seed page {SEEDS / ORIGINAL_PAGES[name]} "
                "(the seeds sit beside the clone, in ../shared/seeds, in CI)",
            ),
        )
        for name in ORIGINAL_PAGES
    ],
)
def test_original_page_builds_unchanged(site, tmp_path, name):
    original = SEEDS / ORIGINAL_PAGES[name]
    src = copy_built_site(site, tmp_path / "src")
    page = src / "beginner" / "pytorch_with_examples.rst"
    page.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    result = sphinx_build(src, src / "_build/html", *english_options(src))
    assert problems(result.stderr) == OWN_ERRORS[name], result.stderr
    assert result.returncode == (1 if OWN_ERRORS[name] else 0), result.stderr
    html = soup(src / "_build/html/beginner/pytorch_with_examples.html")
    assert len(html.select("div.highlight-python pre, div.highlight-Python pre")) == 9
    cards = html.select("div.sphx-glr-thumbcontainer")
    assert len(cards) == 9
    for card in cards:
        assert card.select_one("img")["src"].endswith("_thumb.png")
        assert card.select_one("a")["href"].startswith("examples_")
