"""The per-example run-time page: every example, its own time, a link to its page."""

from pathlib import Path

import pytest
from helpers import run_time_seconds, soup
from test_site import EXAMPLE_PAGES


def rows_of(site, language=""):
    """(page linked, seconds shown) per example row, and the total row's seconds."""
    timings = site.out / language / "timings.html"
    rows = soup(timings).select("table.example-times tbody tr")
    listed = []
    for row in rows[:-1]:
        href = row.select_one("a")["href"].split("#")[0]
        page = (timings.parent / href).resolve().relative_to((site.out / language).resolve())
        listed.append((page.with_suffix("").as_posix(), float(row.select("td")[1].get_text())))
    return listed, float(rows[-1].select("td")[1].get_text())


@pytest.mark.parametrize("language", ["", "zh_CN"])
def test_each_example_shows_the_time_of_its_own_page(site, language):
    listed, _ = rows_of(site, language)
    assert sorted(page for page, _ in listed) == sorted(EXAMPLE_PAGES)
    # The table prints two decimals, the page three.
    shown = {page: round(run_time_seconds(soup(site.out / f"{page}.html")), 2) for page in EXAMPLE_PAGES}
    assert dict(listed) == pytest.approx(shown, abs=0.0051)
    assert all(seconds > 0 for _, seconds in listed), listed


def test_total_is_the_sum_of_the_rows(site):
    listed, total = rows_of(site)
    assert total == pytest.approx(sum(seconds for _, seconds in listed), abs=0.005 * len(listed) + 0.005)


def test_rows_follow_the_tutorial_order(site):
    from sphinxext.tutorial.tutorial_order import ORDER

    listed, _ = rows_of(site)
    names = {Path(page).name for page in EXAMPLE_PAGES}
    assert [Path(page).name for page, _ in listed] == [Path(n).stem for n in ORDER if Path(n).stem in names]


def test_timings_page_loads_nothing_from_outside(site):
    html = soup(site.out / "timings.html")
    checked = 0
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        # Canonical and alternate links name pages; the browser loads none.
        for element in html.select(f"{tag}[{attribute}]:not([rel=canonical], [rel=alternate])"):
            assert "://" not in element[attribute], element
            checked += 1
    assert checked > 0


def test_timings_page_in_chinese(site):
    html = soup(site.out / "zh_CN/timings.html")
    # The "About this build" page's second section.
    assert html.select("h2")[1].get_text().startswith("示例运行时间")
    headings = [th.get_text() for th in html.select("table.example-times th")]
    assert headings == ["示例", "运行时间（秒）"]
    total = html.select("table.example-times tbody tr")[-1]
    assert total.select("td")[0].get_text(strip=True) == "合计"
