"""Chinese full-text search (``zh``, ``zh_CN``, ``zh_TW``) that finds every term on a page.

Usage in ``conf.py``::

    extensions = [
        ...,
        "sphinxext.translation.zh_search",
    ]

then build with ``-D language=zh_CN`` (or set ``html_search_language = "zh"``).
English (and other) builds are unaffected.

Sphinx 9.0's own Chinese search (:mod:`sphinx.search.zh`) indexes jieba's
word segments and looks the query up uncut, so a term that jieba cuts in two
(优化器 is indexed as 优化) finds nothing; its search page also never finishes
(``window.Stemmer = ChineseStemmer;`` names a class that does not exist,
https://github.com/sphinx-doc/sphinx/issues/14229).  This extension registers
a :class:`~sphinx.search.SearchLanguage` for ``zh`` through
:meth:`~sphinx.application.Sphinx.add_search_language` whose index and query
are cut by the same rule, with no dictionary:

* A *Chinese run* is a run of Chinese characters (CJK ideographs); anything
  else (Latin words, digits, punctuation, spaces) ends it.
* The index stores, for each run, every two-character piece (a query of two
  characters is looked up exactly) and, for runs of three characters or more,
  the run itself inside a key that starts with a space.  Sphinx's search
  already matches a query of three characters or more against every key that
  contains it, so any substring of a run finds its page; the leading space
  keeps a key from ever equalling a query, which would turn that partial
  lookup off.  Latin words are indexed and stemmed as Sphinx does for Chinese.
* In the browser, ``splitQuery`` keeps each Chinese run of the query whole
  (``GPU加速`` is ``gpu`` and ``加速``), so the excerpt under each result is
  found and highlighted with the whole term.
* Results are ranked: pages whose title contains every query term first, then
  pages with a section title that contains each, then the rest; Sphinx's own
  score orders each group.  This is done through Sphinx's ``Scorer.score``
  hook, wrapping any ``html_search_scorer`` the project sets.

The English snowball stemmer is embedded under its real class name, so the
search page works on Sphinx 9.0.  ``html_search_options["dict"]`` (a jieba
user dictionary) has no use here and gets a ``zh_search.dict`` warning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

import snowballstemmer
import sphinx.search
from docutils import nodes
from sphinx.search import SearchLanguage
from sphinx.search.zh import SearchChinese
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Sphinx's bundled, minified snowball stemmers (the files ``language_data.js``
#: is assembled from).
_MINIFIED_JS = Path(sphinx.search.__file__).parent / "minified-js"

#: The Chinese characters a run is made of: CJK Unified Ideographs, extension
#: A and the compatibility ideographs.  ``_SPLITTER_JS`` uses the same ranges.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")

#: Starts the key that holds a node's runs of three characters or more.
_RUNS_KEY_PREFIX = " "


def _stemmer_js(rawcode: str) -> str:
    """The minified stemmer ``rawcode`` exported as ``window.Stemmer``.

    The class name is derived from the file name ("english-stemmer.js" gives
    ``EnglishStemmer``), as upstream's fix does, not from the language name.
    """
    stem = rawcode.removesuffix("-stemmer.js")
    class_name = "".join(part.capitalize() for part in stem.split("_")) + "Stemmer"
    return "\n".join(
        (
            (_MINIFIED_JS / "base-stemmer.js").read_text(encoding="utf-8"),
            (_MINIFIED_JS / rawcode).read_text(encoding="utf-8"),
            f"window.Stemmer = {class_name};",
        )
    )


#: ``splitQuery`` and the ranking, written into ``language_data.js`` (loaded
#: by the search page with ``searchtools.js``).
_SPLITTER_JS = r"""
/* zh_search (sphinxext/translation/zh_search.py): the query is cut as the index was. */
const ZhSearch = {
  // The query's terms, lower case, as searchtools.js keeps them for the search.
  terms: [],

  // Whether every term is in ``text`` (as typed, or stemmed as the index is).
  allIn: (text, stemmer) => {
    const lower = text.toLowerCase();
    return ZhSearch.terms.every(
      (term) => lower.includes(term) || lower.includes(stemmer.stemWord(term)),
    );
  },

  // 2: the page's title holds every term; 1: its section titles do; 0: neither.
  rank: (docName) => {
    const index = Search._index;
    const file = index.docnames.indexOf(docName);
    if (file < 0 || ZhSearch.terms.length === 0) return 0;
    const stemmer = new Stemmer();
    if (ZhSearch.allIn(index.titles[file], stemmer)) return 2;
    const sections = Object.entries(index.alltitles)
      .filter(([, places]) => places.some(([f]) => f === file))
      .map(([title]) => title)
      .join("\n");
    return ZhSearch.allIn(sections, stemmer) ? 1 : 0;
  },

  // Put the rank before Sphinx's score (or the project's html_search_scorer).
  installScorer: () => {
    if (typeof Scorer === "undefined" || Scorer.zhSearchRanks) return;
    const baseScore = Scorer.score;
    Scorer.score = (result) =>
      ZhSearch.rank(result[0]) * 1000 + (baseScore ? baseScore(result) : result[4]);
    Scorer.zhSearchRanks = true;
  },
};

