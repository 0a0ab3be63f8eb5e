"""The steps of this test root: one names a previous step that does not exist."""

PREVIOUS = {
    "second.py": "first.py",
    "third.py": "zeroth.py",
}
