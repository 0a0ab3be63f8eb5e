"""Order the examples of each gallery as the tutorial teaches them.

Usage in ``conf.py``::

    sphinx_gallery_conf = {
        "within_subsection_order": "tutorial_order.TutorialOrder",
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
    "two_layer_net_speed.py",
    "two_layer_net_compile.py",
    "two_layer_net_dataloader.py",
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
