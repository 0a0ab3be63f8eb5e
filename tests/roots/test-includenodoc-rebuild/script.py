"""Before the edit."""

print("old")
