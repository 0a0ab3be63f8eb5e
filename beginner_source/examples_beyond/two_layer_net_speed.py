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
# own packages; Apple's Accelerate or Intel's MKL in some other builds),
# which runs them on a pool of threads. ``threadpoolctl`` can limit that
# pool whichever library it is, while the program runs; we use it below to
# measure numpy on one thread, like the first PyTorch column, and print
# which library ran with how many threads.

import os
import statistics

import matplotlib.pyplot as plt
import numpy as np
import torch
from threadpoolctl import threadpool_info, threadpool_limits
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
# table takes a few seconds to measure.

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
#   choosing kernels, starting the accelerator). ``adaptive_autorange``
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
# * **Repeat.** One measurement is noisy, so the timer runs the step in
#   blocks and keeps every block's time. ``adaptive_autorange`` runs
#   blocks for at least ``min_run_time`` seconds, then goes on until the
#   spread of the times is small, their interquartile range (IQR, the
#   width of the middle half of them) under 0.05 times the median, the
#   ``threshold`` below, or until ``max_run_time`` seconds have passed.
#   When the time limit leaves fewer than ``min_blocks`` blocks, we time
#   more. We report the median, which a few slow blocks barely move, and
#   the IQR beside it, so that you can see how steady each figure is; the
#   table says how many blocks the figures took.
#
# Two figures whose medians lie closer together than half their two IQRs
# added up are too close to call: their spreads overlap, and the
# sentences below say "no clear difference" for them.

min_run_time, max_run_time, min_blocks = 0.1, 0.5, 5


def measure(step, args, num_threads=1):
    """Time ``step(*args)`` with ``num_threads`` PyTorch CPU threads: (median ms, IQR ms, blocks)."""
    timer = benchmark.Timer(
        stmt="step(*args)",
        globals={"step": step, "args": args},
        num_threads=num_threads,
    )
    m = timer.adaptive_autorange(threshold=0.05, min_run_time=min_run_time, max_run_time=max_run_time)
    times = list(m.times)
    while len(times) < min_blocks:
        times += timer.timeit(m.number_per_run).times
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return 1000 * median, 1000 * (q3 - q1), len(times)


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
    with threadpool_limits(limits=1, user_api="blas"):
        if sizes[0] == (N, H):
            for pool in threadpool_info():
                if pool["user_api"] == "blas":
                    print(f"numpy's BLAS: {pool['internal_api']} {pool['version']}, {pool['num_threads']} thread(s)")
        numpy_time = measure(numpy_step, arrays)
    one_thread = measure(torch_step, cpu_tensors)
    all_threads_time = measure(torch_step, cpu_tensors, num_threads=all_threads)
    if device.type == "cpu":
        accelerator = None
    else:
        device_tensors = [t.to(device) for t in cpu_tensors]
        accelerator = measure(torch_step, device_tensors)
    results.append((N, H, numpy_time, one_thread, all_threads_time, accelerator))

# %%
# Print the table. Times are milliseconds per training step, the median
# with the IQR in brackets; they change from run to run, and a lot from
# machine to machine.

blocks = [figure[2] for row in results for figure in row[2:] if figure is not None]
print(f"milliseconds per training step: median (IQR) of {min(blocks)} to {max(blocks)} blocks each")
header = ["numpy 1 thread", "torch 1 thread", f"torch {all_threads} threads", "accelerator"]
print(f"{'N':>5} {'H':>5}" + "".join(f"  {name:>17}" for name in header))
for N, H, *figures in results:
    cells = ["n/a" if f is None else f"{f[0]:.3f} ({f[1]:.3f})" for f in figures]
    print(f"{N:>5} {H:>5}" + "".join(f"  {cell:>17}" for cell in cells))

# %%
# Say what the table shows. Each sentence below is computed from the
# figures above, so it holds for the machine that ran this script and no
# other. "A is 2.0x as fast as B" means that A's step took half B's time.
# When the two medians lie closer than half their IQRs added up, the
# sentence says that there is no clear difference instead.


def clearly_apart(a, b):
    """Whether two figures (median, IQR, ...) differ by more than their spreads."""
    return abs(a[0] - b[0]) > (a[1] + b[1]) / 2


def compare(name_a, a, name_b, b):
    """A sentence comparing figure ``a`` with figure ``b``."""
    if clearly_apart(a, b):
        return f"{name_a} is {b[0] / a[0]:.3g}x as fast as {name_b}"
    return f"no clear difference between {name_a} and {name_b}: their spreads overlap"


N, H, numpy_time, one_thread, all_threads_time, accelerator = results[-1]
print(f"at N={N}, H={H}, " + compare("PyTorch on 1 CPU thread", one_thread, "numpy on 1 thread", numpy_time))
print(f"at N={N}, H={H}, " + compare(f"PyTorch on {all_threads} CPU threads", all_threads_time, "on 1", one_thread))
if accelerator is None:
    print("no accelerator was present, so none was measured")
else:
    wins = [f"N={n}, H={h}" for n, h, *_, cpu, acc in results if acc[0] < cpu[0] and clearly_apart(acc, cpu)]
    print(f"the accelerator is clearly faster than {all_threads} CPU threads at {len(wins)} of {len(results)} sizes:"
          f" {wins}")
    print(f"at N={N}, H={H}, " + compare("the accelerator", accelerator, f"{all_threads} CPU threads",
                                         all_threads_time))

# %%
# Plot the median time per step against problem size, both on log scales.

work = [N * H for N, H, *_ in results]
fig, ax = plt.subplots()
ax.loglog(work, [r[2][0] for r in results], "o-", label="numpy, 1 thread")
ax.loglog(work, [r[3][0] for r in results], "s-", label="PyTorch, CPU, 1 thread")
ax.loglog(work, [r[4][0] for r in results], "d-", label=f"PyTorch, CPU, {all_threads} threads")
if device.type != "cpu":
    ax.loglog(work, [r[5][0] for r in results], "^-", label=f"PyTorch, {device.type}")
ax.set_xticks(work, [f"{N}×{H}" for N, H, *_ in results])
ax.minorticks_off()
ax.set_xlabel("problem size (N × H)")
ax.set_ylabel("time per step (ms), median")
ax.set_title("PyTorch: Timing a training step")
ax.legend()
plt.show()
