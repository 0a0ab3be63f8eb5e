extensions = ["sphinxext.tutorial.includenodoc"]
exclude_patterns = ["_build", "scripts"]
sphinx_gallery_conf = {"examples_dirs": ["scripts"], "gallery_dirs": ["gallery"]}
example_diff_steps = "steps_anchor.py"