var splitQuery = (query) => {
  const terms = [];
  query
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .forEach((token) =>
      token.split(/([HAN]+)/u).forEach((part) => part && terms.push(part)),
    );
  ZhSearch.terms = terms
    .map((term) => term.toLowerCase())
    .filter((term) => !stopwords.has(term) && !/^\d+$/.test(term));
  ZhSearch.installScorer();
  return terms;
};
""".replace("HAN", _HAN.encode("unicode_escape").decode("ascii"))


class SearchChineseFixed(SearchChinese):
    """Chinese search whose index and query are cut by one dictionary-free rule.

    It keeps :class:`~sphinx.search.zh.SearchChinese`'s handling of Latin
    words (English stop words, snowball stemming) and replaces its jieba
    segments.  ``js_stemmer_rawcode`` is emptied so that Sphinx embeds
    ``js_stemmer_code`` (the same English stemmer, correctly exported) in
    ``language_data.js`` instead of generating the broken assignment.
    """

    js_stemmer_rawcode = ""
    js_stemmer_code = _stemmer_js(SearchChinese.js_stemmer_rawcode)
    js_splitter_code = _SPLITTER_JS

    def __init__(self, options: dict[str, str]) -> None:
        # Not SearchChinese.__init__: it loads jieba's dictionary, unused here.
        SearchLanguage.__init__(self, options)
        self.latin_terms: set[str] = set()
        #: Runs that cross inline markup in the page being indexed, by the
        #: text of the node they start in (see ``_note_runs_across_markup``).
        self.runs_across_markup: dict[str, list[str]] = {}
        self.stemmer = snowballstemmer.stemmer("english")
        if "dict" in options:
            logger.warning(
                "zh_search: html_search_options['dict'] (%s) is not used: Chinese search "
                "indexes every run of Chinese characters and needs no dictionary",
                options["dict"],
                type="zh_search",
                subtype="dict",
            )

    def split(self, input: str) -> list[str]:
        terms = []
        long_runs = []
        for run in [*_HAN_RUN.findall(input), *self.runs_across_markup.get(input, ())]:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
            if len(run) > 2:
                long_runs.append(run)
        if long_runs:
            terms.append(_RUNS_KEY_PREFIX + " ".join(long_runs))
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)
        return terms + latin1

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1 and not stemmed_word.isdigit() and stemmed_word not in self.stopwords


def _runs_across_markup(doctree: nodes.document) -> dict[str, list[str]]:
    """Chinese runs that inline markup cuts into several text nodes.

    Sphinx hands the search language one text node at a time, so in
    ``**前向传播**计算`` it sees 前向传播 and 计算 apart; the reader sees one
    run.  The result maps the text of the node where each such run starts to
    the runs, for :meth:`SearchChineseFixed.split`.
    """
    found: dict[str, list[str]] = {}
    for element in doctree.findall(nodes.TextElement):
        if isinstance(element.parent, nodes.TextElement) or isinstance(element, (nodes.comment, nodes.raw)):
            continue  # an inline part of a larger element, or never indexed
        texts = [text.astext() for text in element.findall(nodes.Text)]
        if len(texts) < 2:
            continue
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text)
        for match in _HAN_RUN.finditer("".join(texts)):
            first = bisect_right(starts, match.start()) - 1
            if first != bisect_right(starts, match.end() - 1) - 1:
                found.setdefault(texts[first], []).append(match.group())
    return found


def _note_runs_across_markup(app, doctree: nodes.document, docname: str) -> None:
    """Before a page is indexed, tell the search language its runs across markup.

    The HTML builder resolves each page's doctree and indexes it right after,
    so the runs noted here are those of the page indexed next.
    """
    lang = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if isinstance(lang, SearchChineseFixed):
        lang.runs_across_markup = _runs_across_markup(doctree)


def setup(app):
    app.add_search_language(SearchChineseFixed)
    app.connect("doctree-resolved", _note_runs_across_markup)
    return {
        "version": "2.0",
        # The index's keys changed (no jieba segments): an environment or a
        # searchindex.js written before is rebuilt rather than merged, since
        # its stale words would hide the partial matches longer queries need.
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
