"""Build the site against newer releases, before they reach the published site.

    python tools/upgrade_check.py run --newest          # every requirement at its newest release
    python tools/upgrade_check.py run --pin torch==2.14.1   # one requirement at a given version
    python tools/upgrade_check.py run --nightly         # the locks, with PyTorch's nightly build
    python tools/upgrade_check.py run --as-pinned       # requirements*.txt as they are (a Dependabot PR)
    python tools/upgrade_check.py publish --label upgrade-check [--pull-request]

``run`` decides what to upgrade, locks it, makes a fresh virtual environment
from the new locks (``pip install --require-hashes``, as ``make`` does), and
builds both languages from a fresh copy of the sources with the Makefile's
``SPHINXOPTS`` (``-nW --keep-going``) and every example executed.  A
``DeprecationWarning`` or ``FutureWarning`` an example's own code triggers is
an error (``PYTHONWARNINGS``), so the example fails and the build with it.

* ``--newest``: every ``==`` pin of ``requirements*.txt`` becomes ``>=``,
  ``tools/lock.py --upgrade`` resolves the newest releases, the pins are
  written back at the versions found, and the locks are written again from
  them, so that ``make lock`` gives the same files;
* ``--pin NAME==VERSION``: that requirement's lines (every platform's) name
  the version; the rest stays as locked;
* ``--nightly``: the current locks, then torch from PyTorch's nightly index
  (``--pre``); it only ever reports;
* ``--as-pinned``: the pins of ``requirements*.txt`` as they are, locked
  afresh: a pull request that changes a pin (Dependabot's) builds with it,
  before anyone runs ``make lock`` on its branch.

It leaves in ``--work`` (default ``_build/upgrade-check``): ``locks/`` and
``requirements/`` (the upgraded files), ``venv/``, ``site/`` (the build),
``build-en.log``/``build-zh_CN.log``, ``report.md`` and ``result.json``
(pass or fail, the issue's or pull request's title and body, the record for
``checks/upgrade-check.json``).  With ``--apply``, a passing check copies the
upgraded requirements, locks and record into the repository.  It exits 0 when
the site builds, 1 when it does not, 2 when the check could not get as far as
the build (a lock or an install failed); each writes a report.

``publish`` turns ``result.json`` into GitHub's objects with the ``gh`` CLI
(``GH_TOKEN``): a failure opens the issue labelled ``--label``, or updates the
open one; a pass closes it, and with ``--pull-request`` pushes the upgraded
files to one branch and opens (or updates) its pull request.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import gh_issue
import siteconf
import upgrade_report as report
from lock import entries, name_of

REPO = siteconf.REPO
RECORD = REPO / "checks" / "upgrade-check.json"
#: PyTorch's index of nightly CPU-only builds (pytorch.org's "Get Started"
#: page, "PyTorch Build: Preview (Nightly)", "Compute Platform: CPU").
NIGHTLY_INDEX = "https://download.pytorch.org/whl/nightly/cpu"
#: An example's own deprecated call is an error; a library's internal one is not.
PYTHONWARNINGS = "error::DeprecationWarning:__main__,error::FutureWarning:__main__"
#: The pull request's branch: one, force-pushed by every passing check.
BRANCH = "upgrade-check/locks"
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;+]+)(?P<local>\+[^\s;]+)?(?P<rest>.*)$")


class StepFailed(Exception):
    """A step before the build failed: its name and its output's tail."""

    def __init__(self, step, output):
        super().__init__(step)
        self.step, self.output = step, output


