"""A script with lines its readers never see."""

import sys

# sphinx_gallery_start_ignore
# Only the build needs this: keep the output short.
sys.stdout.reconfigure(line_buffering=True)
# sphinx_gallery_end_ignore
print("shown")


def main():
    # sphinx_gallery_start_ignore
    sys.stdout.flush()
    # sphinx_gallery_end_ignore
    return 0

