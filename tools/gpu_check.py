"""The GPU build, checked: what ``make gpu-check`` runs on a machine with an NVIDIA GPU.

    python tools/gpu_check.py                  # make gpu-check: build, check, restore on the CPU
    python tools/gpu_check.py --require-cuda   # the workflow's install step on the GPU runner

``--require-cuda`` fails, saying why, when torch cannot use a GPU: the
driver's version (``nvidia-smi``), the CUDA version torch was built for
(``torch.version.cuda``) and torch's own warning.  The workflow's GPU build
runs it before building, so a GPU runner never publishes CPU results.

Without options it does what the GPU runner does, in a copy of this checkout
(``_build/gpu-check/``): installs the locks with torch's CUDA build
(``make .venv/.check-installed TORCH_LOCK=requirements-torch-cuda.lock``),
runs ``make html``, and checks

1. every PyTorch example's provenance record names a CUDA device;
2. ``torch.compile`` generates Triton kernels for the GPU (inductor's GPU
   backend), on the same machine and torch;
3. those outputs, restored into a build that sees no GPU
   (``CUDA_VISIBLE_DEVICES=``), run every example again (``provenance``).

It prints each figure (build times, devices) and exits 1 on a failed check.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

from siteconf import GALLERIES

REPO = Path(__file__).resolve().parents[1]


def driver_version() -> str | None:
    """The NVIDIA driver's version (nvidia-smi), or None without one."""
    if not shutil.which("nvidia-smi"):
        return None
    done = subprocess.run(["nvidia-smi", "--query-gpu=driver_version,name", "--format=csv,noheader"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def require_cuda() -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import torch

        available = torch.cuda.is_available()
    driver = driver_version()
    print(f"gpu-check: torch {torch.__version__}, built for CUDA {torch.version.cuda}; "
          f"driver and GPU: {driver or 'no nvidia-smi'}")
    if available:
        print(f"gpu-check: torch uses {torch.cuda.get_device_name(0)}")
        return 0
    reasons = [str(w.message) for w in caught] or ["torch.cuda.is_available() is False"]
    if torch.version.cuda is None:
        reasons.insert(0, "this torch is a CPU-only build (requirements-torch.lock, not requirements-torch-cuda.lock)")
    print("::error::The GPU build runner cannot use its GPU, so the examples would run on the CPU: "
          + "; ".join(reasons), file=sys.stderr)
    return 1


def run(command, cwd, env=None, log=None):
    start = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, check=False, shell=isinstance(command, str))
    if log:
        Path(log).write_text(done.stdout + done.stderr, encoding="utf-8")
    return done, time.monotonic() - start


def executed(log: str) -> list[int]:
    return [int(n) for n in re.findall(r"example_runner: executed (\d+) example", log)]


def check_build(work: Path) -> list[str]:
    problems = []
    for _, gallery in GALLERIES:
        for record in sorted((work / gallery).glob("*.provenance.json")):
            data = json.loads(record.read_text(encoding="utf-8"))
            if data.get("tensorflow") and "torch" not in data:
                continue  # the TensorFlow example: TensorFlow's own device
            device = data.get("device", {})
            print(f"gpu-check:   {record.name.removesuffix('.provenance.json')}: {device}")
            if device.get("kind") != "cuda" and not record.name.startswith("tf_"):
                problems.append(f"{record.name}: ran on {device}, not a CUDA device")
    return problems


COMPILE_PROBE = """
import torch
from torch._inductor.utils import run_and_get_code
model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU()).cuda()
_, code = run_and_get_code(torch.compile(model), torch.randn(8, 64, device="cuda"))
print("triton" in "".join(code))
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--require-cuda", action="store_true", help="only check that torch can use a GPU")
    args = parser.parse_args(argv)
    if args.require_cuda:
        return require_cuda()
    if not driver_version():
        print("gpu-check: no NVIDIA GPU here (nvidia-smi): run it on a machine with one", file=sys.stderr)
        return 1
    work = REPO / "_build" / "gpu-check"
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(REPO), str(work)], check=True)
    python = work / ".venv" / "bin" / "python"
    done, seconds = run(["make", ".venv/.check-installed", "TORCH_LOCK=requirements-torch-cuda.lock"], work)
    print(f"gpu-check: install {seconds:.0f} s (exit {done.returncode})")
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr)
        return 1
    if run([str(python), "tools/gpu_check.py", "--require-cuda"], work)[0].returncode:
        return 1
    problems = []
    done, seconds = run(["make", "html"], work, log=work / "gpu-build.log")
    log = done.stdout + done.stderr
    print(f"gpu-check: GPU build {seconds:.0f} s (exit {done.returncode}), examples executed: {executed(log)}")
    if done.returncode:
        problems.append("the GPU build failed (see _build/gpu-check/gpu-build.log)")
    problems += check_build(work)
    probe, _ = run([str(python), "-c", COMPILE_PROBE], work)
    compiled = probe.stdout.strip().endswith("True")
    print(f"gpu-check: torch.compile generates Triton kernels on the GPU: {compiled}")
    if not compiled:
        problems.append("torch.compile did not use its GPU backend: " + probe.stderr[-500:])
    # The GPU outputs, restored on a machine without a GPU, must all run again.
    done, seconds = run(["make", "html"], work, env={"CUDA_VISIBLE_DEVICES": ""}, log=work / "cpu-build.log")
    log = done.stdout + done.stderr
    counts = executed(log)
    total = sum(len(list((REPO / examples).glob("*.py"))) for examples, _ in GALLERIES)
    print(f"gpu-check: CPU build on the restored outputs {seconds:.0f} s, examples executed: {counts} "
          f"(of {total}); provenance lines: {log.count('provenance:')}")
    if not counts or counts[0] != total:
        problems.append(f"the CPU build ran {counts} examples, not all {total}, on GPU outputs")
    for problem in problems:
        print(f"gpu-check: FAILED: {problem}", file=sys.stderr)
    print("gpu-check: " + ("all checks passed" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
