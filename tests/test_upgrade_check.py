"""The scheduled checks: tools/upgrade_check.py, its report, its workflows, the pages' "last checked" line.

The two ``upgrade`` tests run the real upgrade this machine offers (torch
2.13.0 -> 2.14.1: a fresh environment from the upgraded locks, both
languages built with every example executed), once as it is and once with a
deprecation put into one example.  ``UPGRADE_CHECK_LOCK_ARGS`` passes options
to tools/lock.py where PyTorch's index cannot be reached, e.g.
``--no-torch-index --find-links=/opt/wheels``.
"""

import datetime
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import siteconf
import upgrade_check
import upgrade_report
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).parent / "roots"
WORKFLOWS = REPO / ".github" / "workflows"
SCHEDULED = ("upgrade-check.yml", "links.yml", "lighthouse.yml")


def html_of(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


# -- the report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def deprecation_log(tmp_path_factory):
    """A real build log: an example's deprecated call under the check's PYTHONWARNINGS."""
    src = tmp_path_factory.mktemp("deprecation") / "src"
    shutil.copytree(ROOTS / "test-upgrade-deprecation", src)

    def build(warnings):
        env = dict(os.environ)
        env.pop("PYTHONWARNINGS", None)
        if warnings:
            env["PYTHONWARNINGS"] = warnings
        shutil.rmtree(src / "gallery", ignore_errors=True)
        return subprocess.run(
            [str(Path(sys.executable).with_name("sphinx-build")), "-b", "html", "--no-color", str(src),
             str(src / "_build"), *siteconf.SPHINXOPTS, "-E"],
            capture_output=True, text=True, env=env, check=False,
        )

    quiet = build(None)
    checked = build(upgrade_check.PYTHONWARNINGS)
    return src, quiet, checked


def test_a_deprecation_passes_a_plain_build(deprecation_log):
    _, quiet, _ = deprecation_log
    assert quiet.returncode == 0, quiet.stderr


def test_the_checks_build_fails_on_an_examples_deprecation(deprecation_log):
    src, _, checked = deprecation_log
    assert checked.returncode == 1
    problem = upgrade_report.first_problem(checked.stdout + checked.stderr, src, ["examples"])
    assert problem.example == "examples/b_deprecated.py"
    assert problem.where == "examples/b_deprecated.py:11"
    assert problem.cause == "DeprecationWarning: x is deprecated, use y"
    assert upgrade_report.failing_examples(checked.stderr) == ["examples/b_deprecated.py"]


def test_issue_names_example_warning_line_and_versions(deprecation_log):
    src, _, checked = deprecation_log
    problem = upgrade_report.first_problem(checked.stderr, src, ["examples"])
    title, body = upgrade_report.issue_text(
        against="torch==2.14.1", problem=problem, changes=[("torch", "2.13.0+cpu", "2.14.1")],
        log_name="build-en.log", run_url="https://github.com/o/r/actions/runs/1",
    )
    assert title == "Upgrade check fails against torch==2.14.1"
    lines = body.splitlines()
    assert "- Example: `examples/b_deprecated.py`" in lines
    assert "- First warning: `DeprecationWarning: x is deprecated, use y`" in lines
    assert "- At: `examples/b_deprecated.py:11`" in lines
    assert "| torch | 2.13.0+cpu | 2.14.1 |" in lines
    assert "Run: https://github.com/o/r/actions/runs/1" in lines


def test_pull_request_text_heads_with_torch():
    changes = [("numpy", "2.4.6", "2.5.0"), ("torch", "2.13.0+cpu", "2.14.1+cpu")]
    title, body = upgrade_report.pull_request_text(changes=changes, run_url=None)
    assert title == "Upgrade the locked requirements: PyTorch 2.13.0+cpu -> 2.14.1+cpu"
    assert "| numpy | 2.4.6 | 2.5.0 |" in body.splitlines()
    title, _ = upgrade_report.pull_request_text(changes=changes[:1], run_url=None)
    assert title == "Upgrade the locked requirements: 1 package(s)"


def test_version_changes_between_real_locks(tmp_path):
    for name in upgrade_report.LOCKS:
        shutil.copy2(REPO / name, tmp_path / name)
    torch_lock = tmp_path / "requirements-torch.lock"
    text = torch_lock.read_text(encoding="utf-8")
    assert "torch==2.13.0+cpu" in text
    torch_lock.write_text(text.replace("torch==2.13.0+cpu", "torch==2.14.1+cpu"), encoding="utf-8")
    assert upgrade_report.version_changes(REPO, tmp_path) == [("torch", "2.13.0, 2.13.0+cpu", "2.13.0, 2.14.1+cpu")]
    (tmp_path / "requirements-workflow.lock").unlink()  # a lock missing on one side is left out
    assert upgrade_report.version_changes(tmp_path, tmp_path) == []
    assert upgrade_report.version_changes(REPO, REPO) == []


def test_pins_relaxed_pinned_and_written_back():
    text = (REPO / "requirements-torch.txt").read_text(encoding="utf-8")
    relaxed = upgrade_check.rewrite_pins(text, upgrade_check.relax)
    assert 'torch>=2.13.0; sys_platform == "linux" and platform_machine == "x86_64"' in relaxed.splitlines()
    pinned = upgrade_check.rewrite_pins(text, upgrade_check.pin_to("torch", "2.14.1"))
    assert [line for line in pinned.splitlines() if line.startswith("torch")] == [
        'torch==2.14.1; sys_platform == "linux" and platform_machine == "x86_64"',
        'torch==2.14.1; sys_platform != "linux" or platform_machine != "x86_64"',
    ]
    # The pins written again at the versions of the locks (here the current
    # ones): the local label stays.
    for path in upgrade_check.requirement_files():
        # Every pin, whatever its spelling (LinkChecker, PyYAML), found in the locks.
        original = path.read_text(encoding="utf-8")
        assert upgrade_check.rewrite_pins(original, upgrade_check.repin_from(REPO)) == original, path.name
        relaxed = upgrade_check.rewrite_pins(original, upgrade_check.relax)
        assert not re.search(r"^[A-Za-z0-9][\w.-]*==", relaxed, re.MULTILINE), path.name
    moved = upgrade_check.rewrite_pins(text, lambda match: f"{match['name']}==1.0{match['local'] or ''}{match['rest']}")
    assert 'torch==1.0+cpu; sys_platform == "linux" and platform_machine == "x86_64"' in moved.splitlines()


def test_record_of_a_check():
    data = upgrade_report.record(against="the newest releases", torch="2.14.1", passed=False,
                                 failing=["a.py"], changes=[("torch", "2.13.0", "2.14.1")],
                                 today=datetime.date(2026, 12, 13))
    assert data == {"schema": 1, "date": "2026-12-13", "against": "the newest releases", "torch": "2.14.1",
                    "result": "fails", "failing": ["a.py"],
                    "changes": [{"name": "torch", "old": "2.13.0", "new": "2.14.1"}]}


# -- the real upgrade -------------------------------------------------------------------


@pytest.fixture(scope="module")
def upgrade_work(tmp_path_factory):
    """One work folder: the second check reuses the first one's environment."""
    return tmp_path_factory.mktemp("upgrade")


def check(work, *extra, pin="torch==2.14.1"):
    lock_args = [f"--lock-arg={arg}" for arg in shlex.split(os.environ.get("UPGRADE_CHECK_LOCK_ARGS", ""))]
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "upgrade_check.py"), "run", "--pin", pin,
         "--work", str(work), *lock_args, *extra],
        capture_output=True, text=True, check=False,
    )


