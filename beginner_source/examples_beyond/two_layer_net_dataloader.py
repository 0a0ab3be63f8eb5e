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

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Create a data set that holds a rule to learn. The other examples fit
# random targets, which a network can only learn by heart; here the
# targets come from a *teacher*, a fixed network with random weights and
# a hidden layer of 10 units, plus a little noise. A network that finds
# the teacher's rule also predicts samples it has never seen.
#
# The data set has 4096 samples, 64 times the batch we used so far. ``N``
# is still the batch size. The data stays on the CPU, where data sets
# usually live; only one batch at a time goes to the device.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10
num_samples = 4096
teacher_hidden = 10
teacher = torch.nn.Sequential(
    torch.nn.Linear(D_in, teacher_hidden),
    torch.nn.ReLU(),
    torch.nn.Linear(teacher_hidden, D_out),
)
noise = 0.1


def make_samples(count):
    """``count`` random inputs and the teacher's answers to them, with noise."""
    x = torch.randn(count, D_in)
    with torch.no_grad():
        y = teacher(x) + noise * torch.randn(count, D_out)
    return x, y


x, y = make_samples(num_samples)

# %%
# Keep 1024 more samples aside, made the same way but never trained on:
# held-out data, to see how the model does on samples it has not seen.

num_held_out = 1024
x_held_out, y_held_out = make_samples(num_held_out)

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
# example. The model is larger than the teacher: it does not know the
# teacher's shape, only the samples.

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-3
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

# %%
# Evaluating a model on held-out data takes two switches:
#
# * ``model.eval()`` puts every layer in evaluation mode. Layers such as
#   dropout and batch normalization behave differently while training;
#   this model has none, but calling ``eval()`` before evaluating, and
#   ``train()`` before training again, is the habit that keeps a model with
#   such layers correct.
# * ``torch.inference_mode()`` turns off autograd's recording, like
#   ``torch.no_grad()``, with less overhead still. No graph is built, so
#   no memory is kept for a backward pass that will never come.
#
# The held-out loss is scaled to ``N`` samples, to compare with the loss
# per batch. We measure it once before training, as a baseline.


def held_out_loss(model):
    """The model's loss on the held-out samples, per batch of ``N``."""
    model.eval()
    with torch.inference_mode():
        y_pred = model(x_held_out.to(device))
        loss = loss_fn(y_pred, y_held_out.to(device)).item() * N / num_held_out
    model.train()
    return loss


held_out_before = held_out_loss(model)
print(f"held-out loss before training {held_out_before:.6g}")

# %%
# Train. The outer loop counts epochs; the inner loop takes one optimizer
# step per batch, so each epoch makes 64 steps. Each batch is moved to the
# device inside the loop.
#
# The loss of one batch is a sum over its 64 samples, as in the earlier
# examples. We report for each epoch the mean of its batch losses, so the
# number is on the same scale as their loss per step, and the held-out
# loss at the end of the epoch. The weights change during the epoch, so
# the training loss averages over 64 slightly different models.

num_epochs = 4
losses, held_out_losses = [], []
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
    held_out_losses.append(held_out_loss(model))
    print(f"epoch {epoch + 1:2d}  loss {epoch_loss:.6g}  held-out loss {held_out_losses[-1]:.6g}")

print(f"final loss {losses[-1]:.6g}")

# %%
# Compare. The held-out loss fell far below where it started, so the
# network learned a rule that carries over to samples it never saw. It
# stays above the training loss: part of what the network learned is the
# noise of its own training samples, which no other sample shares.

print(f"held-out loss {held_out_losses[-1]:.6g} (before training {held_out_before:.6g}),"
      f" training loss {losses[-1]:.6g} (per batch of {N})")

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
# Save the trained model and load it back. ``model.state_dict()`` is a
# dictionary of the model's tensors, its weights and biases by name;
# ``torch.save`` writes it to a file. To load it, build a model of the same
# shape and give it the dictionary with ``load_state_dict``.
# ``weights_only=True`` makes ``torch.load`` read tensors and plain
# containers only, never arbitrary Python objects, so a file from
# elsewhere cannot run code. We write to a temporary folder, deleted at
# the end of the ``with`` block.

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "model.pt"
    torch.save(model.state_dict(), path)
    restored = torch.nn.Sequential(
        torch.nn.Linear(D_in, H),
        torch.nn.ReLU(),
        torch.nn.Linear(H, D_out),
    ).to(device)
    restored.load_state_dict(torch.load(path, weights_only=True))
print(f"the restored model's held-out loss {held_out_loss(restored):.6g}, the trained one's {held_out_loss(model):.6g}")

# %%
# Plot both losses per epoch. Every training point summarizes 64
# optimizer steps on batches the network had not seen in that order
# before.

fig, ax = plt.subplots()
epochs = range(1, len(losses) + 1)
ax.semilogy(epochs, losses, "o-", label="training")
ax.semilogy(epochs, held_out_losses, "s-", label="held-out")
ax.set_xlabel("epoch")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Mini-batches with DataLoader")
ax.legend()
plt.show()
