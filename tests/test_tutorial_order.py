"""``tutorial_order.TutorialOrder``: sphinx-gallery's sort key for each gallery."""


from sitebuild import GALLERIES, REPO

from sphinxext.tutorial.tutorial_order import ORDER, TutorialOrder


def test_declared_examples_come_in_the_declared_order():
    key = TutorialOrder("beginner_source/examples_nn")
    files = sorted(ORDER, reverse=True)
    assert sorted(files, key=key) == ORDER


def test_an_undeclared_example_follows_sorted_by_name():
    key = TutorialOrder("beginner_source/examples_nn")
    files = ["zeta.py", "dynamic_net.py", "alpha.py", "two_layer_net_nn.py"]
    assert sorted(files, key=key) == ["two_layer_net_nn.py", "dynamic_net.py", "alpha.py", "zeta.py"]


def test_order_names_every_example_of_the_galleries_once():
    """ORDER is the one list of examples: the inventory of the tests is derived from it."""
    found = {}
    for examples, _gallery in GALLERIES:
        for script in sorted((REPO / examples).glob("*.py")):
            found.setdefault(script.name, []).append(examples)
    unlisted = sorted(set(found) - set(ORDER))
    assert not unlisted, f"add {unlisted} to ORDER in sphinxext/tutorial/tutorial_order.py"
    missing = [name for name in ORDER if name not in found]
    assert not missing, f"ORDER names {missing}, found in no gallery of conf.py's sphinx_gallery_conf"
    twice = {name: folders for name, folders in found.items() if len(folders) > 1}
    assert not twice, f"one name, several galleries: {twice}"
    assert len(ORDER) == len(set(ORDER)) == len(found)
