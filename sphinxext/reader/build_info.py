"""The "About this build" page: the build's environment and the commit it came from.

Usage in ``conf.py``::

    extensions = ["sphinxext.execution.provenance", "sphinxext.reader.build_info"]

and in reST::

    .. build-environment::

renders a list: the date of the build (UTC); the commit (``git rev-parse
HEAD`` in the source folder at build time, with its commit date and "with
uncommitted changes" when tracked files differ from it, or a sentence saying
the site was not built from a git checkout), linked to the commit's page when
the repository is on GitHub (``GITHUB_SERVER_URL`` and ``GITHUB_REPOSITORY``
in GitHub Actions, else the ``origin`` remote); the device the examples run
on, with the machine's logical CPUs and architecture; the threads each
example runs with; the operating system and memory; and the Python, PyTorch,
TensorFlow, NumPy and Matplotlib versions: the environment ``provenance``
fingerprints.  They are saved to ``_generated/build.json`` with every build
(rewritten only when they changed, so at most once a day for the date),
which the page depends on.  Labels and sentences are translated through the
``sphinx`` catalog.
"""

import datetime
import json
import os
import platform
import re
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective

from sphinxext.execution.provenance import cpu_model, describe_device, fingerprint

__version__ = "1.1"

_ = get_translation("sphinx")

#: The build's environment and commit, for the About page.
BUILD_FILE = Path("_generated") / "build.json"


def _git(srcdir, *args):
    return subprocess.run(
        ["git", *args], cwd=srcdir, capture_output=True, text=True, timeout=30, check=True,
    ).stdout.strip()


#: A GitHub remote, over HTTPS (with or without credentials) or SSH.
_GITHUB_REMOTE = re.compile(
    r"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$"
)


def repository_url(srcdir):
    """The web address of the repository on GitHub, or None when unknown.

    GitHub Actions names it (``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY``);
    elsewhere the ``origin`` remote does, when it is on github.com.
    """
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    if server and repository:
        return f"{server.rstrip('/')}/{repository}"
    try:
        remote = _git(srcdir, "remote", "get-url", "origin")
    except (OSError, subprocess.SubprocessError):
        return None
    found = _GITHUB_REMOTE.match(remote)
    return f"https://github.com/{found['repo']}" if found else None


def git_commit(srcdir):
    """The checkout ``srcdir`` is in: sha, dirty, commit date and web page; None without git."""
    try:
        sha = _git(srcdir, "rev-parse", "HEAD")
        status = _git(srcdir, "status", "--porcelain", "--untracked-files=no")
        date = _git(srcdir, "log", "-1", "--format=%cs", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return None
    if not sha:
        return None
    url = repository_url(srcdir)
    return {
        "sha": sha,
        "dirty": bool(status),
        "date": date,
        "url": f"{url}/commit/{sha}" if url else None,
    }


def _memory_gib():
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _operating_system():
    try:
        return platform.freedesktop_os_release()["PRETTY_NAME"]
    except (OSError, KeyError):
        return platform.platform(terse=True)


def machine():
    """The machine the build runs on, as readers of run times need it."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu_model(),
        "cpus": cpus,
        "arch": platform.machine(),
        "os": _operating_system(),
        "memory_gib": _memory_gib(),
    }


def write_build_info(app):
    """Save this build's date, environment and commit (after provenance's check)."""
    current = getattr(app, "provenance_fingerprint", None) or fingerprint()
    info = {
        "built": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "environment": current,
        "machine": machine(),
        "commit": git_commit(app.srcdir),
    }
    path = Path(app.srcdir, BUILD_FILE)
    text = json.dumps(info, indent=1, sort_keys=True)
    # Rewritten only when it changed, so a no-op rebuild re-reads nothing.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _cpu(machine):
    message = (
        _("{model}, 1 logical CPU, {arch}") if machine["cpus"] == 1
        else _("{model}, {cpus} logical CPUs, {arch}")
    )
    return message.format(model=machine["cpu"], cpus=machine["cpus"], arch=machine["arch"])


class BuildEnvironment(SphinxDirective):
    """``.. build-environment::``: the build's environment and commit."""

    def run(self):
        path = Path(self.env.srcdir, BUILD_FILE)
        self.env.note_dependency(str(path))
        info = json.loads(path.read_text(encoding="utf-8"))
        env, host = info["environment"], info["machine"]
        device = env["device"]
        rows = [
            (_("Built on"), _("{date} (UTC)").format(date=info["built"])),
            (_("Commit"), self._commit(info["commit"])),
        ]
        if device.get("kind") == "cuda":
            rows += [(_("Device"), describe_device(device)), ("CPU", _cpu(host))]
        else:
            rows.append((_("Device"), _("CPU: {cpu}").format(cpu=_cpu(host))))
        rows += [
            # Said once here; the example pages' lines name no thread count.
            (_("Threads"), _(
                "1 per example: the build pins each example's thread pools to one "
                "thread, unless its code sets another count and names it beside "
                "the figures it measures"
            )),
            (_("Operating system"), host["os"]),
        ]
        if host.get("memory_gib"):
            rows.append((_("Memory"), _("{gib} GiB").format(gib=host["memory_gib"])))
        rows += [
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
            if isinstance(value, nodes.Node):
                body += value
            else:
                body += nodes.paragraph(text=value, translatable=False)
            fields += nodes.field("", label, body)
        return [fields]

    @staticmethod
    def _commit(commit):
        if commit is None:
            return _("unknown: this site was not built from a git checkout")
        message = (
            _("{sha}, with uncommitted changes") if commit["dirty"]
            else _("{sha}, committed on {date}")
        )
        before, _sha, after = message.partition("{sha}")
        sha = commit["sha"]
        paragraph = nodes.paragraph(translatable=False)
        paragraph += nodes.Text(before)
        if commit.get("url"):
            paragraph += nodes.reference(sha, sha, refuri=commit["url"])
        else:
            paragraph += nodes.Text(sha)
        paragraph += nodes.Text(after.format(date=commit.get("date", "")))
        return paragraph


def setup(app):
    app.setup_extension("sphinxext.execution.provenance")
    # After provenance's cache check (450), which reads the environment.
    app.connect("builder-inited", write_build_info, priority=460)
    app.add_directive("build-environment", BuildEnvironment)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
