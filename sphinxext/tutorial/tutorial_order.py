"""Order the examples of each gallery as the tutorial teaches them.

Usage in ``conf.py``::

    sphinx_gallery_conf = {
        "within_subsection_order": "sphinxext.tutorial.tutorial_order.TutorialOrder",
    }

Examples named in :data:`ORDER` come first, in that order; any other example
follows, sorted by file name, so a new script is never dropped.
"""

from pathlib import Path

#: The teaching order of the examples, across all galleries.
ORDER = [
    # The original tutorial's nine, in its order.
    "two_layer_net_numpy.py",
    "two_layer_net_tensor.py",
    "two_layer_net_autograd.py",
    "two_layer_net_custom_function.py",
    "tf_two_layer_net.py",
    "two_layer_net_nn.py",
    "two_layer_net_optim.py",
    "two_layer_net_module.py",
    "dynamic_net.py",
    # Beyond the original: they use nn, optim and modules, taught above.
    # Mini-batches first (first-hour material), then compiling, then timing.
    "two_layer_net_dataloader.py",
    "two_layer_net_compile.py",
    "two_layer_net_speed.py",
]


class TutorialOrder:
    """Sort key for sphinx-gallery's ``within_subsection_order``."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        name = Path(filename).name
        rank = ORDER.index(name) if name in ORDER else len(ORDER)
        return (rank, name)

    def __repr__(self):
        return f"TutorialOrder({ORDER!r})"


# -- Previous steps (sphinxext/tutorial/example_diff.py) --------------------------------
# Each example's page shows what changed from its previous step. Examples with
# no meaningful predecessor (numpy, the TensorFlow contrast, the speed
# measurement) have none.

#: Each example's previous step.
PREVIOUS = {
    "two_layer_net_tensor.py": "two_layer_net_numpy.py",
    "two_layer_net_autograd.py": "two_layer_net_tensor.py",
    "two_layer_net_custom_function.py": "two_layer_net_autograd.py",
    "two_layer_net_nn.py": "two_layer_net_autograd.py",
    "two_layer_net_optim.py": "two_layer_net_nn.py",
    "two_layer_net_module.py": "two_layer_net_optim.py",
    "dynamic_net.py": "two_layer_net_module.py",
    "two_layer_net_dataloader.py": "two_layer_net_optim.py",
    "two_layer_net_compile.py": "two_layer_net_optim.py",
}

#: What each step buys: ``(anchor, sentence)``. The counts in the sentence
#: come from the code-only diff: ``removed``/``added`` for the whole diff,
#: ``block_removed``/``block_added`` for the change that adds the line
#: containing ``anchor``. Translations: locales/zh_CN/LC_MESSAGES/sphinx.po.
WHAT_IT_BUYS = {
    "two_layer_net_tensor.py": (
        "torch.randn(",
        "Tensors take the place of NumPy arrays: %(removed)d lines go and"
        " %(added)d come in, and the backward pass is still written by hand.",
    ),
    "two_layer_net_autograd.py": (
        "loss.backward()",
        "Autograd replaces the %(block_removed)d lines of the hand-written"
        " backward pass with one call, ``loss.backward()``.",
    ),
    "two_layer_net_custom_function.py": (
        "torch.autograd.Function",
        "A custom autograd function adds %(block_added)d lines that define the"
        " ReLU's own forward and backward pass and check the backward with"
        " ``gradcheck``; the training loop only calls it.",
    ),
    "two_layer_net_nn.py": (
        "torch.nn.Sequential(",
        "``torch.nn`` replaces the %(block_removed)d lines that create the weights"
        " by hand with a model of %(block_added)d lines built from layers, and the"
        " forward pass becomes ``model(x)``.",
    ),
    "two_layer_net_optim.py": (
        "optimizer.step()",
        "``torch.optim`` replaces the %(block_removed)d lines of the hand-written"
        " update with one call, ``optimizer.step()``.",
    ),
    "two_layer_net_module.py": (
        "torch.nn.Module",
        "A custom ``nn.Module`` adds %(block_added)d lines that define the"
        " network as a class, and building the model takes one line.",
    ),
    "dynamic_net.py": (
        "random.randint(",
        "The forward pass becomes ordinary Python with a loop that reuses one"
        " layer: %(removed)d lines go and %(added)d come in.",
    ),
    "two_layer_net_dataloader.py": (
        "in loader:",
        "A ``DataLoader`` feeds the model mini-batches: the training loop gets"
        " an inner loop over batches, and %(removed)d lines go and %(added)d"
        " come in.",
    ),
    "two_layer_net_compile.py": (
        "torch.compile(",
        "Compiling the model takes one call, ``torch.compile``; most of the"
        " %(added)d added lines time the eager and the compiled model side by side.",
    ),
}
