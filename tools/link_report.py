"""Every external link of the built site, checked; the dead ones listed with their pages.

    python tools/link_report.py run _build/html     # linkchecker; writes the report
    python tools/link_report.py publish --label broken-links

``run`` starts linkchecker (``--check-extern``) at both languages' home
pages of a built tree (``make html-noplot`` is enough: examples' outputs hold
no links), so every page either language links is read, and every link
leaving the site is fetched, but the site's own address (its canonical
links: ``make check`` covers the tree's links).  linkchecker obeys each site's ``robots.txt``.
A link known to refuse robots (or to be up though it answers linkchecker with
an error) goes into ``checks/linkcheck-ignore.txt``, one regular expression
per line, with a ``#`` comment above it saying why; each becomes an
``--ignore-url``.

It writes ``result.json`` into ``--work`` (default ``_build/links``): the
broken links, each with its pages and linkchecker's result, and the issue's
title and body.  It exits 1 when a link is broken.  ``publish`` opens the
issue labelled ``--label`` or updates the open one, and closes it once every
link works (tools/gh_issue.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import gh_issue
import lxml.html

REPO = Path(__file__).resolve().parents[1]
IGNORE_FILE = REPO / "checks" / "linkcheck-ignore.txt"


def ignore_patterns(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def site_base(tree: Path) -> str | None:
    """The site's own address (``html_baseurl``), from the home page's canonical link."""
    home = lxml.html.fromstring((tree / "index.html").read_bytes())
    canonical = home.xpath("//link[@rel='canonical']/@href")
    return canonical[0].rsplit("/", 1)[0] + "/" if canonical else None


def linkchecker(tree: Path, patterns, timeout=3600) -> str:
    """linkchecker's CSV of the problems it found from both home pages of ``tree``."""
    starts = [(tree / "index.html").resolve().as_uri()]
    if (tree / "zh_CN" / "index.html").exists():
        starts.append((tree / "zh_CN" / "index.html").resolve().as_uri())
    # The canonical and hreflang links name the published copy of these very
    # pages (make check checks the tree's own links).
    base = site_base(tree)
    patterns = [*patterns, *([f"^{re.escape(base)}"] if base else [])]
    with tempfile.TemporaryDirectory() as home:
        # linkchecker run as root drops to user nobody, who must read its config.
        os.chmod(home, 0o755)
        command = [sys.executable, "-m", "linkcheck", "--no-status", "--check-extern", "-o", "csv",
                   *[f"--ignore-url={pattern}" for pattern in patterns], *starts]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout,
                                env={**os.environ, "HOME": home})
    if result.returncode not in (0, 1):
        raise SystemExit(f"linkchecker failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def broken_links(text: str, tree: Path) -> dict[str, dict]:
    """``{url: {"result": ..., "pages": [...]}}`` of the external links linkchecker found invalid.

    linkchecker checks a URL once and names the first page it met it on;
    the pages are read again for every page that links it.
    """
    rows = csv.DictReader((line for line in text.splitlines() if line and not line.startswith("#")),
                          delimiter=";")
    broken = {}
    for row in rows:
        url = row.get("url") or row.get("urlname") or ""
        if row.get("valid") == "False" and url.startswith(("http://", "https://")):
            broken[url] = {"result": row.get("result", ""), "pages": []}
    for page in sorted(tree.rglob("*.html")):
        document = lxml.html.fromstring(page.read_bytes())
        links = {value for element, _, value, _ in document.iterlinks()}
        for url in links & broken.keys():
            broken[url]["pages"].append(page.relative_to(tree).as_posix())
    return broken


def issue_text(broken: dict[str, dict], run_url: str | None) -> tuple[str, str]:
    title = f"Broken external links: {len(broken)}"
    body = ["The monthly link check (linkchecker) found links from the site that do not work.", ""]
    if run_url:
        body += [f"Run: {run_url}", ""]
    body += ["| link | pages | linkchecker's result |", "| --- | --- | --- |"]
    for url, entry in sorted(broken.items()):
        result = " ".join(entry["result"].split()).replace("|", "\\|")
        pages = "<br>".join(f"`{page}`" for page in sorted(entry["pages"]))
        body.append(f"| {url} | {pages} | {result} |")
    body += ["", "A link that is up but refuses robots: add it to `checks/linkcheck-ignore.txt` "
             "(README, \"Publishing\"). This issue is updated by each monthly check and closed by the "
             "first one that finds no broken link (tools/link_report.py)."]
    return title, "\n".join(body) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="check the links of a built tree")
    runner.add_argument("tree", type=Path)
    runner.add_argument("--ignore", type=Path, default=IGNORE_FILE, help="regular expressions of links to skip")
    publisher = commands.add_parser("publish", help="open, update or close the issue")
    publisher.add_argument("--label", required=True)
    for command in (runner, publisher):
        command.add_argument("--work", type=Path, default=REPO / "_build" / "links")
    args = parser.parse_args(argv)
    result_file = args.work / "result.json"
    if args.command == "run":
        broken = broken_links(linkchecker(args.tree, ignore_patterns(args.ignore)), args.tree)
        title, body = issue_text(broken, gh_issue.run_url())
        args.work.mkdir(parents=True, exist_ok=True)
        result_file.write_text(json.dumps({"broken": broken, "title": title, "body": body}, indent=1) + "\n",
                               encoding="utf-8")
        print(f"link_report: {len(broken)} broken external link(s)")
        return 1 if broken else 0
    result = json.loads(result_file.read_text(encoding="utf-8"))
    if result["broken"]:
        print("link_report:", gh_issue.upsert(args.label, result["title"], result["body"]))
        return 1
    where = gh_issue.run_url() or "a later run"
    print("link_report:", gh_issue.close(args.label, f"Every external link works again: {where}."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
