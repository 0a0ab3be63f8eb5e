"""Working full-text search for Chinese (``zh``, ``zh_CN``, ``zh_TW``) builds.

Sphinx 9.0's Chinese search is broken in two ways:

* The search page never finishes ("Searching..." forever).  Chinese reuses
  the English snowball stemmer (``english-stemmer.js``), but Sphinx names the
  JavaScript class after the language, so ``language_data.js`` ends with
  ``window.Stemmer = ChineseStemmer;`` and the browser stops with
  ``ReferenceError: ChineseStemmer is not defined``
  (https://github.com/sphinx-doc/sphinx/issues/14229, fixed upstream by
  sphinx-doc/sphinx#14416 only in releases that need Python 3.12).
* Without jieba, ``sphinx.search.zh`` silently replaces the word segmenter
  by one that yields nothing, so no Chinese word reaches the search index.

This extension registers a corrected :class:`~sphinx.search.SearchLanguage`
for ``zh`` through :meth:`~sphinx.application.Sphinx.add_search_language`:
it embeds the English stemmer under its real class name, segments text with
jieba itself, and stops a Chinese build with an error when jieba is missing.
English (and other) builds are unaffected and do not need jieba.

Usage, in ``conf.py`` (with this file on ``sys.path``)::

    extensions = [
        ...,
        "zh_search",
    ]

then build with ``-D language=zh_CN`` (or set ``html_search_language = "zh"``).
``html_search_options = {"dict": "path/to/userdict.txt"}`` still loads a jieba
user dictionary, as with Sphinx's own Chinese support.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import sphinx.search
from sphinx.errors import ExtensionError
from sphinx.search.zh import SearchChinese

#: Sphinx's bundled, minified snowball stemmers (the files ``language_data.js``
#: is assembled from).
_MINIFIED_JS = Path(sphinx.search.__file__).parent / "minified-js"

#: A token worth indexing has at least one letter or digit; jieba also yields
#: runs of spaces and punctuation.
_WORDLIKE = re.compile(r"\w")


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


class SearchChineseFixed(SearchChinese):
    """:class:`sphinx.search.zh.SearchChinese` with a working browser side.

    ``js_stemmer_rawcode`` is emptied so that Sphinx embeds
    ``js_stemmer_code`` (the same English stemmer, correctly exported) in
    ``language_data.js`` instead of generating the broken assignment.
    """

    js_stemmer_rawcode = ""
    js_stemmer_code = _stemmer_js(SearchChinese.js_stemmer_rawcode)

    def __init__(self, options: dict[str, str]) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." chatter
        self._cut_for_search = jieba.cut_for_search
        super().__init__(options)

    def split(self, input: str) -> list[str]:
        chinese = [term for term in self._cut_for_search(input) if _WORDLIKE.search(term)]
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)
        return chinese + latin1

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1 and not stemmed_word.isdigit() and stemmed_word not in self.stopwords


def _require_jieba(app) -> None:
    """Fail a Chinese HTML build loudly instead of leaving Chinese out."""
    lang = app.config.html_search_language or app.config.language or ""
    if not lang.startswith("zh"):
        return
    try:
        import jieba  # noqa: F401
    except ImportError as exc:
        msg = "zh_search: Chinese search needs the 'jieba' package to split words (pip install jieba)"
        raise ExtensionError(msg) from exc


def setup(app):
    app.add_search_language(SearchChineseFixed)
    app.connect("builder-inited", _require_jieba)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
