"""
Warm-up: numpy
==============

A two-layer ReLU network fitted to random data using only numpy.
Numpy knows nothing about GPUs, computation graphs or gradients,
so we write both the forward pass and the backward pass by hand.
"""

# %%
# Numpy arrays always live in main memory, so this example runs on the CPU.
# The PyTorch versions that follow will use a GPU when one is available.

import matplotlib.pyplot as plt
import numpy as np

device = "cpu"
print(f"Running on {device} (numpy)")

# %%
# Create random input and target data. The network has one hidden layer:
# ``N`` is the batch size, ``D_in`` the input size, ``H`` the hidden size
# and ``D_out`` the output size. A seeded generator gives every run the
# same data; the last digits of the losses still depend on the machine and
# on how many threads its matrix library uses.
#
# We ask for 32-bit floats, ``np.float32``, the precision PyTorch uses by
# default, although numpy's own default is 64-bit. Precision shows late in
# training: once the loss is tiny, an update in 32 bits rounds away much of
# what it would change in 64 bits, and after about step 300 the loss falls
# much more slowly than in a 64-bit run. With the same precision
# everywhere, the chart that compares the examples shows differences of
# method, not of precision.

N, D_in, H, D_out = 64, 1000, 100, 10

rng = np.random.default_rng(0)
x = rng.standard_normal((N, D_in), dtype=np.float32)
y = rng.standard_normal((N, D_out), dtype=np.float32)

# %%
# The weights are plain arrays with random starting values. ``w1`` maps the
# input to the hidden layer, ``w2`` maps the hidden layer to the output.

w1 = rng.standard_normal((D_in, H), dtype=np.float32)
w2 = rng.standard_normal((H, D_out), dtype=np.float32)

# %%
# Each training step has three parts. The **forward pass** computes the
# prediction and the loss. The **backward pass** uses the chain rule to get
# the gradient of the loss with respect to each weight. The **update** moves
# each weight a small step against its gradient (gradient descent).

learning_rate = 1e-6
losses = []
for t in range(500):
    # Forward pass: linear layer, ReLU, linear layer.
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2

    # The loss is the sum of squared errors over the whole batch.
    loss = np.square(y_pred - y).sum()
    loss_value = float(loss)
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Backward pass: walk back from the loss to w1 and w2, one layer at a time.
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h_relu = grad_y_pred @ w2.T
    # ReLU passes the gradient through where its input was positive
    # and blocks it where the input was negative.
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    grad_w1 = x.T @ grad_h

    # Update: a small step downhill for each weight.
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

print(f"final loss {losses[-1]:.6g}")

# %%
# Plot the loss curve. A log scale shows the steady drop over many orders
# of magnitude.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="numpy")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("Warm-up: numpy")
ax.legend()
plt.show()