def _run(step, command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode:
        raise StepFailed(step, "\n".join((result.stdout + result.stderr).splitlines()[-40:]))
    return result.stdout


# -- what to upgrade ------------------------------------------------------------------


def requirement_files(folder=REPO):
    return sorted(Path(folder).glob("requirements*.txt"))


def rewrite_pins(text, replace):
    """Each ``name==version`` line of a requirements file through ``replace(match) -> line or None``."""
    lines = []
    for line in text.splitlines():
        match = _PIN.match(line)
        new = replace(match) if match else None
        lines.append(line if new is None else new)
    return "\n".join(lines) + "\n"


def relax(match):
    return f"{match['name']}>={match['version']}{match['rest']}"


def pin_to(name, version):
    def replace(match):
        if report.canonical(match["name"]) == report.canonical(name):
            return f"{match['name']}=={version}{match['rest']}"
        return None
    return replace


def repin_from(lock_dir):
    """Pins at the versions the locks in ``lock_dir`` chose.

    A local label (``+cpu``) stays where the locks have that build of the
    version: a machine without PyTorch's index locks PyPI's build instead.
    """
    versions, builds = {}, set()
    for lock in report.LOCKS:
        for (name, _), version in report.pinned_versions(Path(lock_dir, lock).read_text(encoding="utf-8")).items():
            versions.setdefault(name, version.split("+", 1)[0])
            builds.add((name, version))

    def replace(match):
        name = report.canonical(match["name"])
        found = versions.get(name)
        if not found:
            return None
        local = match["local"] if (name, f"{found}{match['local']}") in builds else ""
        return f"{match['name']}=={found}{local}{match['rest']}"
    return replace


def write_inputs(folder, replace, source=REPO):
    folder.mkdir(parents=True, exist_ok=True)
    for path in requirement_files(source):
        (folder / path.name).write_text(rewrite_pins(path.read_text(encoding="utf-8"), replace), encoding="utf-8")


def ensure_uv(work):
    """A PATH with uv on it: this one's, or the hashed uv of requirements-test.lock in ``work/tools``."""
    if shutil.which("uv") or Path(sys.executable).with_name("uv").exists():
        return os.environ["PATH"] + os.pathsep + str(Path(sys.executable).parent)
    tools = work / "tools"
    if not (tools / "bin" / "uv").exists():
        _run("creating the tools' environment", [sys.executable, "-m", "venv", str(tools)])
        wanted = [e for e in entries((REPO / "requirements-test.lock").read_text(encoding="utf-8"))
                  if name_of(e) == "uv"]
        requirement = tools / "uv.lock"
        requirement.write_text("\n".join(wanted) + "\n", encoding="utf-8")
        _run("installing uv", [str(tools / "bin" / "python"), "-m", "pip", "install", "-q",
                               "--require-hashes", "--no-deps", "-r", str(requirement)])
    return str(tools / "bin") + os.pathsep + os.environ["PATH"]


def lock(inputs, out, *, work, upgrade, lock_args):
    """tools/lock.py run over the requirements in ``inputs``, writing into ``out``."""
    root = Path(tempfile.mkdtemp(dir=work, prefix="lock-root-"))
    (root / "tools").mkdir()
    shutil.copy2(REPO / "tools" / "lock.py", root / "tools" / "lock.py")
    for path in requirement_files(inputs):
        shutil.copy2(path, root / path.name)
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(root / "tools" / "lock.py"), "--out", str(out), *lock_args]
    if upgrade:
        command.append("--upgrade")
    try:
        _run("locking the requirements (tools/lock.py)", command,
             env={**os.environ, "PATH": ensure_uv(work)})
    finally:
        shutil.rmtree(root, ignore_errors=True)


def upgraded_locks(args, work):
    """Write ``work/requirements`` and ``work/locks``; the check's name for itself."""
    inputs, locks = work / "requirements", work / "locks"
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.rmtree(locks, ignore_errors=True)
    if args.newest:
        write_inputs(inputs, relax)
        lock(inputs, locks, work=work, upgrade=True, lock_args=args.lock_args)
        write_inputs(inputs, repin_from(locks))
        lock(inputs, locks, work=work, upgrade=True, lock_args=args.lock_args)
        return "the newest releases"
    if args.pin:
        name, _, version = args.pin.partition("==")
        write_inputs(inputs, pin_to(name, version))
        lock(inputs, locks, work=work, upgrade=False, lock_args=args.lock_args)
        return args.pin
    if args.as_pinned:
        write_inputs(inputs, lambda match: None)
        lock(inputs, locks, work=work, upgrade=False, lock_args=args.lock_args)
        return "the pins of requirements*.txt"
    # --nightly: the locks as they are.
    write_inputs(inputs, lambda match: None)
    locks.mkdir(parents=True)
    for name in report.LOCKS:
        shutil.copy2(REPO / name, locks / name)
    return "PyTorch's nightly build"


# -- the environment and the build ---------------------------------------------------


def installed(python):
    out = _run("listing the environment", [str(python), "-m", "pip", "list", "--format=json"])
    return {item["name"].lower(): item["version"] for item in json.loads(out)}


