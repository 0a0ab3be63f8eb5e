"""
PyTorch: Compiling graphs
=========================

The ``optim`` example's training step, run eagerly and with the model compiled by ``torch.compile``, and timed.
PyTorch normally runs *eagerly*: each operation executes as soon as
Python reaches it. ``torch.compile`` instead captures the model's forward
pass as a graph the first time it runs, derives the backward pass from
that graph, and generates optimized code for both. Compiling costs time
once; whether it pays off depends on the model and the machine, so we
measure both.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.
#
# The two filters hide warnings that come from inside PyTorch's compiler,
# not from this code. PyTorch 2.13 raises a deprecation warning when
# ``torch.compile`` is first used. On a GPU with TensorFloat32 tensor cores,
# the compiler suggests trading some precision of matrix products for
# speed; we keep full 32-bit precision, so that both versions compute the
# same thing.

import copy
import statistics
import time
import warnings

import matplotlib.pyplot as plt
import torch

warnings.filterwarnings("ignore", message="`torch.jit.script_method` is deprecated", category=DeprecationWarning)
warnings.filterwarnings("ignore", message="TensorFloat32 tensor cores", category=UserWarning)

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")
# This example measures time: the site builds it with no other example
# running beside it.
# sphinx_gallery_parallel = False

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
# model. The real work happens on the first call, when it captures the
# forward pass as a graph, works out the matching backward graph, and
# generates code for both (on the CPU, C++ compiled with the system's C++
# compiler). Later calls run that code directly, as long as the inputs keep
# the same shapes and types.
#
# The optimizer's update stays eager here. It could be compiled too, at
# the price of a longer first step.

compiled_model = torch.compile(model_copy)

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
# Train each version for 500 steps and time every step with
# ``time.perf_counter()``. ``loss.item()`` copies the loss to Python, which
# also waits until an accelerator has finished the step, so the clock
# measures the whole step.

num_steps = 500


def train(model, optimizer):
    """Train for ``num_steps`` steps; return the losses and the step times in seconds."""
    losses, times = [], []
    for _ in range(num_steps):
        start = time.perf_counter()
        loss = train_step(model, optimizer, x, y)
        loss_value = loss.item()
        times.append(time.perf_counter() - start)
        losses.append(loss_value)
    return losses, times


losses, eager_times = train(model, optimizer)
compiled_losses, compiled_times = train(compiled_model, optimizer_copy)

# %%
# Compare. The first step of the compiled model includes the compilation.
# For the cost of a step we take the median over the steps after the first
# ten, when both versions are warmed up. The two runs must also agree. The
# compiled code may add numbers up in a different order, so the losses
# can differ in their last digits. We measure the largest difference
# against the loss at the start: rounding keeps it tiny.

warmup = 10
eager_ms = 1000 * statistics.median(eager_times[warmup:])
compiled_ms = 1000 * statistics.median(compiled_times[warmup:])
print(f"first step: eager {eager_times[0]:.3f} s, compiled {compiled_times[0]:.3f} s (includes compiling)")
print(f"time per step, median of steps {warmup + 1}-{num_steps}:")
print(f"  eager {eager_ms:.3f} ms, compiled {compiled_ms:.3f} ms")
print(f"compiled step is {eager_ms / compiled_ms:.2f}x as fast as the eager one")
compile_cost = compiled_times[0] - eager_times[0]
if compiled_ms < eager_ms:
    print(f"compiling pays for itself after about {compile_cost / ((eager_ms - compiled_ms) / 1000):.0f} steps")
else:
    print("at this size the compiled step is not faster, so compiling does not pay for itself here")

print(f"{'step':>4}  {'eager loss':>12}  {'compiled loss':>13}")
for t in [0, 99, 199, 299, 399, 499]:
    print(f"{t + 1:4d}  {losses[t]:12.6g}  {compiled_losses[t]:13.6g}")
difference = max(abs(a - b) for a, b in zip(losses, compiled_losses, strict=True)) / losses[0]
verdict = "agree" if difference < 1e-4 else "do not agree"
print(f"the losses {verdict}: largest difference {difference:.1e} of the starting loss over {num_steps} steps")

# %%
# Plot the time per step of both versions.

fig, ax = plt.subplots()
bars = ax.bar(["eager", "torch.compile"], [eager_ms, compiled_ms], color=["tab:blue", "tab:orange"])
ax.bar_label(bars, fmt="%.3f ms")
ax.set_ylabel("time per step (ms)")
ax.set_title("PyTorch: Compiling graphs")
plt.show()
