"""
PyTorch: nn
===========

The two-layer network built from ready-made layers in the ``torch.nn`` package.
A module such as ``torch.nn.Linear`` holds its own weights and knows how
to compute its output, so we no longer manage weight tensors by hand.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Create random input and target data.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

# %%
# Build the model. ``torch.nn.Sequential`` runs its modules one after
# another: a linear layer, a ReLU, and another linear layer. Each
# ``Linear`` creates its own weight and bias, with ``requires_grad=True``
# already set. ``.to(device)`` moves those parameters to our device.
#
# ``torch.nn`` also provides common loss functions. With
# ``reduction="sum"`` the mean squared error loss becomes the sum of
# squared errors, the same loss as before.

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# Train. Calling ``model(x)`` runs the forward pass. ``model.zero_grad()``
# clears the gradients of every parameter at once, and
# ``model.parameters()`` lets us update them all in one loop. The learning
# rate is larger than before because ``Linear`` starts from small weights.

learning_rate = 1e-4
losses = []
for t in range(500):
    # Forward pass: the model computes the prediction, loss_fn the loss.
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    loss_value = loss.item()
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Gradients accumulate, so clear the old ones before computing new ones.
    model.zero_grad()
    loss.backward()

    # Gradient descent on every parameter. The update is not part of the
    # model, so autograd must not record it.
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

print(f"final loss {losses[-1]:.6g}")

# %%
# Plot the loss curve.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="nn")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: nn")
ax.legend()
plt.show()
