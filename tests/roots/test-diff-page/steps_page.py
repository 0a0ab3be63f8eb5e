"""The steps of this test root."""

PREVIOUS = {
    "second.py": "first.py",
}

WHAT_IT_BUYS = {
    "second.py": ("= total(", "One call to ``total`` replaces the %(block_removed)d lines of the loop."),
}
