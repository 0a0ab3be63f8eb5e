import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["includenodoc"]
exclude_patterns = ["_build", "scripts"]
sphinx_gallery_conf = {"examples_dirs": ["scripts"], "gallery_dirs": ["gallery"]}
example_diff_steps = "steps_anchor"
