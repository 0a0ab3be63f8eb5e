"""
PyTorch: Compiling graphs
=========================

The ``optim`` example's training step, run eagerly and with the model compiled by ``torch.compile``, and timed.
PyTorch normally runs *eagerly*: each operation executes as soon as
Python reaches it. ``torch.compile`` instead reads the model's forward
method the first time it is called, before running it, turns it into a
graph, derives the backward pass from that graph, and generates optimized
code for both. Compiling costs time
once; whether it pays off depends on the model and the machine, so we
measure both.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import copy
import os
import shutil
import statistics
import sys
import time

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")
print(f"PyTorch uses {torch.get_num_threads()} CPU thread(s)")
# sphinx_gallery_start_ignore
# Warnings from inside PyTorch's compiler, not from this code, which the
# site's build (run with warnings as errors) must not stop on: PyTorch 2.13
# raises a deprecation warning when torch.compile is first used, and on a
# GPU with TensorFloat32 tensor cores the compiler suggests trading some
# precision of matrix products for speed. We keep full 32-bit precision,
# so that both versions compute the same thing.
import warnings

warnings.filterwarnings("ignore", message="`torch.jit.script_method` is deprecated", category=DeprecationWarning)
warnings.filterwarnings("ignore", message="TensorFloat32 tensor cores", category=UserWarning)
# This example measures time: the site builds it with no other example
# running beside it.
# sphinx_gallery_parallel = False
# sphinx_gallery_end_ignore

# %%
# Create random data and the model, loss function and optimizer of the
# ``optim`` example. We need the model twice, once to run eagerly and once
# to compile, and both must start from the same weights so that their
# losses can be compared: ``copy.deepcopy`` makes an independent copy.
# Each copy gets its own optimizer.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
model_copy = copy.deepcopy(model)
loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-4
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
optimizer_copy = torch.optim.Adam(model_copy.parameters(), lr=learning_rate)

# %%
# Compile the copy. ``torch.compile`` returns at once: it only wraps the
# model. The real work happens on the first call. Its front end, Dynamo,
# reads the Python bytecode of ``forward`` before that code runs and turns
# the tensor operations it finds into a graph; it works out the matching
# backward graph, and generates code for both (on the CPU, C++ compiled
# with the system's C++ compiler). Later calls run that code directly, as
# long as the inputs keep the same shapes and types.
#
# Only the model is compiled: the loss and the optimizer's update stay
# eager here. They could be compiled too, at the price of a longer first
# step.
#
# On the CPU, the default backend (Inductor) needs a C++ compiler: ``g++``
# on Linux, ``clang++`` on macOS (Xcode's command line tools), or the one
# the ``CXX`` variable names. Without one, ``torch.compile`` would fail at
# the first call, so this script then asks for the ``aot_eager`` backend:
# it captures the same graphs but runs them with PyTorch's own kernels, so
# it shows the capture and none of the speed-up.

compiler = os.environ.get("CXX", "clang++" if sys.platform == "darwin" else "g++")
backend = "inductor"
if device.type == "cpu" and shutil.which(compiler) is None:
    backend = "aot_eager"
    print(f"No C++ compiler ({compiler}) found: compiling with the aot_eager backend, which generates no code")
compiled_model = torch.compile(model_copy, backend=backend)
# sphinx_gallery_start_ignore
# Keep the code that the compiler generates, to list on the page what it
# fused. ``save_output_code`` is the hook PyTorch provides for this (its own
# tests use it); it is called with the code of each compiled graph, also
# when that code comes from the compile cache.
from torch._inductor.graph import GraphLowering

generated_code = []
GraphLowering.save_output_code = generated_code.append
# sphinx_gallery_end_ignore

# %%
# One training step is the body of the ``optim`` loop, as a function of
# the model and its optimizer, so that the same code runs both versions.


def train_step(model, optimizer, x, y):
    """Forward pass, loss, backward pass and update; returns the loss."""
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


# %%
# Train both versions for 500 steps, taking turns: an eager step, then a
# compiled step. Run one after the other, the second version would meet
# a machine in another state (other programs running, a processor that
# has changed its clock speed); taking turns exposes both to the same
# conditions.
#
# We time every step with ``time.perf_counter()``, because the first
# step, the one that compiles, matters here as much as the later ones.
# ``torch.utils.benchmark.Timer`` (see the timing example) is the tool for
# the cost of a statement run many times over; here we want the steps of
# one real training run. ``loss.item()`` copies the loss to Python, which
# also waits until an accelerator has finished the step, so the clock
# measures the whole step.

num_steps = 500


def timed_step(model, optimizer):
    """Run one training step; return its loss and its time in seconds."""
    start = time.perf_counter()
    loss_value = train_step(model, optimizer, x, y).item()
    return loss_value, time.perf_counter() - start


losses, eager_times = [], []
compiled_losses, compiled_times = [], []
for _ in range(num_steps):
    loss_value, seconds = timed_step(model, optimizer)
    losses.append(loss_value)
    eager_times.append(seconds)
    loss_value, seconds = timed_step(compiled_model, optimizer_copy)
    compiled_losses.append(loss_value)
    compiled_times.append(seconds)

# %%
# Compare. The first step of the compiled model includes the compilation.
# For the cost of a step we take the median over steps 11 to 500, leaving
# out the first ten, while both versions warm up. The two runs must also
# agree. The compiled code may add numbers up in a different order, so the
# losses can differ in their last digits. We measure the largest
# difference against the loss at the start: rounding keeps it tiny.
#
# Every comparison printed below is computed from these measurements.

warmup = 10


def median_and_iqr_ms(times):
    """The median and the interquartile range of ``times``, in milliseconds."""
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return 1000 * median, 1000 * (q3 - q1)


eager_ms, eager_iqr = median_and_iqr_ms(eager_times[warmup:])
compiled_ms, compiled_iqr = median_and_iqr_ms(compiled_times[warmup:])
print(f"first step: eager {eager_times[0]:.3f} s, compiled {compiled_times[0]:.3f} s (includes compiling)")
print(f"time per step, median (IQR) of steps {warmup + 1} to {num_steps}:")
print(f"  eager {eager_ms:.3f} ms ({eager_iqr:.3f}), compiled {compiled_ms:.3f} ms ({compiled_iqr:.3f})")
# As in the timing example: medians closer together than half their two
# IQRs added up are too close to call.
if abs(eager_ms - compiled_ms) <= (eager_iqr + compiled_iqr) / 2:
    print("no clear difference between the compiled and the eager step: their spreads overlap")
else:
    print(f"the compiled step is {eager_ms / compiled_ms:.2f}x as fast as the eager one")
    compile_cost = compiled_times[0] - eager_times[0]
    if compiled_ms < eager_ms:
        print(f"compiling pays for itself after about {compile_cost / ((eager_ms - compiled_ms) / 1000):.0f} steps")
    else:
        print("the compiled step was slower here, so compiling did not pay for itself")

print(f"{'step':>4}  {'eager loss':>12}  {'compiled loss':>13}")
for t in [0, 99, 199, 299, 399, 499]:
    print(f"{t + 1:4d}  {losses[t]:12.6g}  {compiled_losses[t]:13.6g}")
difference = max(abs(a - b) for a, b in zip(losses, compiled_losses, strict=True)) / losses[0]
verdict = "agree" if difference < 1e-4 else "do not agree"
print(f"the losses {verdict}: largest difference {difference:.1e} of the starting loss over {num_steps} steps")
# sphinx_gallery_start_ignore
# List what the compiler generated for the model, read from its own code:
# in each graph's ``call`` function, the library calls (``extern_kernels``)
# and the kernels it generated, which it names after the operations they
# fuse (``cpp_fused_relu_0`` on the CPU, ``triton_poi_fused_relu_0`` on a
# GPU).
GraphLowering.save_output_code = None
import re


def what_was_generated(code):
    """The library calls and the fused operations of the generated kernels in one graph's code."""
    body = code[code.index("def call(self, args):") :]
    library = re.findall(r"\bextern_kernels\.(\w+)\(", body)
    fused = re.findall(r"\b(?:cpp|triton_[a-z]+)_fused_(\w+?)_\d+(?:\.run)?\(", body)
    return library, fused


