"""
PyTorch: Mini-batches with DataLoader
=====================================

The ``nn`` network trained on a larger data set, one shuffled mini-batch at a time, with ``torch.utils.data``.
So far every step used the same 64 samples. Real data sets are larger
than one batch, so training walks through them in mini-batches; one pass
over the whole data set is an **epoch**. A ``DataLoader`` cuts the data
into batches and shuffles it for us.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import matplotlib.pyplot as plt
import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Create a data set of 1024 random samples, 16 times the batch we used so
# far. ``N`` is still the batch size. The data stays on the CPU, where
# data sets usually live; only one batch at a time goes to the device.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10
num_samples = 1024

x = torch.randn(num_samples, D_in)
y = torch.randn(num_samples, D_out)

# %%
# Keep 256 more samples aside, drawn the same way but never trained on:
# held-out data, to see how the model does on samples it has not seen.

num_held_out = 256
x_held_out = torch.randn(num_held_out, D_in)
y_held_out = torch.randn(num_held_out, D_out)

# %%
# ``TensorDataset`` pairs the i-th row of ``x`` with the i-th row of
# ``y``. ``DataLoader`` then hands out batches of ``N`` pairs. With
# ``shuffle=True`` it visits the samples in a new random order in every
# epoch, so that each batch is a different mix; the seeded generator makes
# that order the same on every run.

dataset = TensorDataset(x, y)
loader = DataLoader(dataset, batch_size=N, shuffle=True, generator=torch.Generator().manual_seed(0))
print(f"{len(dataset)} samples in {len(loader)} batches of {N}")

# %%
# Build the model, the loss function and the optimizer of the ``optim``
# example. The targets are random, so the network can only learn them by
# heart; 1024 of them take more learning than 64 did, so the learning rate
# is ten times larger than there.

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-3
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

# %%
# Train. The outer loop counts epochs; the inner loop takes one optimizer
# step per batch, so each epoch makes 16 steps. Each batch is moved to the
# device inside the loop.
#
# The loss of one batch is a sum over its 64 samples, as in the earlier
# examples. We report for each epoch the mean of its batch losses, so the
# number is on the same scale as their loss per step. The weights change
# during the epoch, so it averages over 16 slightly different models.

num_epochs = 15
losses = []
for epoch in range(num_epochs):
    batch_losses = []
    for x_batch, y_batch in loader:
        x_batch, y_batch = x_batch.to(device), y_batch.to(device)

        # Forward pass on this batch only.
        y_pred = model(x_batch)
        loss = loss_fn(y_pred, y_batch)
        batch_losses.append(loss.item())

        # Clear old gradients, compute new ones, then let Adam update the weights.
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    epoch_loss = sum(batch_losses) / len(batch_losses)
    losses.append(epoch_loss)
    print(f"epoch {epoch + 1:2d}  loss {epoch_loss:.6g}")

print(f"final loss {losses[-1]:.6g}")

# %%
# Evaluate on the held-out data. Two switches belong to evaluation:
#
# * ``model.eval()`` puts every layer in evaluation mode. Layers such as
#   dropout and batch normalization behave differently while training;
#   this model has none, but calling ``eval()`` before evaluating, and
#   ``train()`` before training again, is the habit that keeps a model with
#   such layers correct.
# * ``torch.inference_mode()`` turns off autograd's recording, like
#   ``torch.no_grad()``, and skips more of its bookkeeping. No graph is
#   built, so no memory is kept for a backward pass that will never come.
#
# The held-out loss is scaled to ``N`` samples, to compare with the loss
# per batch. The targets are random, so there is no rule to learn that
# would carry over to new samples: the network has learned its training
# samples by heart, and the held-out loss shows that nothing more was
# learned.

model.eval()
with torch.inference_mode():
    y_pred = model(x_held_out.to(device))
    held_out_loss = loss_fn(y_pred, y_held_out.to(device)).item() * N / num_held_out
model.train()
print(f"held-out loss {held_out_loss:.6g}, training loss {losses[-1]:.6g} (per batch of {N})")

# %%
# Freeze a layer. ``requires_grad_(False)`` on a module turns gradients
# off for all its parameters: autograd no longer computes them, and an
# optimizer built from the parameters that still require gradients leaves
# the frozen ones alone. This is how a pretrained part of a model is kept
# fixed while the rest is trained. Here we freeze the first layer and
# train one more epoch.

model[0].requires_grad_(False)
trainable = [param for param in model.parameters() if param.requires_grad]
print(f"trainable parameters: {sum(p.numel() for p in trainable)} of {sum(p.numel() for p in model.parameters())}")
first_layer_before = model[0].weight.clone()
optimizer = torch.optim.Adam(trainable, lr=learning_rate)
for x_batch, y_batch in loader:
    x_batch, y_batch = x_batch.to(device), y_batch.to(device)
    loss = loss_fn(model(x_batch), y_batch)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
unchanged = torch.equal(first_layer_before, model[0].weight)
print(f"after one epoch with the first layer frozen, it is unchanged: {unchanged}")

# %%
# Plot the loss per epoch. Every point summarizes 16 optimizer steps on
# batches the network had not seen in that order before.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, "o-", label="DataLoader")
ax.set_xlabel("epoch")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Mini-batches with DataLoader")
ax.legend()
plt.show()
