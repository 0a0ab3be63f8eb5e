"""
PyTorch: optim
==============

The ``torch.nn`` network trained with the Adam optimizer from ``torch.optim``.
So far we wrote the gradient descent update ourselves. The ``optim``
package implements many update rules, and each one is used the same way.
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
# Build the same model and loss function as in the ``nn`` example.

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# Create the optimizer. We hand it the parameters it should update and a
# learning rate. Adam adapts the step size of each parameter as training
# goes on. Whether that makes the loss fall faster depends on the problem
# and on the learning rates: compare the losses printed below with those
# of the ``nn`` example, which uses plain gradient descent.

learning_rate = 1e-4
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

# %%
# Train. The update is now three calls: ``optimizer.zero_grad()`` clears
# the old gradients, ``loss.backward()`` computes new ones, and
# ``optimizer.step()`` updates the parameters. The optimizer takes care of
# ``torch.no_grad()`` for us.

losses = []
for t in range(500):
    # Forward pass.
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    loss_value = loss.item()
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Clear old gradients, compute new ones, then let Adam update the weights.
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f"final loss {losses[-1]:.6g}")

# %%
# Plot the loss curve.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="optim (Adam)")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: optim")
ax.legend()
plt.show()
