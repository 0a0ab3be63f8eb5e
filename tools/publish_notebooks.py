"""Keep the built site's notebooks on a branch of the repository, for "Open in Colab".

Usage (the workflow's notebooks job, on pushes to main, after the build)::

    python tools/publish_notebooks.py --site _build/html
        [--repository OWNER/NAME] [--branch notebooks] [--remote URL]

Colab opens notebooks from GitHub only.  Every page of a site built with a
repository (``run_yourself_repository``) has an "Open in Colab" link
(``a.run-yourself-colab``) naming ``<language>/<docname>.ipynb`` on the branch:
this script puts that page's own notebook download at that path, commits the
tree (those notebooks and a README) on top of the branch's last commit, and
pushes it.  The tree is made afresh each time, so a removed page's notebook
leaves the branch; a tree equal to the branch's is not committed again.

The repository defaults to ``$GITHUB_REPOSITORY`` (set by GitHub Actions), the
remote to ``https://github.com/<repository>.git``, authenticated with
``$GITHUB_TOKEN`` through git's ``http.extraheader`` in the environment of the
git commands only (as ``actions/checkout`` does), never on disk or in a URL.

Nothing but the standard library and git: the job installs nothing.
Exit status 1, naming the page, when a link names another repository or
branch, a linked page has no notebook, two pages claim one path with different
notebooks, or no page links to Colab at all (a site built without a
repository: pushing it would empty the branch).
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

COLAB = "https://colab.research.google.com/github/"
COLAB_CLASS = "run-yourself-colab"
README = """\
# Notebooks for "Open in Colab"

Written by tools/publish_notebooks.py on every push to main: each example
page's notebook, at `<language>/<page>.ipynb`, as the site offers it for
download. Do not edit this branch by hand: the next push replaces it.
"""


class PublishError(Exception):
    """Why the notebooks cannot be published (the message names the page)."""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.colab: list[str] = []
        self.notebooks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        href = values.get("href") or ""
        if COLAB_CLASS in classes:
            self.colab.append(href)
        elif "download" in classes and urlsplit(href).path.endswith(".ipynb"):
            self.notebooks.append(href)


def notebook_tree(site: Path, repository: str, branch: str) -> dict[str, bytes]:
    """``{path on the branch: notebook}`` for every page of ``site`` that links to Colab."""
    prefix = f"{COLAB}{repository}/blob/{branch}/"
    tree: dict[str, bytes] = {}
    for page in sorted(site.rglob("*.html")):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(site).as_posix()
        for href in links.colab:
            if not href.startswith(prefix):
                raise PublishError(f"{name}: its Colab link {href} is not on {repository}, "
                                   f"branch {branch}")
            if len(links.notebooks) != 1:
                raise PublishError(f"{name}: links to Colab but offers "
                                   f"{len(links.notebooks)} notebooks for download")
            target = urljoin(page.resolve().as_uri(), links.notebooks[0])
            data = Path(unquote(urlsplit(target).path)).read_bytes()
            path = href[len(prefix):]
            if tree.setdefault(path, data) != data:
                raise PublishError(f"{name}: another page puts a different notebook at {path}")
    if not tree:
        raise PublishError(f"no page of {site} links to Colab: was the site built without "
                           "a repository (run_yourself_repository)?")
    return tree


def _git(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True,
                            text=True, check=False)
    if check and result.returncode != 0:
        raise PublishError(f"git {args[0]} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def git_environment(remote: str) -> dict[str, str]:
    """The environment of the git commands: an identity, and the token if there is one."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    env.setdefault("GIT_AUTHOR_NAME", "publish_notebooks")
    env.setdefault("GIT_AUTHOR_EMAIL", "publish_notebooks@users.invalid")
    env.setdefault("GIT_COMMITTER_NAME", env["GIT_AUTHOR_NAME"])
    env.setdefault("GIT_COMMITTER_EMAIL", env["GIT_AUTHOR_EMAIL"])
    token = os.environ.get("GITHUB_TOKEN")
    if token and remote.startswith("https://"):
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        count = int(env.get("GIT_CONFIG_COUNT", "0"))
        env[f"GIT_CONFIG_KEY_{count}"] = "http.https://github.com/.extraheader"
        env[f"GIT_CONFIG_VALUE_{count}"] = f"AUTHORIZATION: basic {basic}"
        env["GIT_CONFIG_COUNT"] = str(count + 1)
    return env


def publish(site: Path, repository: str, branch: str, remote: str) -> str | None:
    """Push the site's notebooks to ``branch`` of ``remote``; the new commit, or None."""
    tree = notebook_tree(site, repository, branch)
    env = git_environment(remote)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        _git(["init", "-q"], work, env)
        for path, data in {**tree, "README.md": README.encode()}.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_bytes(data)
        _git(["add", "-A"], work, env)
        new_tree = _git(["write-tree"], work, env)
        parents = []
        if _git(["ls-remote", "--heads", remote, branch], work, env):
            _git(["fetch", "-q", "--depth=1", remote, f"refs/heads/{branch}"], work, env)
            head = _git(["rev-parse", "FETCH_HEAD"], work, env)
            if _git(["rev-parse", f"{head}^{{tree}}"], work, env) == new_tree:
                return None
            parents = ["-p", head]
        source = os.environ.get("GITHUB_SHA", "")
        message = f"Notebooks of the site built from {source}" if source else "Notebooks of the site"
        commit = _git(["commit-tree", new_tree, *parents, "-m", message], work, env)
        _git(["push", "-q", remote, f"{commit}:refs/heads/{branch}"], work, env)
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="the built site (_build/html)")
    parser.add_argument("--repository", default=os.environ.get("GITHUB_REPOSITORY", ""),
                        help="OWNER/NAME (default: $GITHUB_REPOSITORY)")
    parser.add_argument("--branch", default="notebooks")
    parser.add_argument("--remote", help="default: https://github.com/<repository>.git")
    args = parser.parse_args(argv)
    if not args.repository:
        parser.error("no --repository and no $GITHUB_REPOSITORY")
    remote = args.remote or f"https://github.com/{args.repository}.git"
    try:
        commit = publish(args.site, args.repository, args.branch, remote)
    except PublishError as exc:
        print(f"publish_notebooks: {exc}", file=sys.stderr)
        return 1
    if commit is None:
        print(f"publish_notebooks: {args.branch} already holds these notebooks")
    else:
        print(f"publish_notebooks: pushed {commit} to {args.branch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
