"""``tutorial_order.TutorialOrder``: sphinx-gallery's sort key for each gallery."""

from sphinxext.tutorial.tutorial_order import ORDER, TutorialOrder


def test_declared_examples_come_in_the_declared_order():
    key = TutorialOrder("beginner_source/examples_nn")
    files = sorted(ORDER, reverse=True)
    assert sorted(files, key=key) == ORDER


def test_an_undeclared_example_follows_sorted_by_name():
    key = TutorialOrder("beginner_source/examples_nn")
    files = ["zeta.py", "dynamic_net.py", "alpha.py", "two_layer_net_nn.py"]
    assert sorted(files, key=key) == ["two_layer_net_nn.py", "dynamic_net.py", "alpha.py", "zeta.py"]
