"""One issue per scheduled check, found by its label, through GitHub's ``gh`` CLI.

    upsert("upgrade-check", title, body)   # open it, or update the open one
    close("upgrade-check", comment)        # close the open one, if any

Used by tools/upgrade_check.py and tools/link_report.py in the scheduled
workflows; ``gh`` reads ``GH_TOKEN`` (the job's ``github.token``, with
``issues: write``).  A failing ``gh`` call raises GhFailed with its output.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class GhFailed(RuntimeError):
    """A ``gh`` command failed; the message holds its output."""


def gh(*args: str) -> str:
    result = subprocess.run(["gh", *args], cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode:
        raise GhFailed(f"gh {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def open_issue(label: str) -> int | None:
    """The number of the open issue labelled ``label``, or None."""
    found = json.loads(gh("issue", "list", "--label", label, "--state", "open", "--json", "number", "--limit", "1"))
    return found[0]["number"] if found else None


def upsert(label: str, title: str, body: str) -> str:
    """Open the issue labelled ``label``, or update the open one; what was done, in words."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".md", delete=False) as file:
        file.write(body)
    try:
        number = open_issue(label)
        if number:
            gh("issue", "edit", str(number), "--title", title, "--body-file", file.name)
            return f"updated issue #{number}"
        gh("label", "create", label, "--force", "--description", "Opened by a scheduled check")
        return "opened " + gh("issue", "create", "--title", title, "--body-file", file.name,
                              "--label", label).strip()
    finally:
        Path(file.name).unlink()


def close(label: str, comment: str) -> str:
    number = open_issue(label)
    if not number:
        return "no open issue to close"
    gh("issue", "close", str(number), "--comment", comment)
    return f"closed issue #{number}"


def run_url() -> str | None:
    """This workflow run's page, from GitHub's variables; None outside a workflow."""
    keys = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    server, repo, run_id = (os.environ.get(key) for key in keys)
    return f"{server}/{repo}/actions/runs/{run_id}" if server and repo and run_id else None
