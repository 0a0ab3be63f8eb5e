"""Rehearse the publish workflow's build job on a minimal Debian, twice (``make rehearse``).

    python tools/rehearse.py                   # a new minimal Debian under _build/rehearsal/
    python tools/rehearse.py --root DIR        # one made before (tools/minimal_debian.py create)

Reads ``.github/workflows/site.yml`` and runs its ``build`` job, step by step,
as GitHub's hosted runner would on a push to main with no repository
variables set: as the ordinary user ``runner`` with passwordless sudo, on a
``debootstrap --variant=minbase`` Debian with python3, python3-venv, make and
git (tools/minimal_debian.py), nothing else.  It keeps no copy of the job's
commands: each ``run:`` is the YAML's own script, run with ``bash -eo
pipefail`` and GitHub's variables (``CI``, ``GITHUB_*``, ``RUNNER_*``, the
job's and the step's ``env:``, ``$GITHUB_OUTPUT``, ``$GITHUB_ENV``).  Each
``uses:`` is stood in for by its local equivalent:

======================  ====================================================
actions/checkout        a clone of this repository's HEAD
actions/setup-python    the system Python (its version must match)
actions/cache           a folder kept between rehearsals (``cache/``): restored
                        by key or restore-keys prefix, saved after a green job
actions/configure-pages ``--site-url`` as ``base_url``
upload-artifact,        a copy (``artifacts/``)
upload-pages-artifact
======================  ====================================================

Every ``${{ }}``, ``if:`` and ``env:`` is evaluated (tools/workflow_expr.py);
one it cannot honour (an unknown action, input, context or function, a
``shell:`` or ``working-directory:``) stops the rehearsal with an error naming
the step, never a skip.  A failing step fails the rehearsal.

The job runs twice, each time from a fresh clone and a fresh virtual
environment, as two pushes would: the first run executes every example and
saves the cache; the second restores it and must execute none.  Needs root
(debootstrap, chroot, mounts).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import minimal_debian as debian
import yaml
from workflow_expr import ExpressionError, as_text, condition, substitute

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
USER = "runner"
HOME = f"/home/{USER}"

#: The inputs each stood-in action accepts; any other is an error.
ACTIONS = {
    "actions/checkout": {"persist-credentials"},
    "actions/setup-python": {"python-version", "cache", "cache-dependency-path"},
    "actions/cache": {"path", "key", "restore-keys"},
    "actions/configure-pages": set(),
    "actions/upload-artifact": {"name", "path", "include-hidden-files", "retention-days"},
    "actions/upload-pages-artifact": {"path", "include-hidden-files"},
}
STEP_KEYS = {"name", "id", "if", "uses", "with", "run", "env", "timeout-minutes"}


class RehearsalError(RuntimeError):
    """Something in the workflow the rehearsal cannot honour, or a failed step."""


def load_job(workflow: Path = WORKFLOW, job: str = "build") -> dict:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    if job not in data.get("jobs", {}):
        raise RehearsalError(f"{workflow.name} has no job {job!r}")
    return data["jobs"][job]


def event_contexts(event: str, repository: str, sha: str, variables: dict) -> dict:
    ref = "refs/heads/main" if event == "push" else "refs/pull/1/merge"
    return {
        "github": {"event_name": event, "ref": ref, "repository": repository, "sha": sha,
                   "ref_name": "main" if event == "push" else "1/merge"},
        "vars": dict(variables),
        "runner": {"os": "Linux", "arch": "X64", "temp": f"{HOME}/work/_temp"},
        "env": {},
        "steps": {},
        "job": {"status": "success"},
    }


def runner_label(job: dict, contexts: dict) -> str:
    return as_text(substitute(job.get("runs-on"), contexts))


def check_step(step: dict, number: int) -> str:
    """The step's name for messages; raises RehearsalError for what cannot be honoured."""
    name = step.get("name") or step.get("uses") or f"step {number}"
    unknown = set(step) - STEP_KEYS
    if unknown:
        raise RehearsalError(f"step {number} ({name}): {', '.join(sorted(unknown))} cannot be rehearsed")
    if "uses" in step:
        action = step["uses"].split("@")[0]
        if action not in ACTIONS:
            raise RehearsalError(f"step {number} ({name}): no local stand-in for {action}")
        extra = set(step.get("with", {})) - ACTIONS[action]
        if extra:
            raise RehearsalError(f"step {number} ({name}): {action}'s input(s) {', '.join(sorted(extra))} "
                                 "cannot be rehearsed")
    elif "run" not in step:
        raise RehearsalError(f"step {number} ({name}) has neither run: nor uses:")
    return name


