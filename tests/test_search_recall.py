"""Chinese search on the built site, in Chromium: recall and ranking (issue 16).

The terms are drawn from the Chinese pages as a reader sees them (the
``innerText`` of each page's main content): every jieba word of two to six
Chinese characters, every compound of two or three consecutive jieba words of
up to six characters, and every Latin word written next to a Chinese word
("GPU 加速").  A small fixed list of terms readers type is kept as a
regression test.  For every term, every page whose text contains it must be
among the results of the real search page (its ``searchtools.js``,
``language_data.js`` and ``searchindex.js``), and the pages are ranked as a
reader expects: pages whose title contains the term first, then pages with
a section title containing it, then the rest.  The recall is printed.

The fixed terms are searched through the page's form (``?q=``) and their
result lists read from the DOM, excerpts and highlights included; the drawn
terms (thousands) are run through the same ``Search`` functions the page's
``Search.query`` calls, in the loaded page.

Select these tests with ``pytest tests/test_search_recall.py``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import pytest
import snowballstemmer
from browser_support import CHROMIUM_ARGS, find_chromium, serve

ZH = "zh_CN/"
#: The Chinese characters search treats as a run (as sphinxext/translation/zh_search.py).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
HAN_WORD = re.compile(f"[{HAN}]{{2,6}}")
#: A Latin word as the search page splits it and the index stores it (Sphinx
#: indexes no word of one letter, in English either).
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]+")
#: A Latin word written next to a Chinese run, either way round.
LATIN_THEN_HAN = re.compile(f"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]+) ?([{HAN}]+)")
HAN_THEN_LATIN = re.compile(f"([{HAN}]+) ?([A-Za-z][A-Za-z0-9_]+)(?![A-Za-z0-9_])")
#: Admonitions whose title ("备注" for a note) Sphinx's HTML writer adds from
#: its own translations: it is in no page's source, and no search indexes it
#: (nor "Note" on the English side).
LABELLED_ADMONITIONS = [
    "note",
    "warning",
    "tip",
    "hint",
    "important",
    "caution",
    "danger",
    "error",
    "attention",
    "seealso",
]
#: Terms readers type; each must be on at least one page.
READER_TERMS = [
    "优化器",
    "反向传播",
    "计算图",
    "学习率",
    "自定义模块",
    "权重共享",
    "前向传播计算",  # 前向传播 is bold in the text: the run crosses markup
    "小批量",
    "张量",
    "梯度",
    "自动求导",
    "nn 模块",
    "GPU 加速",
    "DataLoader",
    "autograd",
]
#: Longest wait for the search page, in milliseconds.
WAIT_MS = 30_000

STEMMER = snowballstemmer.stemmer("english")


# -- What the pages say --------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A Chinese page as a reader sees it."""

    docname: str
    text: str  # the main content's innerText, without generated admonition titles
    title: str
    section_titles: tuple[str, ...]


def query_terms(term: str) -> list[str]:
    """The parts the search page looks up for ``term``, lower case."""
    parts = []
    for token in re.split(r"[\W]+", term.lower()):
        parts += [part for part in re.split(f"([{HAN}]+)", token) if part]
    return parts


def contains(page: Page, term: str) -> bool:
    """Whether the page's text holds ``term``: each Chinese part as written,
    each Latin part as a whole word (the index stores words)."""
    latin_words = {word.lower() for word in LATIN_WORD.findall(page.text)}
    return all(part in page.text if HAN_RUN.fullmatch(part) else part in latin_words for part in query_terms(term))


def _all_in(text: str, term: str) -> bool:
    lower = text.lower()
    return all(part in lower or STEMMER.stemWord(part) in lower for part in query_terms(term))


def rank_class(page: Page, term: str) -> int:
    """0: the title holds the term; 1: its section titles do; 2: neither."""
    if _all_in(page.title, term):
        return 0
    if _all_in("\n".join((page.title, *page.section_titles)), term):
        return 1
    return 2


