"""
PyTorch: Tensors and autograd
=============================

The same two-layer network, with the backward pass computed by PyTorch autograd.
When a tensor has ``requires_grad=True``, PyTorch records every operation
on it in a computational graph. Calling ``loss.backward()`` walks that
graph backwards and fills in the gradients for us.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Create random input and target data. The data does not need gradients,
# so these tensors do not ask for them.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

# %%
# The weights are the tensors we want gradients for, so we create them with
# ``requires_grad=True``. After ``loss.backward()``, ``w1.grad`` and
# ``w2.grad`` hold the gradient of the loss with respect to each weight.

w1 = torch.randn(D_in, H, device=device, requires_grad=True)
w2 = torch.randn(H, D_out, device=device, requires_grad=True)

# %%
# Autograd builds its graph while the forward pass runs. Every tensor
# computed from a tensor that requires gradients remembers, in
# ``grad_fn``, the backward function of the operation that produced it,
# and ``grad_fn.next_functions`` links that function to the ones of its
# inputs. Following the links from the loss walks the graph that
# ``loss.backward()`` will traverse. It ends in ``AccumulateGrad`` nodes,
# one per weight, which add the gradient into ``.grad``; the data ``x``
# and ``y`` need no gradient, so they have no node.


def print_graph(fn, depth=0):
    """Print a backward function and, indented below it, those of its inputs."""
    print("  " * depth + fn.name())
    for next_fn, _ in fn.next_functions:
        if next_fn is not None:
            print_graph(next_fn, depth + 1)


# One forward pass, as in the training loop below, just to look at its graph.
h = x @ w1
h_relu = h.clamp(min=0)
y_pred = h_relu @ w2
loss = (y_pred - y).pow(2).sum()
print_graph(loss.grad_fn)

# %%
# The forward pass is unchanged, but the hand-written backward pass is gone:
# one call to ``loss.backward()`` replaces it. Two details matter.
#
# * We update the weights inside ``torch.no_grad()``. The update is not part
#   of the model, so autograd must not record it in the graph.
# * PyTorch *adds* new gradients to ``.grad``. We clear the gradients after
#   each update so that the next step starts from zero.

learning_rate = 1e-6
losses = []
for t in range(500):
    # Forward pass. Autograd records each operation as it runs.
    h = x @ w1
    h_relu = h.clamp(min=0)
    y_pred = h_relu @ w2

    loss = (y_pred - y).pow(2).sum()
    # loss is a one-element tensor; .item() gives a plain Python float.
    loss_value = loss.item()
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Backward pass: compute d(loss)/d(w1) and d(loss)/d(w2).
    loss.backward()

    # The update must not be tracked by autograd, so turn tracking off.
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad

    # Gradients accumulate, so reset them before the next backward pass.
    w1.grad = None
    w2.grad = None

print(f"final loss {losses[-1]:.6g}")

# %%
# Plot the loss curve. It matches the hand-written version, because
# autograd computes the same gradients we derived by hand.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="autograd")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Tensors and autograd")
ax.legend()
plt.show()
