"""The per-example run-time page: every example, its time, a link to its page."""

from bs4 import BeautifulSoup
from test_site import EXAMPLE_PAGES


def test_timings_page_lists_every_example(site):
    html = BeautifulSoup((site.out / "timings.html").read_text(), "lxml")
    rows = html.select("table.example-times tbody tr")
    assert len(rows) == len(EXAMPLE_PAGES) + 1  # and the total
    linked = []
    for row in rows[:-1]:
        link, seconds = row.select_one("a"), row.select("td")[1].get_text()
        linked.append(link["href"].split("#")[0].removesuffix(".html"))
        assert float(seconds) > 0
    assert sorted(linked) == sorted(EXAMPLE_PAGES)
    total = float(rows[-1].select("td")[1].get_text())
    parts = [float(r.select("td")[1].get_text()) for r in rows[:-1]]
    assert abs(total - sum(parts)) < 0.02 * len(parts)


def test_timings_page_loads_nothing_from_outside(site):
    html = BeautifulSoup((site.out / "timings.html").read_text(), "lxml")
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        # Canonical and alternate links name pages; the browser loads none.
        for element in html.select(f"{tag}[{attribute}]:not([rel=canonical], [rel=alternate])"):
            assert "://" not in element[attribute], element


def test_timings_page_in_chinese(site):
    html = BeautifulSoup((site.out / "zh_CN/timings.html").read_text(), "lxml")
    # The "About this build" page's second section.
    assert html.select("h2")[1].get_text().startswith("示例运行时间")
    headings = [th.get_text() for th in html.select("table.example-times th")]
    assert headings == ["示例", "运行时间（秒）"]
