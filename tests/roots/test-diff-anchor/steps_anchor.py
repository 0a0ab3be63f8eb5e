"""The steps of this test root: the anchor is in no added line."""

PREVIOUS = {"second.py": "first.py"}

WHAT_IT_BUYS = {
    "second.py": ("total(", "One call to ``total`` replaces %(block_removed)d lines."),
}