class Rehearsal:
    """One run of the job in ``root``; ``state`` keeps the cache and artifacts between runs."""

    def __init__(self, root: Path, state: Path, job: dict, *, event="push", site_url="", variables=None,
                 repository="owner/learning-pytorch-with-examples", log=print):
        self.root, self.state, self.job, self.log = root, state, job, log
        self.repository = repository
        self.sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                                  check=True).stdout.strip()
        self.contexts = event_contexts(event, repository, self.sha, variables or {})
        self.site_url = site_url
        name = repository.split("/")[-1]
        self.workspace = f"{HOME}/work/{name}/{name}"
        self.post: list = []
        self.outputs_log: list[str] = []

    # -- the job ----------------------------------------------------------------

    def run(self) -> str:
        """Run every step; return the job's whole output. Raises RehearsalError on a failure."""
        label = runner_label(self.job, self.contexts)
        if label != "ubuntu-latest":
            raise RehearsalError(f"runs-on is {label!r} for this event: only GitHub's hosted runner is rehearsed")
        names = [check_step(step, number) for number, step in enumerate(self.job.get("steps", []), 1)]
        try:
            self.contexts["env"] = {k: as_text(substitute(v, self.contexts, self._functions()))
                                    for k, v in (self.job.get("env") or {}).items()}
        except ExpressionError as exc:
            raise RehearsalError(f"the job's env: {exc}") from exc
        self._fresh_home()
        for number, (step, name) in enumerate(zip(self.job.get("steps", []), names, strict=True), 1):
            try:
                if "if" in step and not condition(step["if"], self.contexts, self._functions()):
                    self.log(f"rehearse: skipped by its if: {name}")
                    continue
                self.log(f"rehearse: {name}")
                outputs = self._uses(step) if "uses" in step else self._run(step, name)
            except ExpressionError as exc:
                raise RehearsalError(f"step {number} ({name}): {exc}") from exc
            if step.get("id"):
                self.contexts["steps"][step["id"]] = {"outputs": outputs, "outcome": "success"}
        for action in self.post:
            action()
        if self._host(self.workspace + "/.venv/bin/pytest").exists():
            raise RehearsalError("the environment that builds the published site has the tests' tools (pytest)")
        return "\n".join(self.outputs_log)

    def _functions(self):
        return {
            "hashFiles": self._hash_files,
            "success": lambda: True, "always": lambda: True,
            "failure": lambda: False, "cancelled": lambda: False,
        }

    def _hash_files(self, *patterns):
        """GitHub's hashFiles: the SHA-256 of the files' SHA-256s, in path order; '' for none."""
        workspace = self._host(self.workspace)
        files = sorted({Path(p) for pattern in patterns for p in glob.glob(str(workspace / pattern), recursive=True)
                        if Path(p).is_file()})
        if not files:
            return ""
        outer = hashlib.sha256()
        for path in files:
            outer.update(hashlib.sha256(path.read_bytes()).digest())
        return outer.hexdigest()

    def _host(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    def _fresh_home(self):
        """A new runner each time: an empty work folder and no pip cache (setup-python's cache: pip keeps one)."""
        work = self._host(f"{HOME}/work")
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(self._host(f"{HOME}/.cache/pip"), ignore_errors=True)
        (work / "_temp").mkdir(parents=True)
        self._host(f"{HOME}/.cache").mkdir(exist_ok=True)
        subprocess.run(["chroot", str(self.root), "chown", "-R", f"{USER}:{USER}", f"{HOME}/work", f"{HOME}/.cache"],
                       check=True)

    def _env(self, step_env: dict, temp: str) -> dict:
        env = {
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": self.workspace,
            "GITHUB_REPOSITORY": self.repository, "GITHUB_SHA": self.sha,
            "GITHUB_REF": self.contexts["github"]["ref"], "GITHUB_EVENT_NAME": self.contexts["github"]["event_name"],
            "RUNNER_OS": "Linux", "RUNNER_TEMP": f"{HOME}/work/_temp", "LANG": "C.UTF-8",
            "GITHUB_OUTPUT": f"{temp}/output", "GITHUB_ENV": f"{temp}/env", "GITHUB_STEP_SUMMARY": f"{temp}/summary",
            "PIP_CACHE_DIR": f"{HOME}/.cache/pip",
        }
        env.update(self.contexts["env"])
        env.update(step_env)
        return env

    def _run(self, step: dict, name: str) -> dict:
        functions = self._functions()
        step_env = {k: as_text(substitute(v, self.contexts, functions)) for k, v in (step.get("env") or {}).items()}
        script = substitute(step["run"], self.contexts, functions)
        temp = f"{HOME}/work/_temp/step"
        host_temp = self._host(temp)
        shutil.rmtree(host_temp, ignore_errors=True)
        host_temp.mkdir(parents=True)
        for file in ("output", "env", "summary"):
            (host_temp / file).touch()
        (host_temp / "script.sh").write_text(script, encoding="utf-8")
        subprocess.run(["chroot", str(self.root), "chown", "-R", f"{USER}:{USER}", temp], check=True)
        timeout = step.get("timeout-minutes")
        start = time.monotonic()
        done = debian.run(
            self.root, USER, f"bash --noprofile --norc -eo pipefail {shlex.quote(temp + '/script.sh')}",
            env=self._env(step_env, temp), cwd=self.workspace, capture_output=True, text=True,
            timeout=timeout * 60 if timeout else None,
        )
        output = done.stdout + done.stderr
        self.outputs_log.append(f"== {name}\n{output}")
        self.log(f"rehearse:   exit {done.returncode} after {time.monotonic() - start:.0f} s")
        if done.returncode:
            raise RehearsalError(f"step {name!r} failed (exit {done.returncode}):\n{output[-4000:]}")
        for line in (host_temp / "env").read_text(encoding="utf-8").splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                self.contexts["env"][key] = value
        return dict(
            line.split("=", 1) for line in (host_temp / "output").read_text(encoding="utf-8").splitlines()
            if "=" in line
        )

    # -- the stood-in actions -----------------------------------------------------

    def _uses(self, step: dict) -> dict:
        action = step["uses"].split("@")[0]
        inputs = {k: substitute(v, self.contexts, self._functions()) for k, v in (step.get("with") or {}).items()}
        return getattr(self, "_" + action.split("/")[1].replace("-", "_"))(inputs)

    def _checkout(self, inputs):
        target = self._host(self.workspace)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(target)], check=True)
        subprocess.run(["git", "checkout", "-q", self.sha], cwd=target, check=True)
        subprocess.run(["chroot", str(self.root), "chown", "-R", f"{USER}:{USER}", f"{HOME}/work"], check=True)
        return {}

    def _setup_python(self, inputs):
        wanted = as_text(inputs.get("python-version", ""))
        done = debian.run(self.root, USER, "python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])'",
                          capture_output=True, text=True)
        have = done.stdout.strip()
        if not have or not wanted or not have.startswith(wanted):
            raise RehearsalError(f"setup-python asks for Python {wanted!r}; the minimal Debian has {have!r}")
        if inputs.get("cache") not in (None, "pip"):
            raise RehearsalError(f"setup-python's cache {inputs['cache']!r} is not rehearsed")
        if inputs.get("cache") == "pip":
            # Restored now, saved after a green job, as setup-python does.
            kept, live = self.state / "pip-cache", self._host(f"{HOME}/.cache/pip")
            live.parent.mkdir(parents=True, exist_ok=True)
            if kept.is_dir():
                shutil.move(kept, live)
                subprocess.run(["chroot", str(self.root), "chown", "-R", f"{USER}:{USER}", f"{HOME}/.cache"],
                               check=True)

            def save():
                if live.is_dir():
                    shutil.rmtree(kept, ignore_errors=True)
                    shutil.move(live, kept)

            self.post.append(save)
        return {"python-version": have}

    def _cache(self, inputs):
        key = as_text(inputs["key"])
        paths = [p for p in as_text(inputs["path"]).splitlines() if p.strip()]
        folder = self.state / "cache"
        folder.mkdir(parents=True, exist_ok=True)
        hit = folder / key
        restored = hit if hit.is_dir() else None
        if restored is None:
            for prefix in [p.strip() for p in as_text(inputs.get("restore-keys", "")).splitlines() if p.strip()]:
                matches = sorted((p for p in folder.iterdir() if p.name.startswith(prefix)),
                                 key=lambda p: p.stat().st_mtime, reverse=True)
                if matches:
                    restored = matches[0]
                    break
        workspace = self._host(self.workspace)
        if restored is not None:
            shutil.copytree(restored, workspace, dirs_exist_ok=True, symlinks=True)
            subprocess.run(["chroot", str(self.root), "chown", "-R", f"{USER}:{USER}", self.workspace], check=True)
        found = "hit" if restored == hit else f"restored {restored.name}" if restored else "miss"
        self.log(f"rehearse:   cache key {key}: {found}")

        def save():
            if hit.is_dir():
                return
            staging = folder / (key + ".saving")
            shutil.rmtree(staging, ignore_errors=True)
            for pattern in paths:
                for found in glob.glob(str(workspace / pattern.strip())):
                    relative = Path(found).relative_to(workspace)
                    if Path(found).is_dir():
                        shutil.copytree(found, staging / relative, symlinks=True)
                    else:
                        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(found, staging / relative)
            staging.rename(hit)
            self.log(f"rehearse:   cache saved as {key}")

        self.post.append(save)
        return {"cache-hit": "true" if restored == hit else "false"}

    def _configure_pages(self, inputs):
        base = self.site_url.rstrip("/")
        return {"base_url": base, "base_path": "/" + base.split("/", 3)[-1] if base.count("/") > 2 else "",
                "origin": "/".join(base.split("/")[:3])}

    def _upload(self, name, inputs):
        source = self._host(self.workspace) / as_text(inputs["path"])
        if not source.exists():
            raise RehearsalError(f"the upload {name!r} names {inputs['path']}, which the job did not write")
        target = self.state / "artifacts" / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)
        return {}

    def _upload_artifact(self, inputs):
        return self._upload(as_text(inputs.get("name", "artifact")), inputs)

    def _upload_pages_artifact(self, inputs):
        return self._upload("github-pages", inputs)


