"""The execution cache counts sphinx-gallery's version and its output-shaping configuration.

Issue 25, item 3, and issue 29, item 7: a configuration value that shapes an
example's output or its generated files (``thumbnail_size``...) runs every
example again, with a ``provenance:`` line saying which value changed; so
does another sphinx-gallery version.  A value that shapes neither runs nothing.
(``test_incremental.py`` shows that the site that follows equals a clean build,
thumbnails included.)
"""

import json
import runpy
import shutil
from importlib import metadata
from pathlib import Path

import pytest
from helpers import cache_lines, stamps

from sphinxext.execution import provenance

ROOTS = Path(__file__).parent / "roots"
#: As test-provenance's conf.py sets it.
BASE = runpy.run_path(str(ROOTS / "test-provenance" / "conf.py"))["sphinx_gallery_conf"]
#: Output-shaping values (key, new value, how the old one is written in the log).
CHANGES = [
    ("thumbnail_size", (64, 48), "null"),
    ("image_scrapers", ("sphinxext.execution.provenance.record", "matplotlib"),
     '["sphinxext.execution.provenance.record"]'),
    ("image_srcset", ["2x"], "null"),
    ("capture_repr", ("__repr__",), "null"),
    ("reset_modules_order", "both", "null"),
    ("filename_pattern", r"first", '"\\\\.py$"'),
    ("first_notebook_cell", "import numpy", "null"),
    ("line_numbers", True, "null"),
]


@pytest.fixture
def gallery(tmp_path, make_app):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-provenance", src)

    def build(**conf):
        app = make_app("html", srcdir=src, confoverrides={"sphinx_gallery_conf": {**BASE, **conf}})
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    build.src = src
    return build


def test_each_output_shaping_value_runs_every_example_again(gallery, warnings_of):
    app = gallery()
    assert warnings_of(app) == []
    conf = {}
    for key, value, before in CHANGES:
        ran = stamps(gallery.src)
        conf[key] = value
        app = gallery(**conf)
        assert warnings_of(app) == [], key
        after = json.dumps(provenance._plain(value))
        assert cache_lines(app) == [
            "provenance: discarding the cached outputs in gallery (the configuration changed:"
            f" sphinx_gallery_conf[{key!r}] {before} -> {after}); every example runs again"
        ]
        now = stamps(gallery.src)
        # filename_pattern "first": only first.py is executed from now on.
        changed = [name for name in ran if now[name] != ran[name]]
        assert changed == (["first"] if "filename_pattern" in conf else ["first", "second"]), key
        # The same configuration again: nothing runs.
        ran = now
        app = gallery(**conf)
        assert cache_lines(app) == [], key
        assert stamps(gallery.src) == ran, key


def test_values_that_shape_no_output_run_nothing(gallery):
    gallery()
    ran = stamps(gallery.src)
    app = gallery(css=[], write_computation_times=False, within_subsection_order="FileNameSortKey")
    assert cache_lines(app) == []
    assert stamps(gallery.src) == ran


def test_another_sphinx_gallery_version_runs_every_example_again(gallery):
    gallery()
    ran = stamps(gallery.src)
    store = gallery.src / "gallery" / provenance.FINGERPRINT_FILE
    stored = json.loads(store.read_text())
    version = metadata.version("sphinx-gallery")
    assert stored["sphinx_gallery"] == version
    store.write_text(json.dumps({**stored, "sphinx_gallery": "0.19.0"}))
    app = gallery()
    assert cache_lines(app) == [
        "provenance: discarding the cached outputs in gallery (the environment changed:"
        f" sphinx_gallery 0.19.0 -> {version}); every example runs again"
    ]
    assert all(stamps(gallery.src)[name] != ran[name] for name in ran)


def test_missing_configuration_record_runs_every_example_again(gallery):
    gallery()
    ran = stamps(gallery.src)
    (gallery.src / "gallery" / provenance.CONFIGURATION_FILE).unlink()
    app = gallery()
    assert cache_lines(app) == [
        "provenance: discarding the cached outputs in gallery (there is no"
        " gallery/configuration.json to say how they were configured); every example runs again"
    ]
    assert all(stamps(gallery.src)[name] != ran[name] for name in ran)
