extensions = ["sphinx_gallery.gen_gallery", "sphinxext.tutorial.includenodoc", "sphinxext.tutorial.example_diff"]
exclude_patterns = ["_build", "src"]
sphinx_gallery_conf = {
    "examples_dirs": ["src/examples_x"],
    "gallery_dirs": ["examples_x"],
    "filename_pattern": r"\.py$",
    "plot_gallery": "False",
    "download_all_examples": False,
}
example_diff_steps = "steps_page.py"
