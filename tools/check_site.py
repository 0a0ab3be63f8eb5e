"""Check a built tree before it is published (``make check``).

    python tools/check_site.py _build/html [--srcdir .] [--no-link-check]

Serves the tree on a loopback server (a random free port), at the path of
the site's own base URL (read from its canonical links: ``/`` or
``/<repo>/``), answering a missing page with the tree's ``404.html`` and
status 404, as GitHub Pages does.  Then checks that:

* every internal link and anchor resolves (``linkchecker``, with its
  AnchorCheck plugin, from the home page of each language);
* ``sitemap.xml`` lists every page of every language, and nothing else;
* no page names a path of the build machine (the source folder, the Python
  installation, the home folder);
* the 404 page renders for a missing page at any depth, with every link and
  asset on it resolving;
* each moved page's old address (a redirect page) leads to a page of the tree.

Prints each problem and exits 1 if there was any.  ``--no-link-check``
leaves linkchecker's pass out (minutes on the full site): ``make test`` runs
the rest on its build, and the workflow (so ``make rehearse``) and ``make
check`` run it all.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

from bs4 import BeautifulSoup

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MISSING = "no/such/page/deep/inside.html"


class _Handler(SimpleHTTPRequestHandler):
    """Serves ``tree`` under ``base_path``; a miss gets 404.html, status 404."""

    def __init__(self, *args, tree, base_path, **kwargs):
        self.tree, self.base_path = tree, base_path
        super().__init__(*args, directory=str(tree), **kwargs)

    def translate_path(self, path):
        path = urlparse(path).path
        if not path.startswith(self.base_path):
            return str(self.tree / "\0missing")
        return super().translate_path("/" + path[len(self.base_path):])

    def send_error(self, code, message=None, explain=None):
        page = self.tree / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def end_headers(self):
        # linkchecker spaces its requests to a host 0.1 to 0.6 s apart (half a
        # minute for a small tree) unless the server answers with this
        # header; then it allows the rate of its configuration (check_links).
        self.send_header("LinkChecker", "loopback stand-in: no rate limit")
        super().end_headers()

    def log_message(self, *args):
        pass


def base_url_of(tree):
    """The site's base URL, from the home page's canonical link."""
    html = BeautifulSoup((tree / "index.html").read_text(encoding="utf-8"), "lxml")
    canonical = html.select_one('link[rel="canonical"]')
    if canonical is None:
        raise SystemExit(f"check_site: {tree}/index.html has no canonical link")
    return canonical["href"].removesuffix("index.html")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A checker that closes a download early is not a problem of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(tree, base_path):
    handler = functools.partial(_Handler, tree=tree, base_path=base_path)
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base_path}"


def is_redirect(path):
    """Whether ``path`` is a moved page's old address (sphinxext/reader/redirects.py)."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


def pages(tree):
    """Every page of every language, relative to the tree, but the 404 and redirect pages."""
    return sorted(
        path.relative_to(tree).as_posix()
        for path in tree.rglob("*.html")
        if path.name != "404.html" and not is_redirect(path)
    )


def check_redirects(tree):
    """Each moved page's old address leads to a page of the tree."""
    problems = []
    for path in sorted(tree.rglob("*.html")):
        if not is_redirect(path):
            continue
        refresh = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select_one(
            'meta[http-equiv="refresh"]')
        target = refresh["content"].partition("url=")[2] if refresh else ""
        if not target or not (path.parent / target).resolve().is_file():
            problems.append(f"{path.relative_to(tree)} leads to {target or 'nothing'}, which is no page")
    return problems


def check_links(url):
    """linkchecker over the site from ``url``: internal links and anchors.

    The home page links its Chinese twin, so one run covers both languages.
    """
    with tempfile.TemporaryDirectory() as home:
        # linkchecker run as root drops to user nobody, who must read these.
        os.chmod(home, 0o755)
        config = Path(home, "linkcheckerrc")
        config.write_text("[checking]\nmaxrequestspersecond=1000\n[AnchorCheck]\n", encoding="utf-8")
        config.chmod(0o644)
        command = [
            sys.executable, "-m", "linkcheck", "--config", str(config),
            "--no-status", "--no-robots", url,
        ]
        env = {**os.environ, "HOME": home}
        result = subprocess.run(
            command, check=False, capture_output=True, text=True, env=env, timeout=900
        )
    if result.returncode == 0:
        return []
    return [f"linkchecker found broken links or anchors from {url}:\n{result.stdout}"]


