"""
B fails
=======

Raises.
"""

raise ValueError("b fails")
