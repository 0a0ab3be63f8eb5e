# A script without a docstring: everything is code.
import math

print(math.pi)
