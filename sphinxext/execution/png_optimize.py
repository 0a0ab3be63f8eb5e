"""Optimise the PNGs of every example that ran, with oxipng from PyPI.

Usage in ``conf.py``::

    extensions = [
        "sphinx_gallery.gen_gallery",
        "sphinxext.execution.example_runner",
        "sphinxext.execution.png_optimize",
    ]
    # oxipng's preset, 0 (fastest) to 6 (smallest); 2 is oxipng's own default.
    png_optimize_level = 1

sphinx-gallery's own ``compress_images`` runs the ``optipng`` program, a
system package: without it the build warns, and with it the files depend on
the machine's version.  This extension takes its place with ``pyoxipng``, a
wheel in the project's requirements, so every machine, with root or without,
writes the same bytes.  oxipng is lossless: the pixels stay those matplotlib
drew.

When an example runs (``example_runner``'s ``example-generated`` event with
``passing`` in its result), its figures, their ``image_srcset`` copies and its
thumbnail (``_examplepaths`` names them) are optimised in place, before any
page is written.  An example that did not run keeps the files optimised when
it last ran.  A file oxipng cannot read is a warning naming it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from sphinxext.core.examplepaths import image_files, thumbnail_name

__version__ = "1.0"

logger = logging.getLogger(__name__)


def example_pngs(target_file: Path) -> list[Path]:
    """The PNG files that generating ``target_file`` (a gallery's copy of an example) wrote."""
    images = target_file.parent / "images"
    files = image_files(images, target_file.stem)
    files.append(images / "thumb" / thumbnail_name(target_file.stem))
    return [path for path in files if path.suffix == ".png" and path.is_file()]


def optimise(path: Path, level: int) -> None:
    """Optimise one PNG in place (lossless), or warn naming it."""
    import oxipng

    try:
        oxipng.optimize(path, level=level)
    except oxipng.PngError as exc:
        logger.warning(
            "%s could not be optimised: %s", path.name, exc,
            location=str(path), type="png_optimize", subtype="png",
        )


def optimise_example(app: Sphinx, src_file: Path, target_file: Path, result) -> None:
    out_vars = result[3]
    if "passing" not in out_vars:
        return
    for path in example_pngs(Path(target_file)):
        optimise(path, app.config.png_optimize_level)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxext.execution.example_runner")
    app.add_config_value("png_optimize_level", 2, "env", types=[int])
    app.connect("example-generated", optimise_example)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
