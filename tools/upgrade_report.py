"""What an upgrade check found, in words: the issue, the pull request and the record.

``tools/upgrade_check.py`` runs the check; this module only reads what the
check left behind and writes text:

* ``version_changes`` compares two sets of lock files (``name old -> new``);
* ``first_problem`` finds, in a sphinx-build log, the first warning or error
  with its ``file:line``, and the example it belongs to;
* ``issue_text`` and ``pull_request_text`` are the Markdown a maintainer reads;
* ``record`` is what ``checks/upgrade-check.json`` keeps, for the pages' "last
  checked against" line (``sphinxext/downloads/checked_against.py``).

Nothing here runs a program or touches the network.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from lock import entries, name_of

#: The lock files, as tools/lock.py writes them.
LOCKS = (
    "requirements.lock",
    "requirements-torch.lock",
    "requirements-torch-cuda.lock",
    "requirements-check.lock",
    "requirements-test.lock",
    "requirements-workflow.lock",
)
#: Bumped when the record changes shape; sphinxext/downloads/checked_against.py reads it.
RECORD_SCHEMA = 1
#: The most lines of one problem an issue quotes.
QUOTED_LINES = 30

# "path:line: WARNING: text", "path: ERROR: text", "WARNING: text" (Sphinx's log).
_PROBLEM = re.compile(
    r"^(?:(?P<file>[^\s:][^:]*?):(?P<line>\d*):?\s)?(?P<level>WARNING|ERROR|CRITICAL): (?P<text>.*)$"
)
# Where one message of the log ends: the next message, or Sphinx's own status lines.
_NEXT = re.compile(r"^(?:\S[^:]*:\d*:? )?(?:WARNING|ERROR|CRITICAL): |^(?:build |reading |writing |looking |"
                   r"generating |copying |dumping |checking |pickling |preparing |loading |updating |"
                   r"Running Sphinx|Extension error|Traceback \(most recent call last\):$)")
# example_runner's "example x/y.py failed:" and sphinx-gallery's "x/y.py unexpectedly failed".
_FAILED = re.compile(r"^(?:.*WARNING: )?(?:example )?(?P<example>\S+\.py)(?: unexpectedly)? failed\b", re.MULTILINE)


def canonical(name: str) -> str:
    """A distribution's name as indexes compare it (PEP 503): ``PyYAML`` and ``pyyaml`` are one."""
    return re.sub(r"[-_.]+", "-", name_of(name))


def pinned_versions(text: str) -> dict[tuple[str, str], str]:
    """``{(name, marker): version}`` of one lock file's entries."""
    found = {}
    for entry in entries(text):
        first = entry.splitlines()[0].rstrip(" \\")
        requirement, _, marker = first.partition(";")
        if "==" not in requirement:
            continue
        found[(canonical(requirement), marker.strip())] = requirement.split("==", 1)[1].strip()
    return found


