"""Lighthouse over every page type of the built site, in both languages.

Usage (``make lighthouse`` builds the site first)::

    python tools/lighthouse.py [--site _build/html] [--preset mobile|desktop|both]
                               [--categories performance,accessibility,...]

Serves the built site on 127.0.0.1 (a free port chosen by the system),
gzipping text as static hosts do (GitHub Pages, Read the Docs), runs
npm's ``lighthouse`` (``node_modules/.bin``, from ``npm ci``) with Debian's
``chromium`` (``CHROME_PATH``) on each page, writes each report as HTML and
JSON under ``_build/lighthouse/``, and prints one table of the scores. It is a
benchmark like ``make bench``: performance scores depend on the machine's load,
so the table's header gives the load average measured with it.

It fails (exit status 1) when a page scores below 100 in a category that
does not depend on the load (accessibility, best practices, SEO), naming
each failing audit: ``make lighthouse`` locally, and the weekly
``.github/workflows/lighthouse.yml``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The browser tests' loopback server and Chromium flags (nothing leaves the
# machine), so that Lighthouse sees the site as the tests do.
import localbrowser  # noqa: E402 - tools/ is this script's folder
from localbrowser import CHROMIUM_ARGS  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"

#: One page of each type, as a path under each language's root.
PAGE_TYPES = {
    "index": "index.html",
    "narrative": "beginner/pytorch_with_examples.html",
    "gallery index": "beginner/examples_nn/index.html",
    "example": "beginner/examples_nn/two_layer_net_module.html",
    "timings": "timings.html",
    "search": "search.html",
    "404": "404.html",
}
LANGUAGES = {"en": "", "zh_CN": "zh_CN/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
#: The categories whose score does not depend on the machine's load: 100 or a failure.
DETERMINISTIC = ["accessibility", "best-practices", "seo"]

#: What a static host compresses (GitHub Pages and Read the Docs gzip text).
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".txt", ".xml"}


class _GzipHandler(localbrowser.QuietHandler):
    """Serves files as a static host does: text gzipped when the client asks."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at a free port, gzipped; a context manager."""
    return localbrowser.serve(directory, _GzipHandler)


def pages(site: Path) -> list[tuple[str, str, str]]:
    """(language, page type, path) of every page to measure that the site has."""
    found = []
    for lang, prefix in LANGUAGES.items():
        for kind, path in PAGE_TYPES.items():
            if (site / prefix / path).is_file():
                found.append((lang, kind, prefix + path))
    return found


def chromium() -> str:
    """``CHROME_PATH``, or a Chromium or Chrome found by localbrowser.find_chromium."""
    try:
        return localbrowser.find_chromium()
    except localbrowser.MissingTool as exc:
        sys.exit(f"lighthouse: {exc}")


def report_path(out: Path) -> Path:
    """The JSON report Lighthouse writes for ``--output-path=out``."""
    return out.parent / (out.name + ".report.json")


def run_lighthouse(url: str, preset: str, categories: list[str], out: Path) -> dict[str, int]:
    """Lighthouse's scores (0-100) for ``url``; its reports go to ``out``.*."""
    if not LIGHTHOUSE.exists():
        sys.exit(f"lighthouse: {LIGHTHOUSE} is missing: run `npm ci` first")
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": chromium()}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    report = json.loads(report_path(out).read_text(encoding="utf-8"))
    return {
        name: round(100 * category["score"])
        for name, category in report["categories"].items()
    }


def failing_audits(report_path: Path, category: str) -> list[str]:
    """The ids of the audits under 1 that count towards ``category``'s score."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    audits = report["audits"]
    return [
        ref["id"]
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] not in (None, 1)
    ]


LABELS = {"best-practices": "best practices", "seo": "SEO"}

#: Issue 14's goal 1: the least score of each category, per preset.
GOAL = {
    "mobile": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
    "desktop": dict.fromkeys(CATEGORIES, 100),
}


def table(scores, presets, categories) -> list[str]:
    """A Markdown table: one row per page, one column of scores per preset."""
    names = " / ".join(LABELS.get(c, c) for c in categories)
    lines = ["| page | " + " | ".join(f"{p}: {names}" for p in presets) + " |"]
    lines.append("| --- |" + " --- |" * len(presets))
    pages = dict.fromkeys((lang, kind) for lang, kind, _preset in scores)
    for lang, kind in pages:
        cells = [" / ".join(str(scores[lang, kind, p][c]) for c in categories) for p in presets]
        lines.append(f"| {lang} {kind} | " + " | ".join(cells) + " |")
    return lines


def goal(scores, presets, categories) -> str:
    """Whether the scores meet GOAL, naming every score below it."""
    if set(presets) != set(GOAL) or set(categories) != set(CATEGORIES):
        return "goal 1: not judged (it needs both presets and all four categories)"
    below = [
        f"{lang} {kind} {preset} {category} {score} (< {GOAL[preset][category]})"
        for (lang, kind, preset), found in scores.items()
        for category, score in found.items()
        if score < GOAL[preset][category]
    ]
    if below:
        return "goal 1: missed: " + "; ".join(below)
    return (f"goal 1: met on all {len(scores) // 2} pages: mobile performance >= 95, "
            "every other score 100")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "lighthouse")
    parser.add_argument("--preset", choices=["mobile", "desktop", "both"], default="both")
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    args = parser.parse_args(argv)
    categories = args.categories.split(",")
    presets = ["mobile", "desktop"] if args.preset == "both" else [args.preset]
    todo = pages(args.site)
    if not todo:
        sys.exit(f"lighthouse: no page to measure under {args.site}: run `make html`")
    load = os.getloadavg()
    print(f"Lighthouse {json.loads((LIGHTHOUSE.resolve().parents[1] / 'package.json').read_text())['version']}"
          f", {chromium()}; load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}"
          f" on {os.cpu_count()} CPUs")
    scores = {}
    with serve(args.site) as base:
        for lang, kind, path in todo:
            for preset in presets:
                found = run_lighthouse(base + path, preset, categories,
                                       args.out / report_name(lang, kind, preset))
                scores[lang, kind, preset] = found
                print(f"  {lang} {kind}, {preset}: "
                      + ", ".join(f"{c} {found[c]}" for c in categories), flush=True)
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}\n")
    for line in table(scores, presets, categories):
        print(line)
    print()
    print(goal(scores, presets, categories))
    print(f"\nreports: {args.out}/*.report.html")
    failing = below_100(scores, args.out)
    for line in failing:
        print(f"FAILED: {line}")
    return 1 if failing else 0


def report_name(lang: str, kind: str, preset: str) -> str:
    return f"{lang}-{kind.replace(' ', '-')}-{preset}"


def below_100(scores, out: Path) -> list[str]:
    """Every page and preset scoring below 100 in a deterministic category, with its failing audits."""
    return [
        f"{lang} {kind} {preset}: {category} {found[category]}"
        f" ({', '.join(failing_audits(report_path(out / report_name(lang, kind, preset)), category))})"
        for (lang, kind, preset), found in scores.items()
        for category in DETERMINISTIC
        if category in found and found[category] != 100
    ]


if __name__ == "__main__":
    sys.exit(main())
