"""
PyTorch: Defining new autograd functions
========================================

A custom ReLU with its own forward and backward pass, plugged into autograd.
Every autograd operation is a pair of functions: ``forward`` computes the
output from the input, and ``backward`` turns the gradient of the output
into the gradient of the input.
"""

# %%
# Pick the device: an accelerator (such as a CUDA GPU) when one is
# available, the CPU otherwise.

import matplotlib.pyplot as plt
import torch

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else torch.device("cpu")
print(f"Running on {device}")

# %%
# Define the new operation by subclassing ``torch.autograd.Function``.
# Both methods are static: all per-call state goes through ``ctx``, a
# context object that autograd passes from ``forward`` to ``backward``.
# ``ctx.save_for_backward`` stores the tensors that the backward pass
# will need, here the input of the ReLU.


class MyReLU(torch.autograd.Function):
    """ReLU, max(0, x), with a hand-written backward pass.

    Use it through ``MyReLU.apply``, never by creating an instance.
    """

    @staticmethod
    def forward(ctx, input_tensor):
        """Return max(0, input_tensor) and save the input for the backward pass."""
        # backward needs to know where the input was negative.
        ctx.save_for_backward(input_tensor)
        return input_tensor.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        """Turn d(loss)/d(output) into d(loss)/d(input).

        The ReLU passes the gradient through where its input was positive
        and sets it to zero where its input was negative.
        """
        (input_tensor,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input_tensor < 0] = 0
        return grad_input


# %%
# Check the backward pass before trusting it.
# ``torch.autograd.gradcheck`` compares the gradients our ``backward``
# returns with gradients estimated numerically, by nudging each input
# element a little and watching the output change. The estimate needs
# more precision than 32-bit floats give, so the check runs on a small
# input in 64-bit floats, ``torch.float64``. It returns ``True`` when the
# two agree, and raises an error showing both when they do not.
#
# The check runs on the CPU, whatever ``device`` is: some accelerators,
# such as Apple's GPUs (``mps``), have no 64-bit floats.

torch.manual_seed(0)
x_check = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)
print(f"gradcheck passed: {torch.autograd.gradcheck(MyReLU.apply, (x_check,))}")

# %%
# Create random data and weights, exactly as in the autograd example.

torch.manual_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

w1 = torch.randn(D_in, H, device=device, requires_grad=True)
w2 = torch.randn(H, D_out, device=device, requires_grad=True)

# %%
# Train. The only change is the ReLU: ``MyReLU.apply`` runs our ``forward``
# now, and autograd calls our ``backward`` during ``loss.backward()``.

learning_rate = 1e-6
losses = []
for t in range(500):
    # Forward pass, using our own ReLU between the two linear layers.
    h = x @ w1
    h_relu = MyReLU.apply(h)
    y_pred = h_relu @ w2

    loss = (y_pred - y).pow(2).sum()
    loss_value = loss.item()
    losses.append(loss_value)
    if t == 0 or (t + 1) % 100 == 0:
        print(f"step {t + 1:3d}  loss {loss_value:.6g}")

    # Autograd calls MyReLU.backward as part of this.
    loss.backward()

    # Update without recording, then clear the accumulated gradients.
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
    w1.grad = None
    w2.grad = None

print(f"final loss {losses[-1]:.6g}")

# %%
# Plot the loss curve. It matches the built-in ReLU, as it should.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="custom function")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("PyTorch: Defining new autograd functions")
ax.legend()
plt.show()