def version_changes(old_dir: Path, new_dir: Path) -> list[tuple[str, str | None, str | None]]:
    """``(name, old, new)`` for every package whose locked versions differ, sorted by name.

    A package locked at several versions (torch: ``+cpu`` on Linux x86_64,
    PyPI's elsewhere) has them joined by ", "; ``old`` is None for a package
    the new locks add, ``new`` for one they drop.
    """
    versions = ({}, {})
    for lock in LOCKS:
        for side, folder in enumerate((old_dir, new_dir)):
            path = Path(folder, lock)
            if path.exists():
                for (name, _), version in pinned_versions(path.read_text(encoding="utf-8")).items():
                    versions[side].setdefault(name, set()).add(version)
    old, new = versions
    return [
        (name, ", ".join(sorted(old[name])) if name in old else None,
         ", ".join(sorted(new[name])) if name in new else None)
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def installed_changes(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
    """``(name, old, new)`` between two ``{name: version}`` listings of one environment."""
    return sorted(
        (name, before.get(name), after.get(name))
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
    )


@dataclass
class Problem:
    """The first warning or error of a build."""

    level: str
    text: str
    file: str | None = None
    line: int | None = None
    #: The example's source, relative to the site, when the problem is in one.
    example: str | None = None
    #: The message's lines, the first one included (a traceback for a failed example).
    details: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        if not self.file:
            return "(no location)"
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def cause(self) -> str:
        """The exception a traceback ends with (``DeprecationWarning: ...``), else the first line."""
        for line in reversed(self.details):
            if re.match(r"^[A-Za-z_][\w.]*(?:Error|Exception|Warning|Interrupt|Exit)\b", line.strip()):
                return line.strip()
        return self.text


def _relative(path: str, site: Path) -> str:
    try:
        return Path(path).resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return path


def first_problem(log: str, site: Path, examples_dirs=()) -> Problem | None:
    """The first ``WARNING``/``ERROR`` of a sphinx-build ``log`` for the sources at ``site``."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        match = _PROBLEM.match(line)
        if not match:
            continue
        details = [match["text"]]
        for following in lines[index + 1:]:
            if _NEXT.match(following) or len(details) >= QUOTED_LINES:
                break
            details.append(following)
        while details and not details[-1].strip():
            details.pop()
        file = _relative(match["file"], site) if match["file"] else None
        example = None
        named = _FAILED.search("\n".join(details))
        if named:
            example = named["example"]
        elif file and file.endswith(".py") and any(file.startswith(f"{d}/") for d in examples_dirs):
            example = file
        return Problem(
            level=match["level"], text=match["text"], file=file,
            line=int(match["line"]) if match["line"] else None, example=example, details=details,
        )
    return None


def failing_examples(log: str) -> list[str]:
    """Every example a log says failed, in order, once each."""
    found = []
    for match in _FAILED.finditer(log):
        if match["example"] not in found:
            found.append(match["example"])
    return found


# -- the texts ------------------------------------------------------------------


def changes_table(changes) -> str:
    if not changes:
        return "No locked version changed."
    rows = ["| package | before | after |", "| --- | --- | --- |"]
    for name, old, new in changes:
        rows.append(f"| {name} | {old or '(not locked)'} | {new or '(removed)'} |")
    return "\n".join(rows)


def headline_change(changes, name="torch") -> str:
    """``PyTorch 2.13.0 -> 2.14.1``, or the number of changes when torch kept its version."""
    for package, old, new in changes:
        if package == name and old and new:
            return f"PyTorch {old} -> {new}"
    return f"{len(changes)} package(s)"


def issue_text(*, against: str, problem: Problem | None, changes, log_name: str, run_url: str | None,
               failed_step: str | None = None, output_tail: str = "") -> tuple[str, str]:
    """(title, body) of the issue a failed check opens or updates."""
    title = f"Upgrade check fails against {against}"
    body = [f"The upgrade check set out to build the site against **{against}** (every example executed, "
            "an example's deprecation an error), and failed."]
    if run_url:
        body.append(f"Run: {run_url}")
    if failed_step:
        body += ["", f"The check stopped before the build: **{failed_step}** failed.", "",
                 "```", output_tail.rstrip(), "```"]
    elif problem is None:
        body += ["", f"The build failed without a warning or error in its log ({log_name}); "
                 "its last lines:", "", "```", output_tail.rstrip(), "```"]
    else:
        example = f"`{problem.example}`" if problem.example else "none (the site's own sources)"
        body += ["", f"- Example: {example}",
                 f"- First {problem.level.lower()}: `{problem.cause}`",
                 f"- At: `{problem.where}`",
                 "", f"The {problem.level.lower()} as the build log ({log_name}) gives it:", "",
                 "```", *problem.details, "```"]
    body += ["", "## The versions that changed", "", changes_table(changes), "",
             "This issue is updated by each failing check and closed by the next passing one "
             "(tools/upgrade_check.py)."]
    return title, "\n".join(body) + "\n"


def pull_request_text(*, changes, run_url: str | None) -> tuple[str, str]:
    """(title, body) of the pull request a passing check opens with the upgraded locks."""
    if changes:
        title = f"Upgrade the locked requirements: {headline_change(changes)}"
    else:
        title = "Record the upgrade check: the locks already name the newest releases"
    body = ["The scheduled upgrade check locked the newest release of every requirement and built the "
            "site with them, every example executed, with warnings as errors: it passed.",
            ""]
    if run_url:
        body += [f"Run: {run_url}", ""]
    body += ["## The versions that change", "", changes_table(changes), "",
             "`checks/upgrade-check.json` records the check, for the pages' \"last checked against\" line.",
             "", "Written by tools/upgrade_check.py."]
    return title, "\n".join(body) + "\n"


def record(*, against: str, torch: str | None, passed: bool, failing, changes, today=None) -> dict:
    """What ``checks/upgrade-check.json`` keeps of one check."""
    return {
        "schema": RECORD_SCHEMA,
        "date": (today or datetime.datetime.now(datetime.UTC).date()).isoformat(),
        "against": against,
        "torch": torch,
        "result": "passes" if passed else "fails",
        "failing": list(failing),
        "changes": [{"name": name, "old": old, "new": new} for name, old, new in changes],
    }
