"""Show each tutorial step as a diff from the step before it.

Usage in ``conf.py``::

    extensions = ["sphinx_gallery.gen_gallery", "sphinxext.tutorial.includenodoc", "sphinxext.tutorial.example_diff"]
    # A module holding PREVIOUS (and, optionally, WHAT_IT_BUYS): an importable
    # name, or a .py file relative to the source directory.
    example_diff_steps = "sphinxext.tutorial.tutorial_order"

and, on a narrative page, a new option of ``includenodoc``::

    .. includenodoc:: /beginner/examples_autograd/two_layer_net_autograd.py
       :diff: /beginner/examples_tensor/two_layer_net_tensor.py

``PREVIOUS`` maps an example's file name to the file name of its previous
step, in any of sphinx-gallery's ``examples_dirs``.  ``WHAT_IT_BUYS`` maps an
example's file name to ``(anchor, sentence)``: the sentence shown above its
diff, whose ``%(removed)d``/``%(added)d`` placeholders are the code lines the
whole diff removes and adds, and ``%(block_removed)d``/``%(block_added)d``
those of the one change that adds the line containing ``anchor``.  Blank lines
are not counted.  Sentences are translated through the ``sphinx`` catalog.

Each example page with a previous step gets, after its introduction, a
"What changed from <previous title>" block: the sentence, a unified diff of
the *code* (module, class and function docstrings, text cells and comments
left out, and a line saying so), and a ``<details>`` with the full diff,
comments included.  Both are computed at build time from the two sources
(``includenodoc``'s view of them: sphinx-gallery ignore blocks never show).

With ``:diff:``, ``includenodoc`` puts the same block in a ``<details>``
right before the full code; opening it hides the full code (CSS, no script).

Warnings (type ``example_diff``), each naming a file and line: a declared
example or previous step that is in no ``examples_dirs`` (``missing``), an
example or previous step that does not parse (``syntax``), an ``anchor``
found in no added line (``anchor``), and two programs whose code is
identical (``empty``); on example pages they point at the example's
``PREVIOUS`` entry, on the narrative page at the directive.  A ``:diff:``
file that does not exist or does not parse is ``includenodoc.missing`` or
``includenodoc.syntax``, and the full code is still shown.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import posixpath
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation
from sphinx.util import logging

from sphinxext.core.examplepaths import gallery_folders, source_of
from sphinxext.tutorial._codediff import Counts, code_only, count, title_of, unified
from sphinxext.tutorial._scripts import read_code

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)
_ = get_translation("sphinx")

TITLE = "What changed from %(title)s"
TOGGLE = "Show only what changed from the previous step"
NOTE = (
    "Only the code is compared: docstrings, text cells and comments are left out."
)
FULL = "Full diff, comments included"
GENERIC = "This step removes %(removed)d lines of code and adds %(added)d."

_LITERAL = re.compile(r"``(.+?)``")


# -- Nodes -----------------------------------------------------------------------


class details(nodes.General, nodes.Element):
    """An HTML ``<details>`` element; other builders show its content."""


class summary(nodes.General, nodes.TextElement):
    """The ``<summary>`` of a :class:`details` node."""


def _visit_details_html(self: Any, node: details) -> None:
    self.body.append(self.starttag(node, "details"))


def _depart_details_html(self: Any, node: details) -> None:
    self.body.append("</details>\n")


def _visit_summary_html(self: Any, node: summary) -> None:
    self.body.append(self.starttag(node, "summary", suffix=""))


def _depart_summary_html(self: Any, node: summary) -> None:
    self.body.append("</summary>\n")


def _visit_plain(self: Any, node: nodes.Element) -> None:
    pass


def _with_literals(text: str) -> list[nodes.Node]:
    """Text nodes, with ````code```` spans as inline literals."""
    parts = _LITERAL.split(text)
    result: list[nodes.Node] = []
    for index, part in enumerate(parts):
        if index % 2:
            result.append(nodes.literal(part, part))
        elif part:
            result.append(nodes.Text(part))
    return result


@dataclass
class Step:
    """Everything one diff block shows."""

    old_code: str  # includenodoc's view of the previous script
    new_code: str
    old_name: str  # file names for the diff headers
    new_name: str
    title: str  # the previous step's title, from its docstring
    old_docname: str | None  # its page, when the project has one
    sentence: tuple[str | None, str | None]  # (anchor, English message)


def diff_block(step: Step, docname: str) -> tuple[nodes.container, Counts, bool]:
    """The "What changed" block, the code-only counts, and whether the anchor matched."""
    old_only, new_only = code_only(step.old_code), code_only(step.new_code)
    anchor, message = step.sentence
    counts, found = count(old_only, new_only, anchor)
    block = nodes.container(classes=["example-diff"])

    heading = nodes.paragraph(classes=["example-diff-title"])
    before, _middle, after = str(_(TITLE)).partition("%(title)s")
    strong = nodes.strong()
    strong += nodes.Text(before)
    if step.old_docname is not None:
        ref = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype="doc",
            reftarget="/" + step.old_docname,
            refexplicit=False,
            refwarn=True,
            refdoc=docname,
        )
        ref += nodes.inline(step.title, step.title)
        strong += ref
    else:
        strong += nodes.Text(step.title)
    strong += nodes.Text(after)
    heading += strong
    block += heading

    text = str(_(message if message and found else GENERIC)) % vars(counts)
    block += nodes.paragraph("", "", *_with_literals(text), classes=["example-diff-summary"])
    block += nodes.paragraph("", str(_(NOTE)), classes=["example-diff-note"])

    diff = "\n".join(unified(old_only, new_only, step.old_name, step.new_name))
    block += nodes.literal_block(diff, diff, language="diff")

    full = details(classes=["example-diff-full"])
    full += summary("", str(_(FULL)))
    whole = "\n".join(unified(step.old_code, step.new_code, step.old_name, step.new_name))
    full += nodes.literal_block(whole, whole, language="diff")
    block += full

    for node in block.findall(nodes.Element):
        node["translatable"] = False
    return block, counts, found


def toggle(block: nodes.container) -> details:
    """Wrap a diff block in the narrative page's show-the-changes toggle."""
    node = details(classes=["example-diff-toggle"])
    node += summary("", str(_(TOGGLE)), translatable=False)
    node += block
    return node


