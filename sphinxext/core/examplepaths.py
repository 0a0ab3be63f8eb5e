"""sphinx-gallery's naming conventions, stated once for every extension here.

sphinx-gallery copies ``<examples_dir>/NAME.py`` to ``<gallery_dir>/NAME.py``
and writes ``<gallery_dir>/NAME.rst`` next to it.  Pages name the published
path (``/beginner/examples_tensor/NAME.py``); the directives read the source,
so they work before, and without, the generated copy.

Each rule that sphinx-gallery applies and that we must apply too has one
function here, and every caller uses it:

* gallery source <-> generated folder: :func:`gallery_folders`,
  :func:`source_of`, :func:`generated_files`;
* image and thumbnail file names: :func:`image_name`, :func:`image_files`,
  :func:`thumbnail_name`;
* an example page's reference label, with docutils' one normalisation:
  :func:`reference_label`;
* the md5 staleness rule: :func:`md5_file`, :func:`is_up_to_date`,
  :func:`forget_run`;
* the run-time sentence at the end of each page: :func:`parse_run_time`.

``tests/test_example_runner.py::test_sphinx_gallery_naming_conventions`` builds a
page with sphinx-gallery itself and fails, naming the rule, if an upgrade
changes one of them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx_gallery.utils import get_md5sum

#: Files sphinx-gallery (and loss_curves, and provenance) generate beside
#: ``<gallery_dir>/NAME.py``, as suffixes of ``NAME``.
GENERATED_SUFFIXES = (
    ".py",
    ".py.md5",
    ".rst",
    ".ipynb",
    ".zip",
    ".codeobj.json",
    ".json",
    ".losses.json",
    ".cost.json",
    ".provenance.json",
)


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


def image_name(stem: str, number: int, ext: str = "png") -> str:
    """File name, in ``<gallery_dir>/images/``, of an example's ``number``-th figure."""
    return f"sphx_glr_{stem}_{number:03}.{ext}"


def image_files(images_dir: Path, stem: str) -> list[Path]:
    """Every figure file of example ``stem`` in ``images_dir``, high-resolution copies included.

    :func:`image_name`'s files, and for each factor of ``image_srcset`` a copy
    named with the factor: ``sphx_glr_NAME_001_2_00x.png`` for ``"2x"``
    (sphinx-gallery's ``scrapers.save_figures``).
    """
    patterns = (f"sphx_glr_{stem}_[0-9][0-9][0-9].*", f"sphx_glr_{stem}_[0-9][0-9][0-9]_*_[0-9][0-9]x.*")
    return sorted({path for pattern in patterns for path in Path(images_dir).glob(pattern)})


def thumbnail_name(stem: str, ext: str = "png") -> str:
    """File name, in ``<gallery_dir>/images/thumb/``, of an example's thumbnail."""
    return f"sphx_glr_{stem}_thumb.{ext}"


def generated_files(target_dir: Path, stem: str) -> list[Path]:
    """Every file that generating example ``stem`` into ``target_dir`` leaves there."""
    target_dir = Path(target_dir)
    files = [target_dir / (stem + suffix) for suffix in GENERATED_SUFFIXES]
    files += image_files(target_dir / "images", stem)
    files += sorted((target_dir / "images" / "thumb").glob(f"sphx_glr_{stem}_thumb.*"))
    return [path for path in files if path.exists()]


def reference_label(page: str) -> str:
    """The label of the example page ``page`` (srcdir-relative, with or without ``.py``).

    sphinx-gallery writes ``.. _sphx_glr_<path with / as _>:``; docutils
    normalises it (lower case) when it registers it.
    """
    if not page.endswith(".py"):
        page += ".py"
    return nodes.fully_normalize_name("sphx_glr_" + page.replace("/", "_"))


def md5_file(target_file: str | Path) -> Path:
    """Where sphinx-gallery keeps the checksum of the last successful run."""
    return Path(f"{target_file}.md5")


def is_up_to_date(src_file: str | Path, target_file: str | Path) -> bool:
    """sphinx-gallery's staleness rule: skip running an example when this is true.

    True when ``<target_file>.md5`` holds the text-mode md5 of the source, that
    is, the source has not changed since it last ran successfully.
    """
    md5 = md5_file(target_file)
    return md5.is_file() and md5.read_text() == get_md5sum(src_file, mode="t")


def forget_run(target_file: str | Path) -> None:
    """Make sphinx-gallery run the example again on the next build."""
    md5_file(target_file).unlink(missing_ok=True)


#: sphinx-gallery's run-time sentence, "(0 minutes 1.234 seconds)".
_RUN_TIME = re.compile(r"\(\s*(\d+)\s+minutes\s+([\d.]+)\s+seconds\)")


def parse_run_time(text: str) -> tuple[str, str] | None:
    """``(minutes, seconds)`` as written in sphinx-gallery's run-time sentence."""
    found = _RUN_TIME.search(text)
    return (found.group(1), found.group(2)) if found else None


def phone_rendering(image: Path) -> Path:
    """Where a phone-sized rendering of ``image`` lives: ``NAME.phone.png`` beside it.

    ``loss_curves`` writes one for its chart; ``html_hygiene`` offers any it
    finds to narrow screens.
    """
    return image.with_suffix(".phone" + image.suffix)


# -- A build's examples and their downloads -------------------------------------

#: Where the translated downloads go, under the source folder.
OUTPUT = Path("_generated")


def is_translated_build(config: Any) -> bool:
    """Whether this build is in a language other than English, the source's."""
    return bool(config.language) and config.language != "en"


@dataclass
class Example:
    docname: str  # <gallery_dir>/NAME
    copy: Path  # the English download sphinx-gallery wrote
    source: str  # the source it was copied from, srcdir-relative


def examples_of(config: Any, srcdir: str | Path) -> dict[str, list[Example]]:
    """Each gallery folder's examples that have English downloads."""
    galleries = {}
    for _, gallery_dir in gallery_folders(config):
        folder = Path(srcdir, gallery_dir)
        found = []
        for copy in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            if not copy.with_suffix(".ipynb").is_file():
                continue
            docname = f"{gallery_dir}/{copy.stem}"
            found.append(Example(docname, copy, source_of(config, docname + ".py")[0]))
        galleries[gallery_dir] = found
    return galleries