def make_environment(work, locks):
    """``work/venv`` from the site's and torch's locks; kept when made from the same locks."""
    venv = work / "venv"
    python = venv / "bin" / "python"
    texts = [(locks / name).read_text(encoding="utf-8") for name in ("requirements.lock", "requirements-torch.lock")]
    stamp = hashlib.sha256("\0".join(texts).encode()).hexdigest()
    stamp_file = venv / ".upgrade-check-locks"
    if python.exists() and stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
        return python
    shutil.rmtree(venv, ignore_errors=True)
    _run("creating the virtual environment", [sys.executable, "-m", "venv", str(venv)])
    for name in ("requirements.lock", "requirements-torch.lock"):
        _run(f"installing {name} (pip --require-hashes)",
             [str(python), "-m", "pip", "install", "-q", "--require-hashes", "--no-deps", "-r", str(locks / name)])
    stamp_file.write_text(stamp, encoding="utf-8")
    return python


def install_nightly(python, index):
    # The environment no longer matches its locks: never reuse it.
    python.parent.parent.joinpath(".upgrade-check-locks").unlink(missing_ok=True)
    _run("installing PyTorch's nightly build",
         [str(python), "-m", "pip", "install", "-q", "--pre", "--upgrade", "torch", "--index-url", index])


def build(python, site, work):
    """Both languages, as ``make html`` builds them (English first; a failure stops there).

    Returns ``(passed, first problem, failing examples, log file name, log tail)``.
    """
    sphinx_build = python.with_name("sphinx-build")
    # The extensions of this copy of the sources, as make installs them.
    _run("installing the site's extensions (pip install -e)",
         [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
          "-e", str(site)])
    env = {**os.environ, "PYTHONWARNINGS": PYTHONWARNINGS}
    examples_dirs = [examples for examples, _ in siteconf.GALLERIES]
    failing = []
    for language, options, out in [
        ("en", siteconf.english_options(site), site / "_build" / "html"),
        ("zh_CN", siteconf.chinese_options(site), site / "_build" / "html" / "zh_CN"),
    ]:
        log_file = work / f"build-{language}.log"
        # --no-color: Sphinx colours its log where CI=true, and the report reads it as text.
        command = [str(sphinx_build), "-b", "html", "--no-color", str(site), str(out), *siteconf.SPHINXOPTS,
                   *options]
        with log_file.open("w", encoding="utf-8") as log:
            result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False)
        text = log_file.read_text(encoding="utf-8", errors="replace")
        failing += [name for name in report.failing_examples(text) if name not in failing]
        if result.returncode:
            problem = report.first_problem(text, site, examples_dirs)
            tail = "\n".join(text.splitlines()[-30:])
            return False, problem, failing, log_file.name, tail
    return True, None, failing, None, ""


# -- run -------------------------------------------------------------------------


def run(args):
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    result = {"kind": next(kind for kind in ("newest", "pin", "nightly", "as_pinned") if getattr(args, kind))}
    changes, against = [], args.pin or "the newest releases"
    try:
        against = upgraded_locks(args, work)
        changes = report.version_changes(REPO, work / "locks")
        python = make_environment(work, work / "locks")
        if args.nightly:
            before = installed(python)
            install_nightly(python, args.nightly_index)
            changes = report.installed_changes(before, installed(python))
        torch = installed(python).get("torch")
        if args.nightly:
            against = f"PyTorch's nightly build ({torch})"
        if args.site:
            site = args.site.resolve()
        else:
            shutil.rmtree(work / "site", ignore_errors=True)
            site = siteconf.copy_site(work / "site")
        passed, problem, failing, log_name, tail = build(python, site, work)
    except StepFailed as failure:
        title, body = report.issue_text(against=against, problem=None, changes=changes, log_name="",
                                        run_url=gh_issue.run_url(), failed_step=failure.step,
                                        output_tail=failure.output)
        result.update(passed=False, stage="setup", title=title, body=body, changes=changes)
        _finish(work, result)
        return 2
    if passed:
        title, body = report.pull_request_text(changes=changes, run_url=gh_issue.run_url())
    else:
        title, body = report.issue_text(against=against, problem=problem, changes=changes, log_name=log_name,
                                        run_url=gh_issue.run_url(), output_tail=tail)
    result.update(
        passed=passed, stage="build", title=title, body=body, changes=changes,
        problem=problem and {"example": problem.example, "file": problem.file, "line": problem.line,
                             "cause": problem.cause, "level": problem.level},
        record=report.record(against=against, torch=torch, passed=passed, failing=failing, changes=changes),
    )
    _finish(work, result)
    if passed and args.apply and (args.newest or args.pin):
        apply(work)
    return 0 if passed else 1


