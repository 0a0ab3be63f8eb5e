"""
Cells
=====

A sphinx-gallery script with text cells.
"""

# sphinx_gallery_thumbnail_number = 1

# %%
# First we make some data.
# It is a short list.

data = [1, 2, 3]
# A code comment stays.
total = sum(data)

# %%
# Then we print it.


print(total)  # so does an inline comment


def report(values):
    # Indented comments stay too.
    # %% is not a cell marker when indented.
    return len(values)


##############################################################################
# An old-style text cell, under a line of hashes.

print(report(data))
