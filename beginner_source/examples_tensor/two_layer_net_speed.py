"""
PyTorch: Measuring the speedup
==============================

One training step, timed in numpy, in PyTorch on the CPU, and in PyTorch on an accelerator if there is one.
The step is the one of the tensor example: forward pass, backward pass
by hand, update. We time it at the tutorial's size and at two larger
ones, because how much an accelerator helps depends on how much work
each step gives it.
"""

# %%
# Pick the device as usual. The CPU timings are always taken; the
# accelerator column is filled in only when this machine has one.

import statistics
import time

import matplotlib.pyplot as plt
import numpy as np
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")
if device.type == "cpu":
    print("No accelerator here: comparing numpy with PyTorch on the CPU only")
# The site's build limits PyTorch to one CPU thread per example, so that
# examples running side by side do not slow each other down.
print(f"PyTorch uses {torch.get_num_threads()} CPU thread(s)")
# This example measures time: the site builds it with no other example
# running beside it.
# sphinx_gallery_parallel = False

# %%
# The sizes to try. ``D_in`` and ``D_out`` stay as in the tutorial; the
# batch size ``N`` and the hidden size ``H`` grow together, from the
# tutorial's 64 and 100 up to a problem whose matrix products take about
# 650 times as much arithmetic.

D_in, D_out = 1000, 10
sizes = [(64, 100), (256, 1024), (1024, 4096)]
learning_rate = 1e-6

# %%
# One training step, written twice: with numpy arrays and with PyTorch
# tensors. Both are the loops of the first two examples, line for line,
# except that the update returns new weights instead of changing them in
# place. Every repetition then starts from the same weights and does
# exactly the same work.
#
# The PyTorch step does not call ``loss.item()``. That call would make
# the CPU wait for the accelerator; we decide ourselves where to wait.


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
# Timing done right takes three precautions:
#
# * **Warm-up.** The first calls pay one-time costs (allocating memory,
#   choosing kernels, starting the accelerator), so we run a few steps
#   before starting the clock.
# * **Synchronize.** An accelerator runs asynchronously: PyTorch queues
#   the work and returns at once. ``torch.accelerator.synchronize()``
#   waits until the queued work is done, so we call it before reading the
#   clock. Without it we would time the queueing, not the arithmetic.
# * **Repeat.** One measurement is noisy, so we take several and keep the
#   median, which ignores the occasional slow outlier.
#
# ``time.perf_counter()`` is Python's clock for measuring short intervals.

warmup, repeats = 2, 5


def median_ms(step, args, synchronize=None):
    """Median wall-clock time of ``step(*args)``, in milliseconds."""
    for _ in range(warmup):
        step(*args)
    if synchronize is not None:
        synchronize()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step(*args)
        if synchronize is not None:
            synchronize()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


# %%
# Time each size. The data and weights are created once with numpy, in
# 32-bit floats as PyTorch uses (numpy's default would be 64-bit), and
# the PyTorch versions are copies of the very same numbers. At the
# tutorial's size we first check that numpy and PyTorch compute the same
# loss: a speedup is worth nothing if the answers differ.

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
    cpu_ms = median_ms(torch_step, cpu_tensors)
    if device.type == "cpu":
        accelerator_ms = None
    else:
        device_tensors = [t.to(device) for t in cpu_tensors]
        accelerator_ms = median_ms(torch_step, device_tensors, torch.accelerator.synchronize)
    results.append((N, H, numpy_ms, cpu_ms, accelerator_ms))

# %%
# Print the table. Times are milliseconds per training step; they change
# a little from run to run, and a lot from machine to machine.

print(f"{'N':>5} {'H':>5}  {'numpy ms':>10}  {'torch CPU ms':>12}  {'accelerator ms':>14}")
for N, H, numpy_ms, cpu_ms, accelerator_ms in results:
    accelerator = "n/a" if accelerator_ms is None else f"{accelerator_ms:.3f}"
    print(f"{N:>5} {H:>5}  {numpy_ms:>10.3f}  {cpu_ms:>12.3f}  {accelerator:>14}")

N, H, numpy_ms, cpu_ms, accelerator_ms = results[-1]
print(f"PyTorch on the CPU is {numpy_ms / cpu_ms:.1f}x as fast as numpy at the largest size")
if accelerator_ms is not None:
    print(f"accelerator is {cpu_ms / accelerator_ms:.1f}x faster than the CPU at the largest size")

# %%
# Plot time per step against problem size, both on log scales. At the
# tutorial's size a step takes well under a millisecond and fixed costs
# (calling into the library, launching work on a device) dominate; only
# the larger problems give an accelerator enough arithmetic to pay off.

work = [N * H for N, H, *_ in results]
fig, ax = plt.subplots()
ax.loglog(work, [r[2] for r in results], "o-", label="numpy")
ax.loglog(work, [r[3] for r in results], "s-", label="PyTorch, CPU")
if device.type != "cpu":
    ax.loglog(work, [r[4] for r in results], "^-", label=f"PyTorch, {device.type}")
ax.set_xticks(work, [f"{N}×{H}" for N, H, *_ in results])
ax.minorticks_off()
ax.set_xlabel("problem size (N × H)")
ax.set_ylabel("time per step (ms)")
ax.set_title("PyTorch: Measuring the speedup")
ax.legend()
plt.show()