passes = {"backward" if "tangents_" in code else "forward": what_was_generated(code) for code in generated_code}
if backend == "inductor":
    print("what torch.compile generated for the model (the loss and the update were not compiled):")
    for name in ["forward", "backward"]:
        library, fused = passes[name]
        print(f"  {name} pass: library calls {', '.join(library)}; generated kernels {', '.join(fused)}")
# sphinx_gallery_end_ignore

# %%
# Why does a model this small gain little, or even lose? Two reasons.
#
# * **The matrix products stay library calls.** Almost all the arithmetic
#   of a step is in the two ``Linear`` layers and their gradients, and the
#   compiled code hands those matrix products to the same library that
#   eager PyTorch calls (a BLAS library on the CPU, cuBLAS on an NVIDIA
#   GPU). The compiler generates code only for the small operations around
#   them, and puts operations that read the same data into one kernel,
#   named after them. On this example's page, the last lines of the output
#   above list what it generated when the site was built: the ReLU in the
#   forward pass; in the backward pass, the ReLU's gradient
#   (``threshold_backward``) and the biases' gradients (``sum``, over the
#   batch). The loss is computed outside the model, so it runs eagerly.
#   Run the script with the environment variable ``TORCH_LOGS=output_code``
#   to read the generated code yourself.
# * **Guards and launches add overhead.** Before each call, the compiled
#   model checks its *guards*, the conditions under which its code is
#   valid (same shapes, dtypes, devices, ...), and then launches its
#   generated code and the library calls one by one. With operations this
#   small, that fixed cost is of the same size as what fusing saves.
#
# A larger model, with more operations between the matrix products, has
# more to fuse. On a GPU, when a model spends its time launching many
# small kernels, ``torch.compile(model, mode="reduce-overhead")`` records
# the compiled forward and backward passes as CUDA graphs and replays each
# with a single launch; the loss and ``optimizer.step()``, outside the
# compiled model, still run eagerly.
#
# The first step's cost depends on the compile cache. ``torch.compile``
# keeps the code it generates in a cache on disk, so a second run of this
# script on the same machine skips most of the work and its first step is
# much shorter. The figure above is the one of this run, whose cache may
# have been warm or cold.

# %%
# Plot the time per step of both versions.

fig, ax = plt.subplots()
bars = ax.bar(["eager", "torch.compile"], [eager_ms, compiled_ms], color=["tab:blue", "tab:orange"])
ax.bar_label(bars, fmt="%.3f ms")
ax.set_ylabel(f"time per step (ms), median of steps {warmup + 1} to {num_steps}")
ax.set_title("PyTorch: Compiling graphs")
plt.show()
