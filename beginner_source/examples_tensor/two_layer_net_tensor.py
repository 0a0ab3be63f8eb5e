"""
PyTorch: Tensors
================

The numpy network rewritten with PyTorch tensors, which can run on a GPU.
A tensor is an n-dimensional array, just like a numpy array. Tensors do
not compute gradients here: we still write the backward pass by hand.
"""

# %%
# Pick the device. PyTorch uses an accelerator (such as a CUDA GPU) when one
# is available, and the CPU otherwise. Every tensor below is created on
# this device, so all the arithmetic runs there.

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Create random input and target data. Seeding PyTorch's random number
# generator makes every run start from the same numbers.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

# %%
# The weights are ordinary tensors with random starting values.

w1 = torch.randn(D_in, H, device=device)
w2 = torch.randn(H, D_out, device=device)

# %%
# The training loop is the numpy loop, line for line: ``@`` is matrix
# multiplication, ``clamp(min=0)`` is the ReLU, and ``.t()`` transposes.
# ``loss.item()`` copies the single loss value back to Python as a float.

learning_rate = 1e-6
losses = []
for t in range(500):
    # Forward pass: linear layer, ReLU, linear layer.
    h = x @ w1
    h_relu = h.clamp(min=0)
    y_pred = h_relu @ w2

    # The loss is the sum of squared errors over the whole batch.
    loss = (y_pred - y).pow(2).sum()
    loss_value = loss.item()
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Backward pass by hand, exactly as in numpy.
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t() @ grad_y_pred
    grad_h_relu = grad_y_pred @ w2.t()
    # ReLU blocks the gradient wherever its input was negative.
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t() @ grad_h

    # Update the weights in place with gradient descent.
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

print(f"final loss {losses[-1]:.6g}")

# %%
# Tensors and numpy arrays convert into each other cheaply, because on the
# CPU they can share memory. ``torch.from_numpy(array)`` makes a tensor
# that uses the array's memory, and ``tensor.numpy()`` makes an array that
# uses the tensor's: nothing is copied, so a change made through one shows
# through the other. The printed values below prove it.
#
# ``.numpy()`` works only for a tensor in main memory, so a tensor on an
# accelerator must come back with ``.cpu()`` first; that makes a copy (on
# the CPU, ``.cpu()`` returns the tensor itself). The dtype carries over
# too: numpy's default 64-bit floats become ``torch.float64``. A matrix
# product with our ``float32`` weights refuses them, and elementwise
# operations quietly make the result ``float64``, so convert with
# ``.to(torch.float32)`` when needed.

import numpy as np

array = np.zeros(3, dtype=np.float32)
shared = torch.from_numpy(array)
array[0] = 1.0
shared[1] = 2.0
print(f"array {array}, tensor {shared}: one memory, two views")
print(f"from_numpy of numpy's default floats gives {torch.from_numpy(np.zeros(3)).dtype}")
w2_numpy = w2.cpu().numpy()
print(f"w2 as a numpy array: shape {w2_numpy.shape}, dtype {w2_numpy.dtype}")

# %%
# Plot the loss curve. It has the shape of the numpy one, but not the same
# values: numpy and PyTorch draw different random numbers from their seeds,
# so they start from different data and weights. Both compute in 32-bit
# floats, so neither has an edge of precision late in training.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="tensors")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Tensors")
ax.legend()
plt.show()
