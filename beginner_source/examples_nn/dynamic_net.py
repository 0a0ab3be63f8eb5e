"""
PyTorch: Control Flow + Weight Sharing
======================================

A network whose depth changes at random on every forward pass, with one layer reused several times.
Because PyTorch builds a new graph on each forward pass, ordinary Python
loops and ``if`` statements can shape the model, and one layer can be
applied as often as we like.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import random

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Define the model. On each forward pass it picks a random number from 0
# to 3 and applies the *same* middle layer that many times.
#
# * **Control flow:** the loop is plain Python. Autograd records only the
#   operations that actually ran, so each step gets its own graph.
# * **Weight sharing:** ``middle_linear`` is one layer with one set of
#   weights. When it is used several times, ``backward`` adds up the
#   gradients from every use.


class DynamicNet(torch.nn.Module):
    """Input layer, a shared middle layer used 0 to 3 times, output layer."""

    def __init__(self, D_in, H, D_out):
        """Create the three linear layers."""
        super().__init__()
        self.input_linear = torch.nn.Linear(D_in, H)
        self.middle_linear = torch.nn.Linear(H, H)
        self.output_linear = torch.nn.Linear(H, D_out)

    def forward(self, x):
        """Run a forward pass with a randomly chosen number of middle layers."""
        h_relu = torch.relu(self.input_linear(x))
        # A new random depth on every call; the same weights at every depth.
        for _ in range(random.randint(0, 3)):
            h_relu = torch.relu(self.middle_linear(h_relu))
        y_pred = self.output_linear(h_relu)
        return y_pred


# %%
# Create random data, the model, the loss function and the optimizer. We
# seed Python's ``random`` too, since it picks the depth. Training this
# changing network is harder, so we use SGD with momentum, which smooths
# the updates by keeping a running average of past gradients.

random.seed(0)
torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

model = DynamicNet(D_in, H, D_out).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-4
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)

# %%
# Train with the usual loop. Nothing here knows that the depth changes:
# ``loss.backward()`` follows whatever graph the last forward pass built.

losses = []
for t in range(500):
    # Forward pass: the depth is drawn again on every step.
    y_pred = model(x)
    loss = loss_fn(y_pred, y)
    loss_value = loss.item()
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Clear old gradients, compute new ones, then update the weights.
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f"final loss {losses[-1]:.6g}")

# %%
# Plot the loss curve. It is noisier than the others, because each step
# may run a network of a different depth.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="dynamic net")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Control Flow + Weight Sharing")
ax.legend()
plt.show()
