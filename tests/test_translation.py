"""The Simplified Chinese side: complete catalogs, a real translated build."""

import re
from pathlib import Path

import polib
import pytest
from helpers import copy_built_site, soup
from sitebuild import REPO, sphinx_build
from test_site import EXAMPLE_PAGES

LOCALE = REPO / "locales" / "zh_CN" / "LC_MESSAGES"
# Chinese characters and full-width punctuation ("PyTorch：nn" is a translated title).
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
PAGES = ["index", "beginner/pytorch_with_examples", *EXAMPLE_PAGES]


def catalogs():
    return sorted(LOCALE.rglob("*.po"))


def page(root, name):
    return soup(root / f"{name}.html")


@pytest.mark.parametrize("po", catalogs(), ids=lambda p: str(p.relative_to(LOCALE)))
def test_catalog_is_complete(po):
    catalog = polib.pofile(str(po))
    assert not catalog.untranslated_entries()
    assert not catalog.fuzzy_entries()


def test_catalogs_cover_the_current_english_text(site, tmp_path):
    """Extract the messages of today's English pages: each one is translated."""
    src = copy_built_site(site, tmp_path / "src")
    result = sphinx_build(src, tmp_path / "gettext", builder="gettext")
    assert result.returncode == 0, result.stderr
    missing = []
    for pot in sorted((tmp_path / "gettext").rglob("*.pot")):
        relative = pot.relative_to(tmp_path / "gettext").with_suffix(".po")
        po = LOCALE / relative
        translated = (
            {e.msgid for e in polib.pofile(str(po)).translated_entries()} if po.exists() else set()
        )
        missing += [
            f"{relative}: {entry.msgid[:70]!r}"
            for entry in polib.pofile(str(pot))
            if entry.msgid not in translated
        ]
    assert not missing, "\n".join(missing)


def test_chinese_build_is_warning_free(site):
    assert site.zh_result.returncode == 0, site.zh_result.stderr
    assert "WARNING" not in site.zh_result.stderr, site.zh_result.stderr


@pytest.mark.parametrize("name", PAGES)
def test_page_is_in_chinese_with_the_same_code(site, name):
    english, chinese = page(site.out, name), page(site.out / "zh_CN", name)
    assert english.html["lang"] == "en"
    assert chinese.html["lang"].lower() == "zh-cn"
    assert CJK.search(chinese.select_one("h1").get_text()), chinese.select_one("h1")
    body = chinese.select_one("div[itemprop=articleBody]")
    prose = " ".join(p.get_text() for p in body.select("p"))
    assert len(CJK.findall(prose)) > 20
    code = [pre.get_text() for pre in english.select("div.highlight pre")]
    assert [pre.get_text() for pre in chinese.select("div.highlight pre")] == code


@pytest.mark.parametrize("name", PAGES)
def test_language_switcher_links_the_same_page(site, name):
    english_file = site.out / f"{name}.html"
    chinese_file = site.out / "zh_CN" / f"{name}.html"
    to_chinese = page(site.out, name).select_one("nav.language-switcher a.other-language")
    to_english = page(site.out / "zh_CN", name).select_one(
        "nav.language-switcher a.other-language"
    )
    assert (english_file.parent / to_chinese["href"]).resolve() == chinese_file.resolve()
    assert (chinese_file.parent / to_english["href"]).resolve() == english_file.resolve()
    assert not to_chinese["href"].startswith(("/", "http"))


@pytest.mark.parametrize("name", EXAMPLE_PAGES)
def test_chinese_downloads_have_the_same_names(site, name):
    for root in (site.out, site.out / "zh_CN"):
        links = [a["href"] for a in page(root, name).select("div.sphx-glr-download a.download")]
        files = sorted(Path(href).name for href in links)
        assert files == sorted(f"{Path(name).name}{s}" for s in (".ipynb", ".py", ".zip"))
    # Same names, other folders: the Chinese files are translated (test_zh_downloads).
    def files(root):
        links = page(root, name).select("div.sphx-glr-download a.download")
        return {Path(a["href"]).name: (root / name).parent / a["href"] for a in links}

    english, chinese = files(site.out), files(site.out / "zh_CN")
    for file_name, path in chinese.items():
        assert path.read_bytes() != english[file_name].read_bytes()


def test_site_title_is_translated(site):
    english, chinese = page(site.out, "index"), page(site.out / "zh_CN", "index")
    assert english.title.get_text().endswith("Learning PyTorch with Examples")
    assert chinese.title.get_text().endswith("通过示例学习 PyTorch")
    assert chinese.select_one("nav.wy-nav-top a").get_text(strip=True) == "通过示例学习 PyTorch"


#: sphinx-gallery's run-time line, as its English pages show it.
RUN_TIME = re.compile(r"^Total running time of the script: \((\d+) minutes ([\d.]+) seconds\)$")


@pytest.mark.parametrize("name", EXAMPLE_PAGES)
def test_run_time_line_is_chinese_with_the_english_numbers(site, name):
    english = page(site.out, name).select_one("p.sphx-glr-timing")
    minutes, seconds = RUN_TIME.fullmatch(english.get_text().strip()).groups()
    catalog = polib.pofile(str(LOCALE / "sphinx.po"))
    message = catalog.find(
        "Total running time of the script: (%(minutes)s minutes %(seconds)s seconds)"
    ).msgstr
    chinese = page(site.out / "zh_CN", name).select_one("p.sphx-glr-timing")
    assert chinese.get_text().strip() == message % {"minutes": minutes, "seconds": seconds}
    # The label up to the full-width colon is bold, as in English.
    assert chinese.select_one("strong").get_text() == message.split("：")[0] + "："