@pytest.mark.upgrade
def test_a_version_that_does_not_exist_is_reported(tmp_path):
    result = check(tmp_path, pin="torch==99.0")
    assert result.returncode == 2, result.stdout + result.stderr
    data = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert data["passed"] is False
    assert data["title"] == "Upgrade check fails against torch==99.0"
    body = data["body"]
    assert "The check stopped before the build: **locking the requirements (tools/lock.py)** failed." in body
    assert "==99.0" in body.split("```")[1]  # uv's own words
    assert not (tmp_path / "venv").exists()


@pytest.mark.upgrade
def test_real_torch_upgrade_passes(upgrade_work):
    result = check(upgrade_work)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((upgrade_work / "result.json").read_text(encoding="utf-8"))
    assert data["passed"] is True
    assert ["torch", "2.13.0, 2.13.0+cpu", "2.14.1"] in data["changes"]
    assert data["record"]["torch"] == "2.14.1"
    assert data["record"]["result"] == "passes"
    assert data["title"] == "Upgrade the locked requirements: PyTorch 2.13.0, 2.13.0+cpu -> 2.14.1"
    # The pages say which torch ran them.
    page = html_of(upgrade_work / "site/_build/html/beginner/examples_nn/two_layer_net_nn.html")
    assert "PyTorch 2.14.1" in page.select_one("p.example-provenance").get_text()
    # checked_against adds its line under it.
    assert page.select_one("p.example-checked-against") is not None


