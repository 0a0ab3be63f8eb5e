"""Tests for sphinxext/zh_search.py: Chinese full-text search on Sphinx 9.0.

The browser side (the search page finishing and listing pages) is tested on
the real site in test_browser.py; these tests check what the build writes.
"""

import json
import re
import shutil
import subprocess
import sys

import pytest
from sphinx.errors import ExtensionError
from zh_search import SearchChineseFixed


def search_index(app):
    text = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"\s*Search\.setIndex\((.*)\)\s*", text, re.DOTALL)
    assert match
    return json.loads(match.group(1))


def docs_of(index, word):
    docs = set()
    for section in ("terms", "titleterms"):
        found = index[section].get(word, [])
        docs |= {found} if isinstance(found, int) else set(found)
    return docs


@pytest.mark.sphinx("html", testroot="zh-search")
def test_chinese_words_are_indexed(app, warnings_of):
    app.build()
    assert warnings_of(app) == []
    index = search_index(app)
    page = index["docnames"].index("index")
    for word in ["张量", "梯度", "数组", "反向", "传播", "自动", "求导"]:
        assert page in docs_of(index, word), word
    # English words in Chinese text are indexed (stemmed) as before.
    assert page in docs_of(index, "backpropag")
    # jieba also yields runs of spaces and punctuation: none is a term.
    junk = [t for t in [*index["terms"], *index["titleterms"]] if not re.search(r"\w", t)]
    assert junk == []
    assert "Chinese" in app.builder.indexer.label()


@pytest.mark.sphinx("html", testroot="zh-search")
def test_the_stemmer_the_search_page_uses_exists(app):
    app.build()
    js = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    # Sphinx 9.0 writes ``window.Stemmer = ChineseStemmer;``, a class that
    # english-stemmer.js does not define (sphinx-doc/sphinx#14229).
    assert "ChineseStemmer" not in js
    assert "var EnglishStemmer" in js
    assert js.rstrip().endswith("window.Stemmer = EnglishStemmer;")
    assert re.search(r"\bBaseStemmer\s*=", js)


@pytest.mark.sphinx("html", testroot="zh-search")
def test_the_stemmer_runs_in_javascript(app):
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js (test_browser.py runs the search page itself)")
    app.build()
    js = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    script = (
        "globalThis.window = globalThis;\n" + js + "\n"
        "const stemmer = new Stemmer();\n"
        "console.log(JSON.stringify(['张量', 'gradients'].map(w => stemmer.stemWord(w))));"
    )
    result = subprocess.run([node], check=False, input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Chinese words pass unchanged; English ones are stemmed like the index.
    assert json.loads(result.stdout) == ["张量", SearchChineseFixed({}).stem("gradients")]


def test_split_keeps_words_only():
    lang = SearchChineseFixed({})
    terms = lang.split("你好，世界！ 张量 (tensor) 的梯度。")
    assert "张量" in terms and "梯度" in terms and "tensor" in terms
    assert all(re.search(r"\w", term) for term in terms), terms
    assert lang.word_filter("张量")
    assert not lang.word_filter("的")  # a single character
    assert not lang.word_filter("the")  # an English stop word
    assert not lang.word_filter("2024")


@pytest.mark.sphinx("html", testroot="zh-search", freshenv=True)
def test_chinese_build_without_jieba_stops(make_app, app_params, monkeypatch):
    # ``import jieba`` raises ImportError while sys.modules holds None.
    monkeypatch.setitem(sys.modules, "jieba", None)
    args, kwargs = app_params
    with pytest.raises(ExtensionError, match="jieba"):
        make_app(*args, **kwargs)


@pytest.mark.sphinx("html", testroot="zh-search", confoverrides={"language": "en"}, freshenv=True)
def test_english_build_does_not_need_jieba(make_app, app_params, monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    assert (app.outdir / "searchindex.js").is_file()