def check_sitemap(tree, site_pages, base):
    """sitemap.xml lists every page (``base`` + its path), and nothing else."""
    sitemap = tree / "sitemap.xml"
    if not sitemap.exists():
        return ["there is no sitemap.xml"]
    locs = [loc.text for loc in ElementTree.parse(sitemap).iter(SITEMAP_NS + "loc")]
    listed = sorted(loc.removeprefix(base) for loc in locs)
    problems = []
    missing = sorted(set(site_pages) - set(listed))
    extra = sorted(set(listed) - set(site_pages))
    if missing:
        problems.append(f"sitemap.xml misses {len(missing)} page(s): {', '.join(missing)}")
    if extra:
        problems.append(f"sitemap.xml lists {len(extra)} URL(s) with no page: {', '.join(extra)}")
    if len(listed) != len(set(listed)):
        problems.append("sitemap.xml lists a page twice")
    return problems


def machine_paths(srcdir):
    paths = {str(Path(srcdir).resolve()), sys.prefix, sys.base_prefix, str(Path.home())}
    return sorted(p for p in paths if len(p) > 1)


def check_paths(tree, site_pages, paths):
    """No page's text or attribute names a folder of the build machine."""
    problems = []
    for page in site_pages:
        html = BeautifulSoup((tree / page).read_text(encoding="utf-8"), "lxml")
        values = [html.get_text()]
        for element in html.find_all(True):
            values.extend(str(v) for v in element.attrs.values())
        for path in paths:
            if any(path in value for value in values):
                problems.append(f"{page} names the build machine's path {path}")
    return problems


def check_404(root_url):
    """A missing page at any depth gets the 404 page, whose links all work."""
    url = root_url + MISSING
    try:
        urllib.request.urlopen(url, timeout=30)  # noqa: S310 - loopback
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode("utf-8")
    else:
        return [f"{url} answered 200, not the 404 page"]
    if status != 404:
        return [f"{url} answered {status}, not 404"]
    html = BeautifulSoup(body, "lxml")
    if html.select_one("div[role=main] h1") is None:
        return ["the 404 page has no heading in its main content"]
    problems = []
    targets = {urljoin(url, a["href"]) for a in html.select("a[href]")}
    targets |= {urljoin(url, e["href"]) for e in html.select("link[rel=stylesheet]")}
    targets |= {urljoin(url, e["src"]) for e in html.select("script[src], img[src]")}
    server_root = root_url.removesuffix(urlparse(root_url).path)
    for target in sorted(t.split("#")[0] for t in targets):
        if not target.startswith(server_root):
            continue  # links outside the site
        try:
            urllib.request.urlopen(target, timeout=30)  # noqa: S310 - loopback
        except urllib.error.HTTPError as error:
            problems.append(f"the 404 page links to {target}, which answers {error.code}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree", type=Path, help="the built site, e.g. _build/html")
    parser.add_argument("--srcdir", type=Path, default=Path.cwd(),
                        help="the folder the site was built from")
    parser.add_argument("--no-link-check", action="store_true",
                        help="leave out linkchecker's pass over every link and anchor")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    site_pages = pages(tree)
    base_url = base_url_of(tree)
    base_path = urlparse(base_url).path
    server, root_url = serve(tree, base_path)
    try:
        problems = [] if args.no_link_check else check_links(root_url + "index.html")
        problems += check_sitemap(tree, site_pages, base_url)
        problems += check_paths(tree, site_pages, machine_paths(args.srcdir))
        problems += check_404(root_url)
        problems += check_redirects(tree)
    finally:
        server.shutdown()
    for problem in problems:
        print("check_site:", problem)
    if not (tree / ".nojekyll").exists():
        problems.append("there is no .nojekyll")
        print("check_site: there is no .nojekyll")
    print(f"check_site: {len(site_pages)} pages served at {base_path}: "
          f"{'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
