"""The publish workflow as GitHub would run it (issue 29), without running it.

``make rehearse`` (``.ci/run`` runs it) runs the build job on a minimal
Debian twice; these tests check, in seconds, what decides how it runs: which
runner each event reaches, every job's time limit, GitHub's expression rules
as tools/workflow_expr.py applies them, and that anything the rehearsal
cannot honour is an error naming the step.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rehearse
import yaml
from workflow_expr import ExpressionError, condition, evaluate, substitute

REPO = Path(__file__).resolve().parents[1]

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _jobs():
    return yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))["jobs"]


@pytest.mark.parametrize(
    ("event", "ref", "variables", "expected"),
    [
        ("push", "refs/heads/main", {"BUILD_RUNNER": "gpu-box"}, "gpu-box"),
        ("push", "refs/heads/main", {}, "ubuntu-latest"),
        ("pull_request", "refs/pull/7/merge", {"BUILD_RUNNER": "gpu-box"}, "ubuntu-latest"),
        # A branch of the repository pushed elsewhere than main: no GPU either.
        ("push", "refs/heads/feature", {"BUILD_RUNNER": "gpu-box"}, "ubuntu-latest"),
    ],
)
def test_only_pushes_to_main_reach_the_gpu_runner(event, ref, variables, expected):
    contexts = rehearse.event_contexts(event, "o/r", "0" * 40, variables)
    contexts["github"]["ref"] = ref
    assert rehearse.runner_label(_jobs()["build"], contexts) == expected


def test_gpu_build_flag_follows_the_runner():
    job = _jobs()["build"]
    for variables, expected in [({"BUILD_RUNNER": "gpu-box"}, True), ({}, False)]:
        contexts = rehearse.event_contexts("push", "o/r", "0" * 40, variables)
        assert substitute(job["env"]["GPU_BUILD"], contexts) is expected


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_time_limit(workflow):
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    for name, job in jobs.items():
        assert isinstance(job.get("timeout-minutes"), int), f"{workflow.name}: job {name} has no timeout-minutes"


def test_every_pip_install_in_the_workflows_checks_hashes():
    for workflow in WORKFLOWS:
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if "pip install" in line and "--index-url" not in line:
                assert "--require-hashes" in line, f"{workflow.name}: {line.strip()}"


def test_the_cache_key_covers_what_shapes_the_outputs():
    steps = {step.get("name"): step for step in _jobs()["build"]["steps"]}
    key = steps["Restore the executed examples"]["with"]["key"]
    for shaping in ["beginner_source/**", "conf.py", "sphinxext/**", "requirements*.lock"]:
        assert f"'{shaping}'" in key, shaping
    restore = steps["Restore the executed examples"]["with"]["restore-keys"]
    # An older cache comes back only when the code that ran it is the same.
    assert "sphinxext/**" in restore and "beginner_source" not in restore


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'a' == 'A'", True),  # GitHub compares strings ignoring case
        ("vars.X != ''", False),  # a missing variable is null, equal to ''
        ("'' || 'fallback'", "fallback"),
        ("'x' && 'y'", "y"),
        ("!vars.X", True),
        ("format('{0}/', 'http://h/r')", "http://h/r/"),
        ("contains('refs/heads/main', 'heads')", True),
        ("github.event_name == 'push' && github.ref == 'refs/heads/main'", True),
    ],
)
def test_expressions_follow_github(expression, expected):
    contexts = rehearse.event_contexts("push", "o/r", "0" * 40, {})
    assert evaluate(expression, contexts) == expected


@pytest.mark.parametrize("expression", ["secrets.TOKEN", "fromJSON('{}')", "github.run_number > 3", "nosuch.x"])
def test_an_expression_it_cannot_honour_is_an_error(expression):
    contexts = rehearse.event_contexts("push", "o/r", "0" * 40, {})
    with pytest.raises(ExpressionError):
        condition(expression, contexts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(uses="actions/setup-node@0000000000000000000000000000000000000000"),
         "no local stand-in for actions/setup-node"),
        (lambda s: s.update(uses="actions/checkout@x", **{"with": {"fetch-depth": 0}}),
         "actions/checkout's input(s) fetch-depth cannot be rehearsed"),
        (lambda s: s.update(shell="pwsh"), "shell cannot be rehearsed"),
        (lambda s: s.update({"working-directory": "docs"}), "working-directory cannot be rehearsed"),
    ],
)
def test_a_step_it_cannot_honour_is_an_error_before_anything_runs(change, message):
    job = copy.deepcopy(_jobs()["build"])
    change(job["steps"][2])
    runner = rehearse.Rehearsal(Path("/nonexistent"), Path("/nonexistent"), job)
    with pytest.raises(rehearse.RehearsalError, match=re.escape(message)):
        runner.run()


def test_a_gpu_label_is_not_rehearsed():
    runner = rehearse.Rehearsal(Path("/nonexistent"), Path("/nonexistent"), _jobs()["build"],
                                variables={"BUILD_RUNNER": "gpu-box"})
    with pytest.raises(rehearse.RehearsalError, match="runs-on is 'gpu-box'"):
        runner.run()


def test_gpu_check_refuses_a_cpu_torch_saying_why():
    done = subprocess.run([sys.executable, str(REPO / "tools/gpu_check.py"), "--require-cuda"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "::error::The GPU build runner cannot use its GPU" in done.stderr
    assert "CPU-only build" in done.stderr or "is_available() is False" in done.stderr


def test_examples_executed_reads_both_builds():
    output = "example_runner: executed 12 example(s): a\n...\nexample_runner: executed 0 example(s): none\n"
    assert rehearse.examples_executed(output) == [12, 0]


@pytest.mark.parametrize(
    ("edited", "restores_older"),
    [
        ("beginner_source/examples_nn/two_layer_net_nn.py", True),
        ("conf.py", False),
        ("sphinxext/execution/example_runner.py", False),
        ("requirements.lock", False),
    ],
)
def test_each_input_of_the_outputs_changes_the_cache_key(tmp_path, edited, restores_older):
    """Any change makes a new key; an older cache comes back only after a change to the sources,
    where sphinx-gallery runs the examples whose source changed (provenance covers the rest)."""
    import shutil

    job = _jobs()["build"]
    step = next(s for s in job["steps"] if s.get("name") == "Restore the executed examples")
    runner = rehearse.Rehearsal(tmp_path, tmp_path / "state", job)
    workspace = runner._host(runner.workspace)
    for name in ["conf.py", "sphinxext", "beginner_source", "requirements.lock", "requirements-torch.lock"]:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, workspace / name if source.is_dir() else
                                                              _parent(workspace / name))

    def keys():
        functions = runner._functions()
        return (substitute(step["with"]["key"], runner.contexts, functions),
                substitute(step["with"]["restore-keys"], runner.contexts, functions).strip())

    key, prefix = keys()
    assert key.startswith(prefix)
    with open(workspace / edited, "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
    new_key, new_prefix = keys()
    assert new_key != key
    assert (new_prefix == prefix) is restores_older


def _parent(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_job_env_it_cannot_honour_is_an_error():
    job = copy.deepcopy(_jobs()["build"])
    job["env"]["TOKEN"] = "${{ secrets.GITHUB_TOKEN }}"
    runner = rehearse.Rehearsal(Path("/nonexistent"), Path("/nonexistent"), job)
    with pytest.raises(rehearse.RehearsalError, match=re.escape("the job's env: the context 'secrets'")):
        runner.run()