# -- The steps: PREVIOUS and WHAT_IT_BUYS ------------------------------------------


def _steps_module(env: BuildEnvironment) -> Any | None:
    name = env.config.example_diff_steps
    if not name:
        return None
    if not name.endswith(".py"):
        return importlib.import_module(name)
    path = Path(env.srcdir, name)  # a file beside conf.py: no sys.path needed
    key = (path, path.stat().st_mtime_ns)
    if key not in _STEP_FILES:
        spec = importlib.util.spec_from_file_location(f"example_diff_steps.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _STEP_FILES[key] = module
    return _STEP_FILES[key]


#: Step modules read from a file, by path and modification time.
_STEP_FILES: dict[tuple[Path, int], Any] = {}


def previous_steps(env: BuildEnvironment) -> dict[str, str]:
    module = _steps_module(env)
    return dict(getattr(module, "PREVIOUS", {})) if module else {}


def sentence_for(env: BuildEnvironment, name: str, previous: str) -> tuple[str | None, str | None]:
    """``(anchor, message)`` for ``name`` when ``previous`` is its declared step.

    The current page is rebuilt when the steps module changes.
    """
    module = _steps_module(env)
    path = inspect.getsourcefile(module) if module else None
    if path:
        env.note_dependency(path)
    if module is None or getattr(module, "PREVIOUS", {}).get(name) != previous:
        return None, None
    return getattr(module, "WHAT_IT_BUYS", {}).get(name, (None, None))


def _entry_location(env: BuildEnvironment, name: str) -> str:
    """``file:line`` of ``name``'s entry in the steps module's PREVIOUS."""
    module = _steps_module(env)
    path = inspect.getsourcefile(module) if module else None
    if not path:
        return env.config.example_diff_steps
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key in node.keys:
                if isinstance(key, ast.Constant) and key.value == name:
                    return f"{path}:{key.lineno}"
    return f"{path}:1"


def find_example(env: BuildEnvironment, name: str) -> tuple[str, str] | None:
    """``(source path, docname)`` of example ``name``, srcdir-relative."""
    for examples_dir, gallery_dir in gallery_folders(env.config):
        if Path(env.srcdir, examples_dir, name).is_file():
            stem = posixpath.splitext(name)[0]
            return posixpath.join(examples_dir, name), posixpath.join(gallery_dir, stem)
    return None


def check_steps(app: Sphinx) -> None:
    """Warn about every PREVIOUS entry naming an example that does not exist."""
    env = app.env
    for name, previous in previous_steps(env).items():
        for missing in (name, previous):
            if find_example(env, missing) is None:
                logger.warning(
                    "example %s not found in any examples_dirs", missing,
                    location=_entry_location(env, name),
                    type="example_diff", subtype="missing",
                )


def _insertion_point(section: nodes.section) -> int:
    """Index in ``section`` after its title and introduction."""
    for index, child in enumerate(section.children):
        if isinstance(child, nodes.comment) and child.astext().startswith("GENERATED FROM"):
            return index
        if isinstance(child, (nodes.literal_block, nodes.section)):
            return index
    return len(section.children)


def add_to_example_page(app: Sphinx, doctree: nodes.document) -> None:
    """Put the "What changed" block near the top of an example page."""
    env = app.env
    docname = env.docname
    source_rel, gallery_dir = source_of(env.config, docname + ".py")
    if gallery_dir is None:
        return
    name = posixpath.basename(source_rel)
    previous = previous_steps(env).get(name)
    found = find_example(env, previous) if previous else None
    if previous is None or found is None or not Path(env.srcdir, source_rel).is_file():
        return  # no step declared, or check_steps has warned
    old_rel, old_docname = found
    old_path, new_path = Path(env.srcdir, old_rel), Path(env.srcdir, source_rel)
    env.note_dependency(old_path)
    env.note_dependency(new_path)
    location = _entry_location(env, name)
    try:
        old_code, new_code = read_code(old_path), read_code(new_path)
    except (SyntaxError, ValueError, tokenize.TokenError) as exc:
        logger.warning("cannot parse %s or %s: %s", old_rel, source_rel, exc,
                       location=location, type="example_diff", subtype="syntax")
        return
    step = Step(
        old_code, new_code, previous, name,
        title_of(old_path.read_text(encoding="utf-8"), previous),
        old_docname if old_docname in env.found_docs else None,
        sentence_for(env, name, previous),
    )
    block = warn_and_build(step, docname, location)
    section = next(iter(doctree.findall(nodes.section)), None)
    if block is None or section is None:
        return
    section.insert(_insertion_point(section), block)


def warn_and_build(step: Step, docname: str, location: Any) -> nodes.container | None:
    """Build the block, warning when its code diff is empty or its anchor is missing."""
    block, counts, found = diff_block(step, docname)
    if not counts.removed and not counts.added:
        logger.warning("no code changed from %s to %s", step.old_name, step.new_name,
                       location=location, type="example_diff", subtype="empty")
        return None
    if not found:
        logger.warning("%r is in no line that %s adds to %s", step.sentence[0],
                       step.new_name, step.old_name,
                       location=location, type="example_diff", subtype="anchor")
    return block


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("example_diff_steps", "", "env", str)
    text_like = (_visit_plain, _visit_plain)
    app.add_node(
        details,
        html=(_visit_details_html, _depart_details_html),
        latex=text_like, text=text_like, man=text_like, texinfo=text_like,
    )
    app.add_node(
        summary,
        html=(_visit_summary_html, _depart_summary_html),
        latex=text_like, text=text_like, man=text_like, texinfo=text_like,
    )
    app.connect("builder-inited", check_steps)
    app.connect("doctree-read", add_to_example_page)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
