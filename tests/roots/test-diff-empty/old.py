"""Old."""

# Say hello.
print("hello")
