"""A script whose ignore block never ends."""

print(1)
# sphinx_gallery_start_ignore
print(2)