@pytest.mark.upgrade
def test_injected_deprecation_is_reported(upgrade_work, tmp_path):
    site = siteconf.copy_site(tmp_path / "site")
    example = site / "beginner_source/examples_nn/two_layer_net_nn.py"
    lines = example.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("import torch")) + 1
    lines.insert(at, 'import warnings; warnings.warn("x is deprecated", DeprecationWarning)')
    example.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check(upgrade_work, "--site", str(site))
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads((upgrade_work / "result.json").read_text(encoding="utf-8"))
    assert data["problem"] == {
        "example": "beginner_source/examples_nn/two_layer_net_nn.py",
        "file": "beginner_source/examples_nn/two_layer_net_nn.py",
        "line": at + 1,
        "cause": "DeprecationWarning: x is deprecated",
        "level": "WARNING",
    }
    body = data["body"].splitlines()
    assert f"- At: `beginner_source/examples_nn/two_layer_net_nn.py:{at + 1}`" in body
    assert "| torch | 2.13.0, 2.13.0+cpu | 2.14.1 |" in body
    assert data["record"]["failing"] == ["beginner_source/examples_nn/two_layer_net_nn.py"]


# -- the workflows ---------------------------------------------------------------------


def workflow(name):
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SCHEDULED)
def test_every_job_has_a_timeout_and_its_own_permissions(name):
    data = workflow(name)
    assert data["permissions"] == {}
    for job in data["jobs"].values():
        assert 0 < job["timeout-minutes"] <= 120
        assert job["permissions"].get("contents") in ("read", "write")


def test_only_the_newest_job_may_write_code_or_pull_requests():
    jobs = workflow("upgrade-check.yml")["jobs"]
    writes = {
        name: sorted(scope for scope, level in job["permissions"].items() if level == "write")
        for name, job in jobs.items()
    }
    assert writes == {"newest": ["contents", "issues", "pull-requests"], "nightly": ["issues"], "pins": []}
    # A pull request reaches only the job that writes nothing.
    assert {name: job["if"] for name, job in jobs.items()} == {
        "newest": "github.event_name != 'pull_request'",
        "nightly": "github.event_name != 'pull_request'",
        "pins": "github.event_name == 'pull_request'",
    }
    assert workflow("links.yml")["jobs"]["links"]["permissions"] == {"contents": "read", "issues": "write"}


@pytest.mark.parametrize("name", SCHEDULED)
def test_the_yaml_only_calls_scripts(name):
    for job in workflow(name)["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                assert re.match(r"(python|\.venv/bin/python) (-m pip install --require-hashes|tools/\w+\.py)"
                                r"|make( [\w./-]+)+$", line.strip()), line


