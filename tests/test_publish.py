"""Publishing: the execution cache, provenance, hosting, ``make check``, the workflow."""

import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import cache_lines, stamps
from test_site import EXAMPLE_PAGES, EXAMPLES

from sphinxext.execution import provenance

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).parent / "roots"
WORKFLOWS = REPO / ".github" / "workflows"
CHECK_SITE = REPO / "tools" / "check_site.py"
H100 = {"kind": "cuda", "name": "NVIDIA H100 80GB HBM3", "cuda": "12.8"}


def html_of(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


# -- the execution cache ----------------------------------------------------------


@pytest.fixture
def gallery_build(tmp_path, make_app):
    """Build a copy of test-provenance as often as a test likes, in one folder."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-provenance", src)

    def build(**overrides):
        app = make_app("html", srcdir=src, confoverrides=overrides)
        try:
            app.build()
        finally:
            app.cleanup()  # so the next build registers its nodes afresh
        return app

    build.src = src
    return build


def test_nothing_changed_nothing_runs(gallery_build, warnings_of):
    first = gallery_build()
    assert warnings_of(first) == []
    ran = stamps(gallery_build.src)
    again = gallery_build()
    assert warnings_of(again) == []
    assert stamps(gallery_build.src) == ran
    assert cache_lines(again) == []


def test_changed_environment_runs_every_example(gallery_build, warnings_of):
    gallery_build()
    ran = stamps(gallery_build.src)
    store = gallery_build.src / "gallery" / provenance.FINGERPRINT_FILE
    # The same cache restored after a GPU build with another torch.
    stored = json.loads(store.read_text())
    current = provenance.fingerprint()
    stored.update(device=H100, torch="2.12.0+cu128")
    store.write_text(json.dumps(stored))
    app = gallery_build()
    assert warnings_of(app) == []
    assert all(stamps(gallery_build.src)[name] != ran[name] for name in ran)
    device = current["device"]
    assert cache_lines(app) == [
        "provenance: discarding the cached outputs in gallery (the environment changed: "
        f"torch 2.12.0+cu128 -> {current['torch']}; device cuda NVIDIA H100 80GB HBM3 -> "
        f"{device['kind']} {device['name']}); every example runs again"
    ]
    # Its own environment is stored: the next build runs nothing.
    assert json.loads(store.read_text()) == current
    ran = stamps(gallery_build.src)
    assert cache_lines(gallery_build()) == []
    assert stamps(gallery_build.src) == ran


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{not json", "is unreadable (JSONDecodeError)"),
        ('{"schema": 0, "torch": "1.0"}', "is not a schema-1 file"),
        ("[]", "is not a schema-1 file"),
    ],
)
def test_corrupt_cache_is_discarded(gallery_build, warnings_of, content, why):
    gallery_build()
    ran = stamps(gallery_build.src)
    (gallery_build.src / "gallery" / provenance.FINGERPRINT_FILE).write_text(content)
    app = gallery_build()
    assert warnings_of(app) == []
    assert cache_lines(app) == [
        f"provenance: discarding the cached outputs in gallery (gallery/environment.json {why});"
        " every example runs again"
    ]
    assert all(stamps(gallery_build.src)[name] != ran[name] for name in ran)


def test_missing_record_runs_that_example_again(gallery_build, warnings_of):
    gallery_build()
    ran = stamps(gallery_build.src)
    (gallery_build.src / "gallery" / "second.provenance.json").write_text("")
    app = gallery_build()
    assert warnings_of(app) == []
    assert cache_lines(app) == [
        "provenance: gallery/second.provenance.json is unreadable (JSONDecodeError);"
        " second.py runs again"
    ]
    now = stamps(gallery_build.src)
    assert now["first"] == ran["first"]
    assert now["second"] != ran["second"]


# -- provenance on the pages -----------------------------------------------------------


def test_example_page_states_its_provenance(gallery_build):
    app = gallery_build()
    record = json.loads((gallery_build.src / "gallery" / "first.provenance.json").read_text())
    assert record["device"] == {**provenance.fingerprint()["device"], "threads": record["device"]["threads"]}
    assert record["torch"] == metadata.version("torch")
    assert record["tensorflow"] is None
    lines = [p.get_text() for p in html_of(app.outdir / "gallery/first.html").select("p.example-provenance")]
    # No thread count: the About page says it once (issue 24).
    assert lines == [
        f"Output produced on {record['date']} with PyTorch {record['torch']}, "
        f"running on CPU: {record['device']['name']}."
    ]


def test_reused_output_keeps_its_provenance(gallery_build):
    gallery_build()
    record = gallery_build.src / "gallery" / "first.provenance.json"
    data = json.loads(record.read_text())
    data["date"] = "2026-01-02"  # as if the cached run were older
    record.write_text(json.dumps(data))
    app = gallery_build()
    text = html_of(app.outdir / "gallery/first.html").select_one("p.example-provenance").get_text()
    assert text.startswith("Output produced on 2026-01-02 with PyTorch")


def test_provenance_in_chinese(gallery_build):
    app = gallery_build(language="zh_CN", locale_dirs=[str(REPO / "locales")])
    record = json.loads((gallery_build.src / "gallery" / "second.provenance.json").read_text())
    text = html_of(app.outdir / "gallery/second.html").select_one("p.example-provenance").get_text()
    assert text == (
        f"本页输出于 {record['date']} 生成，使用 PyTorch {record['torch']}，运行于 "
        f"CPU（{record['device']['name']}）。"
    )


def test_about_page_without_git(gallery_build):
    import datetime

    from sphinxext.reader import build_info
    app = gallery_build()
    fields = about_fields(app.outdir / "about.html")
    env, host = provenance.fingerprint(), build_info.machine()
    cpus = f"{host['cpus']} logical CPU" + ("" if host["cpus"] == 1 else "s")
    assert fields == {
        "Built on": f"{datetime.datetime.now(datetime.UTC).date().isoformat()} (UTC)",
        "Commit": "unknown: this site was not built from a git checkout",
        "Device": f"CPU: {env['device']['name']}, {cpus}, {host['arch']}",
        "Threads": (
            "1 per example: the build pins each example’s thread pools to one thread, unless "
            "its code sets another count and names it beside the figures it measures"
        ),
        "Operating system": host["os"],
        "Memory": f"{host['memory_gib']} GiB",
        "Python": env["python"],
        "PyTorch": metadata.version("torch"),
        "TensorFlow": env["tensorflow"] or "not installed",
        "NumPy": metadata.version("numpy"),
        "Matplotlib": metadata.version("matplotlib"),
    }


def test_about_page_names_the_commit(gallery_build, monkeypatch):
    # As on a clone from GitHub, outside GitHub Actions (which names the repository itself).
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    src = gallery_build.src
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", "-C", str(src)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "test"], check=True)
    sha = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                         text=True).stdout.strip()
    date = subprocess.run([*git, "log", "-1", "--format=%cs"], check=True, capture_output=True,
                          text=True).stdout.strip()
    app = gallery_build()
    assert about_fields(app.outdir / "about.html")["Commit"] == f"{sha}, committed on {date}"
    # No remote: the commit is no link.
    assert html_of(app.outdir / "about.html").select("dl.build-environment a") == []
    subprocess.run([*git, "remote", "add", "origin", "git@github.com:someone/site.git"], check=True)
    app = gallery_build()
    link = html_of(app.outdir / "about.html").select_one("dl.build-environment a")
    assert (link["href"], link.get_text()) == (f"https://github.com/someone/site/commit/{sha}", sha)
    (src / "index.rst").write_text((src / "index.rst").read_text() + "\nMore.\n")
    app = gallery_build()
    assert about_fields(app.outdir / "about.html")["Commit"] == f"{sha}, with uncommitted changes"


def about_fields(page):
    fields = html_of(page).select_one("dl.build-environment")
    names = [dt.get_text().rstrip(":") for dt in fields.select("dt")]
    values = [dd.get_text().strip() for dd in fields.select("dd")]
    return dict(zip(names, values, strict=True))


def test_every_example_page_names_device_versions_and_date(site):
    for page in EXAMPLE_PAGES:
        record = json.loads((site.src / f"{page}.provenance.json").read_text())
        uses_tf = record["tensorflow"] is not None
        assert record["torch"] == metadata.version("torch")
        if uses_tf:
            assert record["tensorflow"] == metadata.version("tensorflow-cpu")
        en = [p.get_text() for p in html_of(site.out / f"{page}.html").select("p.example-provenance")]
        zh = [p.get_text() for p in html_of(site.out / f"zh_CN/{page}.html").select("p.example-provenance")]
        device = record["device"]
        assert device["kind"] == "cpu"  # this machine has no GPU
        tf = f" and TensorFlow {record['tensorflow']}" if uses_tf else ""
        assert en == [
            f"Output produced on {record['date']} with PyTorch {record['torch']}{tf}, running on "
            f"CPU: {device['name']}."
        ], page
        tf = f" 和 TensorFlow {record['tensorflow']}" if uses_tf else ""
        assert zh == [
            f"本页输出于 {record['date']} 生成，使用 PyTorch {record['torch']}{tf}，运行于 "
            f"CPU（{device['name']}）。"
        ], page
    assert sum(
        json.loads((site.src / f"{p}.provenance.json").read_text())["tensorflow"] is not None
        for p in EXAMPLE_PAGES
    ) == 1


def test_site_about_page(site):
    assert html_of(site.out / "timings.html").select_one("h1").get_text().startswith("About this build")
    assert html_of(site.out / "zh_CN/timings.html").select_one("h1").get_text().startswith("关于本次构建")
    fields = about_fields(site.out / "zh_CN/timings.html")
    assert list(fields) == [
        "构建日期", "提交", "设备", "线程", "操作系统", "内存",
        "Python", "PyTorch", "TensorFlow", "NumPy", "Matplotlib",
    ]
    assert fields["提交"] == "未知：本站不是从 git 检出的代码构建的"
    assert fields["PyTorch"] == metadata.version("torch")


# -- hosting ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """test-hosting in both languages, published under https://site.test/repo/."""
    from sitebuild import sphinx_build

    src = tmp_path_factory.mktemp("hosting") / "src"
    shutil.copytree(ROOTS / "test-hosting", src)
    out = src / "_build" / "html"
    # The site's own theme, templates and catalogs.
    common = [
        "-D", "html_theme=sphinx_rtd_theme",
        "-D", f"templates_path={REPO / '_templates'}",
        "-D", f"locale_dirs={REPO / 'locales'}",
    ]
    results = [
        sphinx_build(src, out, *common),
        sphinx_build(src, out / "zh_CN", *common, "-D", "language=zh_CN"),
    ]
    return src, out, results


def test_hosting_builds_are_warning_free(hosted):
    _, _, results = hosted
    for result in results:
        # -nW: a warning would have failed the build.
        assert result.returncode == 0, result.stderr
        assert [line for line in result.stderr.splitlines() if "WARNING" in line] == []


def test_canonical_and_alternates_on_every_page(hosted):
    _, out, _ = hosted
    for page in ("index.html", "sub/page.html", "search.html", "genindex.html"):
        for prefix in ("", "zh_CN/"):
            html = html_of(out / prefix / page)
            assert [link["href"] for link in html.select('link[rel="canonical"]')] == [
                f"https://site.test/repo/{prefix}{page}"
            ]
            # sphinxext-opengraph's URL and site name, in the page's language
            # (it writes them on pages made from a source file).
            og = {m["property"]: m["content"] for m in html.select("meta[property^='og:']")}
            if page in ("index.html", "sub/page.html"):
                assert (og["og:url"], og["og:site_name"]) == (
                    f"https://site.test/repo/{prefix}{page}",
                    "通过示例学习 PyTorch" if prefix else "Learning PyTorch with Examples",
                )
            alternates = [(link["hreflang"], link["href"]) for link in html.select('head link[rel="alternate"]')]
            assert alternates == [
                ("en", f"https://site.test/repo/{page}"),
                ("zh-CN", f"https://site.test/repo/zh_CN/{page}"),
                ("x-default", f"https://site.test/repo/{page}"),
            ]


def test_sitemap_covers_both_languages(hosted):
    from xml.etree import ElementTree

    _, out, _ = hosted
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ElementTree.parse(out / "sitemap.xml").getroot().findall("s:url", ns)
    pages = ["genindex.html", "index.html", "search.html", "sub/page.html"]
    assert [u.find("s:loc", ns).text for u in urls] == [
        f"https://site.test/repo/{prefix}{page}" for page in pages for prefix in ("", "zh_CN/")
    ]
    for url in urls:
        page = url.find("s:loc", ns).text.replace("zh_CN/", "")
        assert [(x.get("hreflang"), x.get("href")) for x in url.findall("x:link", ns)] == [
            ("en", page), ("zh-CN", page.replace("/repo/", "/repo/zh_CN/")),
        ]
    assert not (out / "zh_CN" / "sitemap.xml").exists()


def test_404_page_links_from_the_site_root(hosted):
    _, out, _ = hosted
    assert (out / ".nojekyll").exists()
    for prefix, title, switch in (("", "Page not found", "/repo/zh_CN/404.html"),
                                  ("zh_CN/", "页面未找到", "/repo/zh_CN/../404.html")):
        html = html_of(out / prefix / "404.html")
        assert html.select_one("div[role=main] h1").get_text() == title
        assert html.select_one("div[role=main] a")["href"] == f"/repo/{prefix}index.html"
        assert html.select_one("nav.language-switcher a")["href"] == switch
        for link in html.select("link[rel=stylesheet]"):
            assert link["href"].startswith(f"/repo/{prefix}_static/")


def run_check(tree, srcdir, *options):
    return subprocess.run(
        [sys.executable, str(CHECK_SITE), str(tree), "--srcdir", str(srcdir), *options],
        capture_output=True, text=True, timeout=1800, check=False,
    )


@pytest.mark.rebuilds
def test_check_passes_under_a_sub_path(hosted):
    src, out, _ = hosted
    result = run_check(out, src)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "check_site: 8 pages served at /repo/: OK"


@pytest.mark.rebuilds
def test_check_reports_each_problem(hosted, tmp_path):
    src, out, _ = hosted
    tree = tmp_path / "html"
    shutil.copytree(out, tree)
    page = tree / "sub" / "page.html"
    html = page.read_text(encoding="utf-8")
    body = '<div itemprop="articleBody">'
    assert html.count(body) == 1
    html = html.replace(body, f'{body}<a href="gone.html">x</a><p>{src}</p>')
    page.write_text(html, encoding="utf-8")
    (tree / "zh_CN" / "extra.html").write_text("<html><body>extra</body></html>")
    (tree / "moved.html").write_text('<html><head><meta http-equiv="refresh" content="0; url=gone.html">'
                                     "</head></html>")
    (tree / ".nojekyll").unlink()
    result = run_check(tree, src)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("check_site:")]
    assert lines[0].startswith("check_site: linkchecker found broken links or anchors from ")
    assert "gone.html" in result.stdout
    assert lines[1:] == [
        "check_site: sitemap.xml misses 1 page(s): zh_CN/extra.html",
        f"check_site: sub/page.html names the build machine's path {src}",
        "check_site: moved.html leads to gone.html, which is no page",
        "check_site: there is no .nojekyll",
        "check_site: 9 pages served at /repo/: 5 problem(s)",
    ]


