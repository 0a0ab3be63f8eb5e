"""
PyTorch: Timing a training step
===============================

One training step, timed in numpy, in PyTorch on the CPU, and on an accelerator if there is one.
The step is the one of the tensor example: forward pass, backward pass
by hand, update. We time it at the tutorial's size and at two larger
ones, because which way runs it fastest depends on how much work each
step holds and on the machine. Every comparison this page states is
worked out from the times it measured.
"""

# %%
# Pick the device as usual. The CPU timings are always taken; the
# accelerator column is filled in only when this machine has one.
#
# numpy hands its matrix products to a BLAS library (OpenBLAS in numpy's
# own packages), which decides how many threads to use once, when numpy is
# first imported. We ask it for one thread before importing numpy, so
# that the numpy column is measured on one thread, like the first PyTorch
# column.

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.utils import benchmark

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")
if device.type == "cpu":
    print("No accelerator was present on this machine: comparing numpy with PyTorch on the CPU only")
all_threads = os.cpu_count()
print(f"This machine has {all_threads} CPU threads")
# sphinx_gallery_start_ignore
# This example measures time: the site builds it with no other example
# running beside it.
# sphinx_gallery_parallel = False
# sphinx_gallery_end_ignore

# %%
# The sizes to try. ``D_in`` and ``D_out`` stay as in the tutorial; the
# batch size ``N`` and the hidden size ``H`` grow together, from the
# tutorial's 64 and 100 up to a problem whose matrix products take about
# 80 times as much arithmetic. Three sizes are enough to see where fixed
# costs dominate and where arithmetic does, and the largest one keeps a
# step on one CPU thread to a few tens of milliseconds, so that the whole
# table takes about a second to measure.

D_in, D_out = 1000, 10
sizes = [(64, 100), (256, 512), (512, 1024)]
learning_rate = 1e-6

# %%
# One training step, written twice: with numpy arrays and with PyTorch
# tensors. Both are the loops of the first two examples, line for line,
# except that the update returns new weights instead of changing them in
# place. Every repetition then starts from the same weights and does
# exactly the same work.
#
# The PyTorch step does not call ``loss.item()``. That call would make
# the CPU wait for the accelerator; the timer decides where to wait.


def numpy_step(x, y, w1, w2):
    """Forward pass, backward pass by hand and update, in numpy."""
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2
    loss = np.square(y_pred - y).sum()

    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h_relu = grad_y_pred @ w2.T
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    grad_w1 = x.T @ grad_h
    return loss, w1 - learning_rate * grad_w1, w2 - learning_rate * grad_w2


def torch_step(x, y, w1, w2):
    """The same step with PyTorch tensors, on whatever device they are on."""
    h = x @ w1
    h_relu = h.clamp(min=0)
    y_pred = h_relu @ w2
    loss = (y_pred - y).pow(2).sum()

    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t() @ grad_y_pred
    grad_h_relu = grad_y_pred @ w2.t()
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t() @ grad_h
    return loss, w1 - learning_rate * grad_w1, w2 - learning_rate * grad_w2


# %%
# Timing done right takes care, and ``torch.utils.benchmark.Timer`` takes
# it for us:
#
# * **Warm-up.** The first calls pay one-time costs (allocating memory,
#   choosing kernels, starting the accelerator). ``blocked_autorange``
#   first runs the statement in growing blocks to choose a block size, and
#   that also warms it up.
# * **Synchronize.** An accelerator runs asynchronously: PyTorch queues
#   the work and returns at once. The timer calls
#   ``torch.accelerator.synchronize()``, which waits until the queued work
#   is done, before each reading of the clock. Without it we would time
#   the queueing, not the arithmetic.
# * **Threads.** ``num_threads`` sets how many CPU threads PyTorch may use
#   during the measurement, and restores the setting afterwards, so each
#   column states its thread count. More threads are not always faster:
#   the threads that share an operation wait for each other at its end,
#   which costs more than it saves when the operation is small, or when
#   other programs keep the processor's cores busy.
# * **Repeat.** One measurement is noisy. ``blocked_autorange`` keeps
#   running blocks until ``min_run_time`` seconds have passed, and we keep
#   the median block, which ignores an occasional slow one.
#
# We ask for at least 0.05 seconds per figure, a quarter of the default:
# that is several blocks at every size, enough to tell the columns apart,
# and it keeps the build short. Raise it for steadier figures.

min_run_time = 0.05


