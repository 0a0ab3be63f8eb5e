"""
Hello
=====

Say hello to whoever is named on the command line.
"""

import sys

# Greet the world when nobody is named.
name = sys.argv[1] if len(sys.argv) > 1 else "world"
print(f"Hello, {name}!")
