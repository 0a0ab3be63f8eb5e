"""New."""

print("hello")