def median_ms(step, args, num_threads=1):
    """Median time of ``step(*args)`` with ``num_threads`` PyTorch CPU threads, in milliseconds."""
    timer = benchmark.Timer(
        stmt="step(*args)",
        globals={"step": step, "args": args},
        num_threads=num_threads,
    )
    return 1000 * timer.blocked_autorange(min_run_time=min_run_time).median


# %%
# Time each size. The data and weights are created once with numpy, in
# 32-bit floats as PyTorch uses (numpy's default would be 64-bit).
# ``torch.from_numpy`` copies nothing: each CPU tensor shares its memory
# with its array, so both libraries work on the very same numbers. Only
# ``.to(device)`` makes copies, on the accelerator. At the tutorial's size
# we first check that numpy and PyTorch compute the same loss: a speedup
# is worth nothing if the answers differ.

rng = np.random.default_rng(0)

results = []
for N, H in sizes:
    arrays = [
        rng.standard_normal(shape, dtype=np.float32)
        for shape in [(N, D_in), (N, D_out), (D_in, H), (H, D_out)]
    ]
    cpu_tensors = [torch.from_numpy(a) for a in arrays]
    if sizes[0] == (N, H):
        loss_numpy = float(numpy_step(*arrays)[0])
        loss_torch = torch_step(*cpu_tensors)[0].item()
        print(f"loss at N={N}, H={H}: numpy {loss_numpy:.6g}, PyTorch {loss_torch:.6g}")
    numpy_ms = median_ms(numpy_step, arrays)
    one_thread_ms = median_ms(torch_step, cpu_tensors)
    all_threads_ms = median_ms(torch_step, cpu_tensors, num_threads=all_threads)
    if device.type == "cpu":
        accelerator_ms = None
    else:
        device_tensors = [t.to(device) for t in cpu_tensors]
        accelerator_ms = median_ms(torch_step, device_tensors)
    results.append((N, H, numpy_ms, one_thread_ms, all_threads_ms, accelerator_ms))

# %%
# Print the table. Times are milliseconds per training step; they change
# a little from run to run, and a lot from machine to machine.

print("milliseconds per training step")
header = ["numpy 1 thread", "torch 1 thread", f"torch {all_threads} threads", "accelerator"]
print(f"{'N':>5} {'H':>5}" + "".join(f"  {name:>16}" for name in header))
for N, H, *times in results:
    cells = ["n/a" if ms is None else f"{ms:.3f}" for ms in times]
    print(f"{N:>5} {H:>5}" + "".join(f"  {cell:>16}" for cell in cells))

# %%
# Say what the table shows. Each sentence below is computed from the
# figures above, so it holds for the machine that ran this script and no
# other. "A is 2.0x as fast as B" means that A's step took half B's time.

N, H, numpy_ms, one_thread_ms, all_threads_ms, accelerator_ms = results[-1]
print(f"at N={N}, H={H}, PyTorch on 1 CPU thread is {numpy_ms / one_thread_ms:.3g}x as fast as numpy on 1 thread")
print(f"at N={N}, H={H}, PyTorch on {all_threads} CPU threads is {one_thread_ms / all_threads_ms:.3g}x as fast as on 1")
if accelerator_ms is None:
    print("no accelerator was present, so none was measured")
else:
    wins = [f"N={n}, H={h}" for n, h, *_, cpu_ms, acc_ms in results if acc_ms < cpu_ms]
    print(f"the accelerator beats {all_threads} CPU threads at {len(wins)} of {len(results)} sizes: {wins}")
    speedup = all_threads_ms / accelerator_ms
    print(f"at N={N}, H={H}, the accelerator is {speedup:.3g}x as fast as {all_threads} CPU threads")

# %%
# Plot time per step against problem size, both on log scales.

work = [N * H for N, H, *_ in results]
fig, ax = plt.subplots()
ax.loglog(work, [r[2] for r in results], "o-", label="numpy, 1 thread")
ax.loglog(work, [r[3] for r in results], "s-", label="PyTorch, CPU, 1 thread")
ax.loglog(work, [r[4] for r in results], "d-", label=f"PyTorch, CPU, {all_threads} threads")
if device.type != "cpu":
    ax.loglog(work, [r[5] for r in results], "^-", label=f"PyTorch, {device.type}")
ax.set_xticks(work, [f"{N}×{H}" for N, H, *_ in results])
ax.minorticks_off()
ax.set_xlabel("problem size (N × H)")
ax.set_ylabel("time per step (ms)")
ax.set_title("PyTorch: Timing a training step")
ax.legend()
plt.show()
