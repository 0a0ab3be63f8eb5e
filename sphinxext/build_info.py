"""The "About this build" page: the build's environment and the commit it came from.

Usage in ``conf.py``::

    extensions = ["provenance", "build_info"]

and in reST::

    .. build-environment::

renders a list: the commit (``git rev-parse HEAD`` in the source folder at
build time, "with uncommitted changes" when tracked files differ from it, or
a sentence saying the site was not built from a git checkout), the device the
examples run on and the Python, PyTorch, TensorFlow, NumPy and Matplotlib
versions: the environment ``provenance`` fingerprints.  They are saved to
``_generated/build.json`` with every build (rewritten only when they
changed), which the page depends on.  Labels and sentences are translated
through the ``sphinx`` catalog.
"""

import json
import subprocess
from pathlib import Path

from docutils import nodes
from provenance import describe_device, fingerprint
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

__version__ = "1.0"

_ = get_translation("sphinx")

#: The build's environment and commit, for the About page.
BUILD_FILE = Path("_generated") / "build.json"


def git_commit(srcdir):
    """(sha, dirty) of the checkout ``srcdir`` is in, or None without git."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=srcdir, capture_output=True,
            text=True, timeout=30, check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=srcdir,
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"sha": sha, "dirty": bool(status)} if sha else None


def write_build_info(app):
    """Save this build's environment and commit (after provenance's check)."""
    current = getattr(app, "provenance_fingerprint", None) or fingerprint()
    info = {"environment": current, "commit": git_commit(app.srcdir)}
    path = Path(app.srcdir, BUILD_FILE)
    text = json.dumps(info, indent=1, sort_keys=True)
    # Rewritten only when it changed, so a no-op rebuild re-reads nothing.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


class BuildEnvironment(SphinxDirective):
    """``.. build-environment::``: the build's environment and commit."""

    def run(self):
        path = Path(self.env.srcdir, BUILD_FILE)
        self.env.note_dependency(str(path))
        info = json.loads(path.read_text(encoding="utf-8"))
        env, commit = info["environment"], info["commit"]
        rows = [
            (_("Commit"), self._commit(commit)),
            (_("Device"), describe_device(env["device"])),
            ("Python", env["python"]),
            ("PyTorch", env["torch"]),
            ("TensorFlow", env["tensorflow"] or _("not installed")),
            ("NumPy", env["numpy"]),
            ("Matplotlib", env["matplotlib"]),
        ]
        fields = nodes.field_list(classes=["build-environment"])
        for name, value in rows:
            # Already in the build's language: no message for the catalogs.
            label = nodes.field_name(text=name, translatable=False)
            body = nodes.field_body()
            body += nodes.paragraph(text=value, translatable=False)
            fields += nodes.field("", label, body)
        return [fields]

    @staticmethod
    def _commit(commit):
        if commit is None:
            return _("unknown: this site was not built from a git checkout")
        if commit["dirty"]:
            return _("{sha}, with uncommitted changes").format(sha=commit["sha"])
        return commit["sha"]


def setup(app):
    app.setup_extension("provenance")
    # After provenance's cache check (450), which reads the environment.
    app.connect("builder-inited", write_build_info, priority=460)
    app.add_directive("build-environment", BuildEnvironment)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