def examples_executed(output: str) -> list[int]:
    """The 'example_runner: executed N example(s)' counts of a job's output (English, Chinese)."""
    return [int(n) for n in re.findall(r"example_runner: executed (\d+) example", output)]


def rehearse(root: Path, state: Path, *, site_url: str, runs: int = 2, log=print) -> list[dict]:
    """Run the build job ``runs`` times; return each run's figures. Raises RehearsalError."""
    job = load_job()
    results = []
    for number in range(1, runs + 1):
        start = time.monotonic()
        output = Rehearsal(root, state, job, site_url=site_url, log=log).run()
        counts = examples_executed(output)
        results.append({"run": number, "seconds": round(time.monotonic() - start), "executed": counts})
        log(f"rehearse: run {number} passed in {results[-1]['seconds']} s, examples executed: {counts}")
        if len(counts) != 2:
            raise RehearsalError(f"run {number}: expected two builds (English, Chinese) in the output, found {counts}")
        if number == 1 and counts[0] == 0:
            raise RehearsalError("run 1 executed no example: the cache should have been empty")
        if number > 1 and any(counts):
            raise RehearsalError(f"run {number} restored the cache but executed {counts} examples, not 0")
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, help="a minimal Debian made before (default: a new one)")
    parser.add_argument("--state", type=Path, default=REPO / "_build" / "rehearsal",
                        help="where the cache and artifacts live between runs")
    parser.add_argument("--site-url", default="http://127.0.0.1:8000/learning-pytorch-with-examples",
                        help="what configure-pages gives as base_url")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    state = args.state
    for kept in ("cache", "artifacts", "pip-cache"):
        shutil.rmtree(state / kept, ignore_errors=True)
    root = args.root
    if root is None:
        root = state / "debian"
        shutil.rmtree(root, ignore_errors=True)
        print(f"rehearse: making a minimal Debian in {root}")
        debian.create(root)
    try:
        rehearse(root, state, site_url=args.site_url, runs=args.runs)
    except RehearsalError as exc:
        print(f"rehearse: FAILED: {exc}", file=sys.stderr)
        return 1
    print("rehearse: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
