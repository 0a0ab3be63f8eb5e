"""New."""

# Greet the reader.
print("hello")  # once
