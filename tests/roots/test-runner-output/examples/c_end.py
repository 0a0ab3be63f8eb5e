"""
End
===

A carriage return at the end of a line.
"""

print("done\r")
