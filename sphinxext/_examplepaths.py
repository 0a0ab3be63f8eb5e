"""Map a published gallery path to the example script it is generated from.

sphinx-gallery copies ``<examples_dir>/NAME.py`` to ``<gallery_dir>/NAME.py``
and writes ``<gallery_dir>/NAME.rst`` next to it.  Pages name the published
path (``/beginner/examples_tensor/NAME.py``); the directives read the source,
so they work before, and without, the generated copy.
"""

from __future__ import annotations

import posixpath
from typing import Any


def gallery_folders(config: Any) -> list[tuple[str, str]]:
    """Return ``(examples_dir, gallery_dir)`` pairs, normalised, srcdir-relative."""
    conf = config.sphinx_gallery_conf if "sphinx_gallery_conf" in config else {}
    examples_dirs = conf.get("examples_dirs") or []
    gallery_dirs = conf.get("gallery_dirs") or []
    if isinstance(examples_dirs, str):
        examples_dirs = [examples_dirs]
    if isinstance(gallery_dirs, str):
        gallery_dirs = [gallery_dirs]
    return [
        (posixpath.normpath(src), posixpath.normpath(out))
        for src, out in zip(examples_dirs, gallery_dirs, strict=False)
    ]


def source_of(config: Any, rel_path: str) -> tuple[str, str | None]:
    """Return ``(source path, gallery_dir)`` for the srcdir-relative ``rel_path``.

    ``gallery_dir`` is None, and the path comes back unchanged, when
    ``rel_path`` is not inside one of sphinx-gallery's ``gallery_dirs``.
    """
    for examples_dir, gallery_dir in gallery_folders(config):
        inner = posixpath.relpath(rel_path, gallery_dir)
        if inner != ".." and not inner.startswith("../"):
            return posixpath.join(examples_dir, inner), gallery_dir
    return rel_path, None
