"""Tests for sphinxext/translation/zh_search.py: Chinese full-text search on Sphinx 9.0.

These tests check what the build writes, and run the query splitter in
Node.js; the search page itself (recall and ranking on the real site) is
tested in Chromium by test_search_recall.py.
"""

import json
import re
import shutil
import subprocess
import sys

import pytest

from sphinxext.translation.zh_search import SearchChineseFixed


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
    for word in ["张量", "梯度", "数组", "反向", "传播", "自动", "求导", "优化", "化器"]:
        assert page in docs_of(index, word), word
    # Longer runs are stored whole, in keys that start with a space, where
    # the search page's partial match finds any part of three characters or more.
    long_keys = sorted(key for key in index["terms"] if key.startswith(" "))
    assert " 反向传播 沿着计算图逐层计算损失关于每个权重的梯度" in long_keys
    assert [key for key in long_keys if "前向传播计算" in key] != []
    assert [key for key in index["titleterms"] if "张量与自动求导" in key] == [" 张量与自动求导"]
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
    assert "\nwindow.Stemmer = EnglishStemmer;\n" in js
    assert re.search(r"\bBaseStemmer\s*=", js)


def run_language_data(app, script: str) -> list:
    """Build ``app``, run its ``language_data.js`` then ``script`` in Node.js;
    each line the script prints, read as JSON."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js (test_search_recall.py runs the search page itself)")
    app.build()
    js = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    script = "globalThis.window = globalThis;\n" + js + "\n" + script
    result = subprocess.run([node], check=False, input=script, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.sphinx("html", testroot="zh-search")
def test_the_stemmer_runs_in_javascript(app):
    stems, terms = run_language_data(
        app,
        "const stemmer = new Stemmer();\n"
        "console.log(JSON.stringify(['张量', 'gradients'].map(w => stemmer.stemWord(w))));\n"
        "console.log(JSON.stringify(splitQuery('GPU加速, torch.nn 模块: 优化器的学习率')));",
    )
    # Chinese words pass unchanged; English ones are stemmed like the index.
    assert stems == ["张量", SearchChineseFixed({}).stem("gradients")]
    # The query is cut as the index is: Latin words, and Chinese runs kept whole.
    assert terms == ["GPU", "加速", "torch", "nn", "模块", "优化器的学习率"]


#: A search index as the ranking reads it: page 0 has the term in its title,
#: page 1 in a section title, page 2 in its text only.
RANKING_INDEX = {
    "docnames": ["a", "b", "c"],
    "titles": ["优化器与学习率", "张量", "自动求导"],
    "alltitles": {
        "优化器与学习率": [[0, None]],
        "张量": [[1, None]],
        "用优化器训练": [[1, "train"]],
        "自动求导": [[2, None]],
    },
}


@pytest.mark.sphinx("html", testroot="zh-search")
def test_results_are_ranked_title_section_text(app):
    # Sphinx's scores before ranking: the text match scores highest.
    results = [
        ["a", "", "", None, 2, "a", "text"],
        ["b", "", "", None, 5, "b", "text"],
        ["c", "", "", None, 7, "c", "text"],
    ]
    script = (
        f"var Scorer = {{}}; var Search = {{_index: {json.dumps(RANKING_INDEX)}}};\n"
        "const scores = (query) => { splitQuery(query); "
        f"return {json.dumps(results)}.map((result) => Scorer.score(result)); }};\n"
        "console.log(JSON.stringify([scores('优化器'), scores('学习率 优化器'), scores('梯度')]));"
    )
    # Title first, then section title, then text; Sphinx's score within each.
    assert run_language_data(app, script) == [[[2002, 1005, 7], [2002, 5, 7], [2, 5, 7]]]


def test_split_keeps_words_only():
    lang = SearchChineseFixed({})
    terms = lang.split("你好，世界！ 张量 (tensor) 的梯度。GPU加速")
    assert terms == ["你好", "世界", "张量", "的梯", "梯度", "加速", " 的梯度", "tensor", "GPU"]
    assert lang.word_filter("张量")
    assert not lang.word_filter("的")  # a single character
    assert not lang.word_filter("the")  # an English stop word
    assert not lang.word_filter("2024")


@pytest.mark.sphinx("html", testroot="zh-search", freshenv=True)
def test_chinese_build_needs_no_jieba(make_app, app_params, monkeypatch, warnings_of):
    # ``import jieba`` raises ImportError while sys.modules holds None.
    monkeypatch.setitem(sys.modules, "jieba", None)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    assert warnings_of(app) == []
    assert 0 in docs_of(search_index(app), "优化")


@pytest.mark.sphinx(
    "html", testroot="zh-search", freshenv=True, confoverrides={"html_search_options": {"dict": "words.txt"}}
)
def test_a_jieba_dictionary_is_reported_unused(app, warnings_of):
    app.build()
    assert warnings_of(app) == [
        "WARNING: zh_search: html_search_options['dict'] (words.txt) is not used: Chinese search "
        "indexes every run of Chinese characters and needs no dictionary [zh_search.dict]"
    ]


@pytest.mark.sphinx("html", testroot="zh-search", confoverrides={"language": "en"}, freshenv=True)
def test_english_search_index_is_unchanged(make_app, app_params, tmp_path):
    """An English build writes the same index with or without zh_search."""
    args, kwargs = app_params
    with_extension = make_app(*args, **kwargs)
    with_extension.build()
    kwargs = {**kwargs, "confoverrides": {"language": "en", "extensions": []}}
    shutil.copytree(with_extension.srcdir, tmp_path / "plain")
    kwargs["srcdir"] = tmp_path / "plain"
    without = make_app(*args, **kwargs)
    without.build()
    assert (with_extension.outdir / "searchindex.js").read_bytes() == (without.outdir / "searchindex.js").read_bytes()
    assert "ZhSearch" not in (with_extension.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="zh-search", confoverrides={"language": "en"}, freshenv=True)
def test_english_build_does_not_need_jieba(make_app, app_params, monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)
    args, kwargs = app_params
    app = make_app(*args, **kwargs)
    app.build()
    assert (app.outdir / "searchindex.js").is_file()
