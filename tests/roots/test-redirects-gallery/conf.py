# An example that moved inside a gallery folder: example_runner's pruning of
# pages no document makes leaves its old address alone.
# sphinxext/ is put on the path by the test (conftest.py).
extensions = ["sphinx_gallery.gen_gallery", "sphinxext.execution.example_runner", "sphinxext.reader.redirects"]
exclude_patterns = ["_build", "examples_src"]
sphinx_gallery_conf = {
    "examples_dirs": ["examples_src"],
    "gallery_dirs": ["examples"],
    "filename_pattern": r"\.py$",
    "image_scrapers": (),
    "reset_modules": (),
    "write_computation_times": False,
    "download_all_examples": False,
}
redirect_pages = {"examples/old_counting": "examples/counting"}
