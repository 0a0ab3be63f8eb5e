# sphinx-gallery is not loaded: only the declared steps are checked.
extensions = ["sphinxext.tutorial.includenodoc", "sphinxext.tutorial.example_diff"]
exclude_patterns = ["_build", "src"]
sphinx_gallery_conf = {
    "examples_dirs": ["src/examples_x"],
    "gallery_dirs": ["examples_x"],
}
example_diff_steps = "steps_missing.py"