def _finish(work, result):
    (work / "report.md").write_text(f"# {result['title']}\n\n{result['body']}", encoding="utf-8")
    (work / "result.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"upgrade_check: {'passes' if result['passed'] else 'fails'}: {result['title']} "
          f"(report in {work / 'report.md'})")


def apply(work):
    """Copy a passing check's requirements, locks and record into the repository."""
    for path in requirement_files(work / "requirements"):
        shutil.copy2(path, REPO / path.name)
    for name in report.LOCKS:
        shutil.copy2(work / "locks" / name, REPO / name)
    result = json.loads((work / "result.json").read_text(encoding="utf-8"))
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps(result["record"], indent=1) + "\n", encoding="utf-8")


# -- publish -----------------------------------------------------------------------


def publish(args):
    result = json.loads((args.work / "result.json").read_text(encoding="utf-8"))
    if not result["passed"]:
        print("upgrade_check:", gh_issue.upsert(args.label, result["title"], result["body"]))
        return 1
    where = gh_issue.run_url() or "a later run"
    print("upgrade_check:", gh_issue.close(
        args.label, f"The check passes again against {result['record']['against']}: {where}."))
    if args.pull_request:
        apply(args.work)
        git = ["git", "-c", f"user.name={args.git_name}", "-c", f"user.email={args.git_email}"]
        _run("git switch", ["git", "switch", "-C", BRANCH], cwd=REPO)
        _run("git add", ["git", "add", "--", *[p.name for p in requirement_files()], *report.LOCKS,
                         str(RECORD.relative_to(REPO))], cwd=REPO)
        _run("git commit", [*git, "commit", "-m", result["title"], "-m", result["body"]], cwd=REPO)
        gh_issue.gh("auth", "setup-git")
        _run("git push", ["git", "push", "--force", "origin", f"HEAD:refs/heads/{BRANCH}"], cwd=REPO)
        body_file = args.work / "body.md"
        body_file.write_text(result["body"], encoding="utf-8")
        found = json.loads(gh_issue.gh("pr", "list", "--head", BRANCH, "--state", "open", "--json", "number"))
        if found:
            gh_issue.gh("pr", "edit", str(found[0]["number"]), "--title", result["title"],
                        "--body-file", str(body_file))
            print(f"upgrade_check: updated pull request #{found[0]['number']}")
        else:
            print("upgrade_check: opened", gh_issue.gh("pr", "create", "--head", BRANCH, "--title", result["title"],
                                                        "--body-file", str(body_file)).strip())
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="lock, install and build; write the report")
    what = runner.add_mutually_exclusive_group(required=True)
    what.add_argument("--newest", action="store_true", help="every requirement at its newest release")
    what.add_argument("--pin", metavar="NAME==VERSION", help="one requirement at this version")
    what.add_argument("--nightly", action="store_true", help="the locks, with PyTorch's nightly build")
    what.add_argument("--as-pinned", action="store_true", help="requirements*.txt's pins as they are, locked afresh")
    runner.add_argument("--nightly-index", default=NIGHTLY_INDEX, help="where --nightly finds torch")
    runner.add_argument("--lock-arg", dest="lock_args", action="append", default=[],
                        help="an option for tools/lock.py (e.g. --lock-arg=--no-torch-index)")
    runner.add_argument("--site", type=Path, help="build this copy of the sources (default: a fresh copy)")
    runner.add_argument("--apply", action="store_true", help="on a pass, copy the upgraded files into the repository")
    for command in (runner, commands.add_parser("publish", help="open or update the issue or pull request")):
        command.add_argument("--work", type=Path, default=REPO / "_build" / "upgrade-check")
    publisher = commands.choices["publish"]
    publisher.add_argument("--label", required=True, help="the label that finds this check's issue")
    publisher.add_argument("--pull-request", action="store_true", help="on a pass, open a pull request")
    publisher.add_argument("--git-name", default="upgrade check")
    publisher.add_argument("--git-email", default="upgrade-check@localhost")
    args = parser.parse_args(argv)
    return run(args) if args.command == "run" else publish(args)


if __name__ == "__main__":
    sys.exit(main())
