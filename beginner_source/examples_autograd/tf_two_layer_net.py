"""
TensorFlow: Static Graphs
=========================

The same two-layer network in TensorFlow 2, where ``tf.function`` turns a Python training step into a static graph.
TensorFlow runs the Python function once to trace it into a graph, then
executes that same graph on every step. PyTorch, in contrast, builds a
new graph on every forward pass.
"""

# %%
# Pick the device. TensorFlow lists the GPUs it can see; we use the first
# one if there is one, and the CPU otherwise.

import matplotlib.pyplot as plt
import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
print(f"GPUs visible to TensorFlow: {gpus}")
device = "/GPU:0" if gpus else "/CPU:0"
print(f"Running on {device}")

# %%
# Create random data and weights on that device. The weights are
# ``tf.Variable`` objects: tensors whose value can be changed in place,
# and whose gradients ``tf.GradientTape`` tracks automatically.

tf.random.set_seed(0)

N, D_in, H, D_out = 64, 1000, 100, 10

with tf.device(device):
    x = tf.random.normal((N, D_in))
    y = tf.random.normal((N, D_out))
    w1 = tf.Variable(tf.random.normal((D_in, H)))
    w2 = tf.Variable(tf.random.normal((H, D_out)))

learning_rate = 1e-6

# %%
# Define one training step as a ``tf.function``. The first call *traces*
# it: TensorFlow runs the Python code once and records each TensorFlow
# operation in a graph. Later calls skip the Python code and execute the
# recorded graph directly.
#
# That is why the ``print`` below runs only once. A Python side effect is
# not a TensorFlow operation, so it is not part of the graph; it happens
# only while tracing. (``tf.print`` would become part of the graph and run
# on every step.)
#
# The ``input_signature`` fixes the shape and dtype of ``x`` and ``y``.
# Every call matches it, so TensorFlow never needs to trace again.


@tf.function(
    input_signature=[
        tf.TensorSpec(shape=(N, D_in), dtype=tf.float32),
        tf.TensorSpec(shape=(N, D_out), dtype=tf.float32),
    ]
)
def train_step(x, y):
    # Plain Python print: runs only while the graph is being traced.
    print("Tracing train_step into a graph")
    # The tape records the forward pass so it can compute gradients.
    with tf.GradientTape() as tape:
        h = tf.matmul(x, w1)
        h_relu = tf.maximum(h, 0.0)
        y_pred = tf.matmul(h_relu, w2)
        loss = tf.reduce_sum(tf.square(y_pred - y))
    grad_w1, grad_w2 = tape.gradient(loss, [w1, w2])
    # assign_sub updates each variable in place, inside the graph.
    # learning_rate is a Python float, so it is baked into the graph as a constant.
    w1.assign_sub(learning_rate * grad_w1)
    w2.assign_sub(learning_rate * grad_w2)
    return loss


# %%
# Train. The first call traces the graph (and prints once); the other 499
# calls just run it. ``float(loss)`` copies the loss value back to Python.
# At the end, the tracing count confirms that the graph was built only once.

losses = []
with tf.device(device):
    for t in range(500):
        loss = train_step(x, y)
        loss_value = float(loss)
        losses.append(loss_value)
        if t == 0 or (t + 1) % 100 == 0:
            print(f"step {t + 1:3d}  loss {loss_value:.6g}")

print(f"final loss {losses[-1]:.6g}")
print(f"train_step was traced {train_step.experimental_get_tracing_count()} time(s)")

# %%
# Plot the loss curve.

fig, ax = plt.subplots()
ax.semilogy(range(1, len(losses) + 1), losses, label="TensorFlow")
ax.set_xlabel("step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("TensorFlow: Static Graphs")
ax.legend()
plt.show()