def test_site_passes_make_check(site):
    """All of make check but linkchecker's pass, which takes minutes on the full site.

    That pass runs on the full site in the workflow's build job, which ``make
    rehearse`` (CI) runs; on the small hosted trees above it runs here.
    """
    result = run_check(site.out, site.src, "--no-link-check")
    assert result.returncode == 0, result.stdout + result.stderr
    # examples, galleries, search+genindex, home+narrative+about (redirect pages are no pages)
    pages = 2 * (len(EXAMPLE_PAGES) + len(EXAMPLES) + 2 + 3)
    assert result.stdout.splitlines()[-1] == f"check_site: {pages} pages served at /: OK"


# -- the workflow -------------------------------------------------------------------------


def test_workflow_passes_zizmor():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("zizmor")), "--offline", "--persona=auditor", str(WORKFLOWS)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report." in result.stdout


def test_zizmor_fails_an_unpinned_action(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    text = (WORKFLOWS / "site.yml").read_text()
    text = text.replace(
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1", "actions/checkout@v7", 1
    )
    (workflows / "site.yml").write_text(text)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("zizmor")), "--offline", str(workflows)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout


def _actionlint(*args, cwd):
    # requirements-test.txt installs it into the virtual environment.
    actionlint = Path(sys.executable).with_name("actionlint")
    return subprocess.run(
        [str(actionlint), "-no-color", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_workflow_passes_actionlint():
    result = _actionlint(cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_a_broken_workflow(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    text = (WORKFLOWS / "site.yml").read_text()
    # A context property that does not exist, the kind of typo actionlint is for.
    broken = text.replace("github.event_name", "github.event_nam", 1)
    assert broken != text
    (workflows / "site.yml").write_text(broken)
    result = _actionlint(str(workflows / "site.yml"), cwd=tmp_path)
    assert result.returncode == 1
    assert 'property "event_nam" is not defined' in result.stdout


def test_every_action_is_pinned_to_a_commit():
    import re

    uses = [
        found
        for workflow in sorted(WORKFLOWS.glob("*.yml"))
        for found in re.findall(r"uses: (\S+)@(\S+)(?: # (\S+))?", workflow.read_text(encoding="utf-8"))
    ]
    # site.yml's eleven: checkout and setup-python twice, cache, configure-pages,
    # the two uploads, deploy-pages, checkout and download-artifact (notebooks).
    assert len(uses) >= 11
    for action, ref, tag in uses:
        assert action.startswith("actions/"), action
        assert re.fullmatch(r"[0-9a-f]{40}", ref), (action, ref)
        assert tag and tag.startswith("v"), action


def test_gpu_torch_cannot_use_is_not_claimed(monkeypatch, make_app, tmp_path):
    """A runner whose driver reports a GPU that torch cannot use builds on the CPU."""
    monkeypatch.setattr(provenance, "torch_cuda_build", lambda: "12.8")
    monkeypatch.setattr(provenance, "gpu_names", lambda: [H100["name"]])
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-provenance", src)
    app = make_app("html", srcdir=src)
    app.build()
    assert json.loads((src / "gallery" / provenance.FINGERPRINT_FILE).read_text())["device"] == {
        "kind": "cpu", "name": provenance.cpu_model(),
    }
    assert cache_lines(app) == [
        f"provenance: the driver reports {H100['name']}, but torch {metadata.version('torch')} "
        "cannot use it: the examples run on the CPU"
    ]
    record = json.loads((src / "gallery" / "first.provenance.json").read_text())
    assert record["device"]["kind"] == "cpu"


def livehtml_options():
    """The sphinx-autobuild options of ``make livehtml``, read from the Makefile."""
    recipe = subprocess.run(
        ["make", "-s", "-n", "-o", ".venv/.test-installed", "livehtml"], cwd=REPO,
        capture_output=True, text=True, check=True,
    ).stdout.replace("\\\n", " ").split()
    return recipe[recipe.index("--host"):]


@pytest.mark.rebuilds
def test_livehtml_serves_on_loopback_and_rebuilds(tmp_path):
    import re
    import time
    import urllib.error
    import urllib.request

    options = livehtml_options()
    assert options[:4] == ["--host", "127.0.0.1", "--port", "0"]
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-hosting", src)
    autobuild = Path(sys.executable).with_name("sphinx-autobuild")
    process = subprocess.Popen(
        [str(autobuild), str(src), str(src / "_build" / "html"), *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
    try:
        url = None
        for line in process.stdout:
            found = re.search(r"Serving on (http://127\.0\.0\.1:\d+)", line)
            if found:
                url = found.group(1)
                break
        assert url is not None
        page = None
        deadline = time.monotonic() + 60  # it says where before it listens
        while page is None and time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(url + "/sub/page.html", timeout=60).read().decode()  # noqa: S310
            except urllib.error.URLError:
                time.sleep(0.5)
        assert "A section" in BeautifulSoup(page, "lxml").select_one("h2").get_text()
        (src / "sub" / "page.rst").write_text(
            (src / "sub" / "page.rst").read_text().replace("A section", "Another section")
        )
        deadline = time.monotonic() + 120
        heading = ""
        while time.monotonic() < deadline and not heading.startswith("Another section"):
            time.sleep(1)
            page = urllib.request.urlopen(url + "/sub/page.html", timeout=60).read().decode()  # noqa: S310
            heading = BeautifulSoup(page, "lxml").select_one("h2").get_text()
        assert heading.startswith("Another section")
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_site_builds_discard_nothing(site):
    """A fresh build stores its fingerprint: the Chinese side then runs nothing."""
    for result in (site.result, site.zh_result):
        assert [line for line in result.stdout.splitlines() if line.startswith("provenance:")] == []
    assert "example_runner: executed 0 example(s): none" in site.zh_result.stdout.splitlines()
    for gallery in EXAMPLES:
        stored = json.loads((site.src / "beginner" / gallery / provenance.FINGERPRINT_FILE).read_text())
        assert stored == provenance.fingerprint()
