print("no docstring, so no title")
