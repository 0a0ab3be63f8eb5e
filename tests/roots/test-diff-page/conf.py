import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["sphinx_gallery.gen_gallery", "includenodoc", "example_diff"]
exclude_patterns = ["_build", "src"]
sphinx_gallery_conf = {
    "examples_dirs": ["src/examples_x"],
    "gallery_dirs": ["examples_x"],
    "filename_pattern": r"\.py$",
    "plot_gallery": "False",
    "download_all_examples": False,
}
example_diff_steps = "steps_page"