def draw_terms(pages: list[Page]) -> set[str]:
    """Terms a reader can see on the pages, cut by jieba (see the module docstring)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." chatter
    terms = set()
    for page in pages:
        for run in HAN_RUN.findall(page.text):
            terms.update(word for word in jieba.cut_for_search(run) if HAN_WORD.fullmatch(word))
            words = jieba.lcut(run)
            for size in (2, 3):
                for i in range(len(words) - size + 1):
                    compound = "".join(words[i : i + size])
                    if 3 <= len(compound) <= 6:
                        terms.add(compound)
        for latin, run in LATIN_THEN_HAN.findall(page.text):
            first = jieba.lcut(run)[0]
            if len(first) >= 2:
                terms.add(f"{latin} {first}")
        for run, latin in HAN_THEN_LATIN.findall(page.text):
            last = jieba.lcut(run)[-1]
            if len(last) >= 2:
                terms.add(f"{last} {latin}")
    return terms


# -- The browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def tab(site, playwright_session, tmp_path_factory):
    """One Chromium page on the built site, served from 127.0.0.1 (a free port)."""
    assert site.zh_result.returncode == 0, site.zh_result.stderr
    try:
        chromium = find_chromium()
    except (RuntimeError, OSError) as exc:
        pytest.fail(str(exc))
    with serve(site.out) as base:
        context = playwright_session.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=chromium, args=CHROMIUM_ARGS
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(WAIT_MS)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.base = base
        page.errors = errors
        yield page
        context.close()


def open_search(tab, query: str | None = None):
    url = urljoin(tab.base, ZH + "search.html")
    tab.goto(url + ("?" + urlencode({"q": query}) if query is not None else ""), wait_until="load")
    tab.wait_for_function("() => Search.hasIndex()")


@pytest.fixture(scope="module")
def pages(tab) -> list[Page]:
    """Every page the Chinese index holds, read in the browser."""
    open_search(tab)
    docnames = tab.evaluate("() => Search._index.docnames")
    found = []
    for docname in docnames:
        tab.goto(urljoin(tab.base, f"{ZH}{docname}.html"), wait_until="load")
        facts = tab.evaluate(
            """(labelled) => {
              const main = document.querySelector('[role="main"]');
              labelled.forEach((kind) => main.querySelectorAll(`div.admonition.${kind} > p.admonition-title`)
                .forEach((label) => label.remove()));
              const heading = (h) => Array.from(h.childNodes)
                .filter((n) => !(n.classList && n.classList.contains('headerlink')))
                .map((n) => n.textContent).join('').trim();
              return {
                text: main.innerText,
                // Headings, and what is marked as one (a toctree's caption,
                // which Sphinx indexes as a title too).
                titles: Array.from(main.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')).map(heading),
              };
            }""",
            LABELLED_ADMONITIONS,
        )
        found.append(Page(docname, facts["text"], facts["titles"][0], tuple(facts["titles"][1:])))
    assert tab.errors == []
    return found


def run_queries(tab, terms: list[str]) -> dict[str, list[str]]:
    """Each term's results in the order the page lists them, as docnames.

    This is what ``Search.query`` does before it draws the list.
    """
    open_search(tab)
    return tab.evaluate(
        """(terms) => Object.fromEntries(terms.map((term) => {
             const results = Search._performSearch(...Search._parseQuery(term));
             return [term, results.reverse().map((result) => result[0])];
           }))""",
        terms,
    )


def first_occurrences(docnames: list[str]) -> list[str]:
    return list(dict.fromkeys(docnames))


@dataclass
class Outcome:
    found: int  # (term, page) pairs listed
    expected: int  # (term, page) pairs where the page contains the term
    misses: list[str]  # terms with pages not listed
    faults: list[str]  # terms whose pages are out of rank order
    ranked: int  # terms listing title, section and body matches, all three


def check(pages: list[Page], results: dict[str, list[str]]) -> Outcome:
    """Recall and ranking of ``results`` (each term's listed docnames)."""
    by_name = {page.docname: page for page in pages}
    outcome = Outcome(0, 0, [], [], 0)
    for term, listed in results.items():
        wanted = {page.docname for page in pages if contains(page, term)}
        outcome.expected += len(wanted)
        outcome.found += len(wanted & set(listed))
        if wanted - set(listed):
            outcome.misses.append(f"{term!r}: not listed {sorted(wanted - set(listed))}")
        classes = [rank_class(by_name[name], term) for name in first_occurrences(listed)]
        if classes != sorted(classes):
            outcome.faults.append(f"{term!r}: {list(zip(first_occurrences(listed), classes, strict=True))}")
        outcome.ranked += set(classes) == {0, 1, 2}
    return outcome


def report(capsys, label: str, terms: int, outcome: Outcome, pages: int):
    with capsys.disabled():
        print(
            f"\n{label}: recall {100 * outcome.found / outcome.expected:.2f}% "
            f"({outcome.found} of {outcome.expected} (term, page) pairs, {terms} terms, {pages} pages); "
            f"{outcome.ranked} terms list title, section and body matches"
        )


# -- Tests -------------------------------------------------------------------------


def test_the_pages_are_the_chinese_site(pages):
    names = {page.docname for page in pages}
    assert {"index", "beginner/pytorch_with_examples", "beginner/examples_nn/two_layer_net_optim"} <= names
    assert all(HAN_RUN.search(page.text) for page in pages)


def test_every_term_drawn_from_the_pages_finds_them_ranked(tab, pages, capsys):
    terms = sorted(draw_terms(pages))
    assert len(terms) > 1000  # the site's Chinese text, not a handful of words
    outcome = check(pages, run_queries(tab, terms))
    report(capsys, "Chinese search, terms drawn from the pages", len(terms), outcome, len(pages))
    assert tab.errors == []
    assert outcome.misses == []
    assert outcome.faults == []
    assert outcome.found == outcome.expected
    assert outcome.ranked > 0  # the ranking rule was put to the test


def reader_search(tab, term: str) -> list[dict]:
    """Search through the page's form; each listed result as the reader sees it."""
    open_search(tab, term)
    tab.wait_for_function(
        """() => {
          const status = document.querySelector('#search-results p.search-summary');
          const items = document.querySelectorAll('#search-results ul.search li');
          return status && status.textContent.trim() !== '' &&
            Array.from(items).every((li) => li.querySelector('p.context'));
        }"""
    )
    return tab.evaluate(
        """() => Array.from(document.querySelectorAll('#search-results ul.search li')).map((li) => ({
             href: li.querySelector('a').href,
             excerpt: li.querySelector('p.context').textContent,
             highlighted: Array.from(li.querySelectorAll('p.context span.highlighted'))
               .map((span) => span.textContent.toLowerCase()),
           }))"""
    )


def docname_of(href: str) -> str:
    path = unquote(urlsplit(href).path)
    return path.split("/" + ZH, 1)[1].removesuffix(".html")


def test_terms_readers_type_find_their_pages_ranked_and_highlighted(tab, pages, capsys):
    results, excerpt_faults = {}, []
    for term in READER_TERMS:
        listed = reader_search(tab, term)
        results[term] = [docname_of(item["href"]) for item in listed]
        parts = query_terms(term)
        for item in listed:
            # A mixed term's excerpt is centred on one of its parts.
            shown = [part for part in parts if part in item["highlighted"]]
            if (
                shown == []
                or (len(parts) == 1 and shown != parts)
                or not any(part in item["excerpt"].lower() for part in shown)
            ):
                excerpt_faults.append(f"{term!r} on {item['href']}: {item['highlighted']} in {item['excerpt']!r}")
    assert all(any(contains(page, term) for page in pages) for term in READER_TERMS)
    outcome = check(pages, results)
    report(capsys, "Chinese search, terms readers type", len(READER_TERMS), outcome, len(pages))
    assert tab.errors == []
    assert outcome.misses == []
    assert outcome.faults == []
    assert excerpt_faults == []
    assert outcome.found == outcome.expected
    # "nn 模块" is a group's title, a section title of the narrative page and in
    # the text of others: listed in that order.
    assert results["nn 模块"][0] == "beginner/examples_nn/index"


def test_a_term_on_no_page_finds_nothing(tab, pages):
    # Recall must not come from listing every page.
    assert not any(contains(page, "鳄梨酱") for page in pages)
    assert run_queries(tab, ["鳄梨酱", "优化器鳄梨酱"]) == {"鳄梨酱": [], "优化器鳄梨酱": []}