@pytest.mark.parametrize("name", SCHEDULED)
def test_actions_are_the_publish_workflows_commits(name):
    known = dict(re.findall(r"uses: (\S+)@(\S+)", (WORKFLOWS / "site.yml").read_text(encoding="utf-8")))
    uses = re.findall(r"uses: (\S+)@(\S+)", (WORKFLOWS / name).read_text(encoding="utf-8"))
    assert uses
    for action, ref in uses:
        assert known.get(action) == ref, action


def test_scheduled_workflows_pass_actionlint_and_zizmor():
    bin_dir = Path(sys.executable).parent
    files = [str(WORKFLOWS / name) for name in SCHEDULED]
    lint = subprocess.run([str(bin_dir / "actionlint"), "-no-color", *files], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    audit = subprocess.run([str(bin_dir / "zizmor"), "--offline", "--persona=auditor", *files],
                           capture_output=True, text=True, check=False)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "No findings to report." in audit.stdout


def test_dependabot_watches_actions_and_pip():
    data = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert {update["package-ecosystem"] for update in data["updates"]} == {"github-actions", "pip"}


# -- the pages' line -------------------------------------------------------------------


@pytest.fixture
def checked_build(tmp_path, make_app):
    """Build a copy of test-checked-against with a given record (or none)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-checked-against", src)

    def build(record=None, **overrides):
        if record is not None:
            (src / "checks").mkdir(exist_ok=True)
            text = record if isinstance(record, str) else json.dumps(record)
            (src / "checks" / "upgrade-check.json").write_text(text, encoding="utf-8")
        app = make_app("html", srcdir=src, confoverrides=overrides)
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    return build


def line_of(app, page="gallery/first.html"):
    found = html_of(Path(app.outdir, page)).select("p.example-checked-against")
    assert len(found) == 1
    # It sits right under the provenance line.
    assert "example-provenance" in found[0].find_previous_sibling("p")["class"]
    return found[0].get_text()


def days_ago(days):
    return (datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=days)).isoformat()


def a_record(date, result="passes", failing=()):
    return {"schema": 1, "date": date, "against": "the newest releases", "torch": "2.14.1",
            "result": result, "failing": list(failing), "changes": []}


def test_fresh_record(checked_build, warnings_of):
    date = days_ago(3)
    app = checked_build(a_record(date))
    assert warnings_of(app) == []
    assert line_of(app) == f"Last checked against PyTorch 2.14.1: passes ({date})."
    assert not html_of(Path(app.outdir, "index.html")).select("p.example-checked-against")


def test_failing_example(checked_build, warnings_of):
    date = days_ago(0)
    app = checked_build(a_record(date, "fails", ["examples/second.py"]))
    assert warnings_of(app) == []
    assert line_of(app, "gallery/second.html") == f"Last checked against PyTorch 2.14.1: fails ({date})."
    assert line_of(app) == f"Last checked against PyTorch 2.14.1: passes ({date})."


def test_stale_record(checked_build, warnings_of):
    date = days_ago(31)
    app = checked_build(a_record(date))
    assert warnings_of(app) == []
    assert line_of(app) == (f"Last checked against PyTorch 2.14.1 on {date}, 31 days ago: "
                            "this page may not work with the newest releases.")
    # 30 days is the limit, still fresh.
    app = checked_build(a_record(days_ago(30)))
    assert line_of(app).endswith(f": passes ({days_ago(30)}).")


def test_no_record(checked_build, warnings_of):
    app = checked_build()
    assert warnings_of(app) == []
    assert line_of(app) == "Not yet checked against a newer PyTorch release."


def test_broken_record_is_a_located_warning(checked_build, warnings_of):
    app = checked_build('{"schema": 1, "date": "yesterday"}')
    record = Path(app.srcdir, "checks", "upgrade-check.json")
    assert warnings_of(app) == [
        f"{record}:1: WARNING: unusable upgrade-check record checks/upgrade-check.json: "
        "its date is missing or not YYYY-MM-DD [checked_against.record]"
    ] * 2  # once for each example page
    assert not html_of(Path(app.outdir, "gallery/first.html")).select("p.example-checked-against")
    app = checked_build('{"schema": 1,\n "date": "2026-12-13",,}')
    assert warnings_of(app)[0] == (
        f"{record}:2: WARNING: unusable upgrade-check record checks/upgrade-check.json: "
        "not JSON (Expecting property name enclosed in double quotes) [checked_against.record]"
    )


def test_line_in_chinese(checked_build, warnings_of):
    date = days_ago(2)
    app = checked_build(a_record(date), language="zh_CN", locale_dirs=[str(REPO / "locales")])
    assert warnings_of(app) == []
    assert line_of(app) == f"最近一次对照 PyTorch 2.14.1 检查：通过（{date}）。"
    stale = days_ago(45)
    app = checked_build(a_record(stale), language="zh_CN", locale_dirs=[str(REPO / "locales")])
    assert line_of(app) == f"最近一次对照 PyTorch 2.14.1 检查是在 {stale}，已过去 45 天：本页可能不适用于最新版本。"
    (Path(app.srcdir) / "checks" / "upgrade-check.json").unlink()
    app = checked_build(language="zh_CN", locale_dirs=[str(REPO / "locales")])
    assert line_of(app) == "尚未对照更新的 PyTorch 版本检查。"


# -- the link check --------------------------------------------------------------------


@pytest.fixture
def link_tree():
    """A built tree in a folder anyone may read (linkchecker run as root reads as nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="links-"))
    folder.chmod(0o755)
    tree = folder / "html"
    (tree / "zh_CN").mkdir(parents=True)
    pages = {
        # The canonical link names the published site, which is not up (make check covers it).
        "index.html": '<link rel="canonical" href="http://127.0.0.1:9/index.html">'
                      '<a href="page.html">page</a> <a href="zh_CN/index.html">zh</a>'
                      '<a href="http://127.0.0.1:9/zh_CN/index.html">zh</a>',
        "page.html": '<a href="https://dead.invalid/a">dead</a> <a href="index.html">home</a>',
        "zh_CN/index.html": '<a href="https://dead.invalid/a">dead</a> <a href="https://robots.invalid/x">bots</a>',
    }
    for name, links in pages.items():
        (tree / name).write_text(f"<!DOCTYPE html><html><body>{links}</body></html>", encoding="utf-8")
    for path in [tree, tree / "zh_CN", *tree.rglob("*.html")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield tree
    shutil.rmtree(folder)


def test_link_report_lists_page_and_link(link_tree, tmp_path):
    import link_report

    ignore = tmp_path / "ignore.txt"
    ignore.write_text("# refuses robots\nhttps://robots\\.invalid/\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "link_report.py"), "run", str(link_tree),
         "--ignore", str(ignore), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads((tmp_path / "work" / "result.json").read_text(encoding="utf-8"))
    assert list(data["broken"]) == ["https://dead.invalid/a"]
    assert sorted(data["broken"]["https://dead.invalid/a"]["pages"]) == ["page.html", "zh_CN/index.html"]
    assert data["title"] == "Broken external links: 1"
    row = next(line for line in data["body"].splitlines() if line.startswith("| https://dead.invalid/a"))
    assert row.startswith("| https://dead.invalid/a | `page.html`<br>`zh_CN/index.html` | ConnectionError")
    assert link_report.ignore_patterns(ignore) == ["https://robots\\.invalid/"]
    # The repository's list is read as patterns: comments only, for now.
    assert link_report.ignore_patterns(link_report.IGNORE_FILE) == []


def test_a_new_record_reaches_the_pages_without_a_clean_build(checked_build, warnings_of):
    checked_build()
    again = checked_build()
    assert "0 added, 0 changed, 0 removed" in again.status.getvalue()
    date = days_ago(1)
    app = checked_build(a_record(date))
    assert warnings_of(app) == []
    assert line_of(app) == f"Last checked against PyTorch 2.14.1: passes ({date})."
    assert line_of(app, "gallery/second.html") == f"Last checked against PyTorch 2.14.1: passes ({date})."
    assert "0 added, 0 changed, 0 removed" in checked_build().status.getvalue()


def test_every_example_page_says_what_it_was_checked_against(site):
    from test_site import EXAMPLE_PAGES

    record = Path(site.src, "checks", "upgrade-check.json")
    for page in EXAMPLE_PAGES:
        for prefix, missing, checked in (
            ("", "Not yet checked against a newer PyTorch release.", "Last checked against PyTorch "),
            ("zh_CN/", "尚未对照更新的 PyTorch 版本检查。", "最近一次对照 PyTorch "),
        ):
            html = html_of(site.out / f"{prefix}{page}.html")
            lines = html.select("p.example-checked-against")
            assert len(lines) == 1, (prefix, page)
            assert "example-provenance" in lines[0].find_previous_sibling("p")["class"]
            text = lines[0].get_text()
            assert text.startswith(checked) if record.exists() else text == missing, (prefix, page, text)


# -- publishing (GitHub cannot be reached from a test: a stand-in gh records the calls) ------


FAKE_GH = """#!/usr/bin/env python3
import json, os, sys
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["issue", "list"]:
    print(os.environ["FAKE_GH_OPEN"])
elif sys.argv[1:3] == ["issue", "create"]:
    print("https://github.com/o/r/issues/8")
"""


@pytest.fixture
def fake_gh(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "gh").write_text(FAKE_GH, encoding="utf-8")
    (folder / "gh").chmod(0o755)
    log = tmp_path / "gh.log"

    def publish(script, work, label, open_issues):
        env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "FAKE_GH_LOG": str(log),
               "FAKE_GH_OPEN": json.dumps(open_issues)}
        log.write_text("", encoding="utf-8")
        result = subprocess.run([sys.executable, str(REPO / "tools" / script), "publish", "--label", label,
                                 "--work", str(work)], capture_output=True, text=True, env=env, check=False)
        calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        return result, calls

    return publish


def test_a_failure_opens_one_issue_then_updates_it(fake_gh, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    title, body = upgrade_report.issue_text(against="the newest releases", problem=None, changes=[],
                                            log_name="build-en.log", run_url=None, output_tail="boom")
    (work / "result.json").write_text(json.dumps({"passed": False, "title": title, "body": body}), encoding="utf-8")
    result, calls = fake_gh("upgrade_check.py", work, "upgrade-check", [])
    assert result.returncode == 1
    assert [call[:2] for call in calls] == [["issue", "list"], ["label", "create"], ["issue", "create"]]
    assert calls[0][2:4] == ["--label", "upgrade-check"]
    assert calls[2][calls[2].index("--title") + 1] == title
    assert calls[2][calls[2].index("--label") + 1] == "upgrade-check"
    assert result.stdout.strip() == "upgrade_check: opened https://github.com/o/r/issues/8"
    result, calls = fake_gh("upgrade_check.py", work, "upgrade-check", [{"number": 7}])
    assert [call[:3] for call in calls] == [["issue", "list", "--label"], ["issue", "edit", "7"]]
    assert result.stdout.strip() == "upgrade_check: updated issue #7"


def test_clean_links_close_the_issue(fake_gh, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "result.json").write_text(json.dumps({"broken": {}, "title": "", "body": ""}), encoding="utf-8")
    result, calls = fake_gh("link_report.py", work, "broken-links", [{"number": 3}])
    assert result.returncode == 0, result.stderr
    assert calls[-1][:3] == ["issue", "close", "3"]
    result, calls = fake_gh("link_report.py", work, "broken-links", [])
    assert [call[:2] for call in calls] == [["issue", "list"]]
    assert result.stdout.strip() == "link_report: no open issue to close"
