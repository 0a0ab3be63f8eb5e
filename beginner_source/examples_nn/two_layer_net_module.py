"""
PyTorch: Custom nn Modules
==========================

The two-layer network written as our own subclass of ``torch.nn.Module``.
A custom module creates its layers in ``__init__`` and says how to combine
them in ``forward``, so it can describe models that a plain
``Sequential`` cannot.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Define the model. Layers assigned as attributes in ``__init__`` are
# registered automatically, so ``model.parameters()`` finds their weights.
# A module can also own a tensor it creates itself: wrapping the tensor in
# ``torch.nn.Parameter`` marks it as a learnable parameter (with
# ``requires_grad=True``), and assigning it as an attribute registers it
# like a layer's weights. Here ``scale``, one factor per output, starts
# at 1 and is learned with the rest. A plain tensor attribute would be
# invisible to ``parameters()``, so the optimizer would never update it.
#
# ``forward`` can use any tensor operations we like. We never call it
# directly: ``model(x)`` calls it for us.


class TwoLayerNet(torch.nn.Module):
    """A fully-connected network with one hidden ReLU layer."""

    def __init__(self, D_in, H, D_out):
        """Create the two linear layers: D_in -> H and H -> D_out."""
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)
        # A parameter of this module itself, not of one of its layers.
        self.scale = torch.nn.Parameter(torch.ones(D_out))

    def forward(self, x):
        """Map a batch of inputs ``x`` to a batch of predictions."""
        h = self.linear1(x)
        h_relu = torch.relu(h)
        y_pred = self.linear2(h_relu) * self.scale
        return y_pred


# %%
# Create random data, the model, the loss function and the optimizer.
# Here we use ``torch.optim.SGD``. Its name says stochastic gradient
# descent, which steps on a different random mini-batch each time; on the
# same full batch at every step, as here, it is plain gradient descent.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

model = TwoLayerNet(D_in, H, D_out).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-4
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

# %%
# List what ``parameters()`` finds, with the names that
# ``named_parameters()`` gives them: the module's own ``scale`` first,
# then the weight and bias of each layer.

for name, param in model.named_parameters():
    print(f"{name:15} {tuple(param.shape)}")

# %%
# Train with the usual loop: forward pass, loss, clear gradients,
# backward pass, optimizer step.

losses = []
for t in range(500):
    # Forward pass: this calls TwoLayerNet.forward.
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
# Plot the loss curve.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="custom module")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Custom nn Modules")
ax.legend()
plt.show()
