# A page that shows lines of an example's captured output, and links to it.
# sphinxext/ is put on the path by the test (conftest.py).
extensions = [
    "sphinx_gallery.gen_gallery",
    "sphinxext.tutorial.example_output",
    "sphinxext.tutorial.includenodoc",
    "sphinxext.translation.zh_search",
]
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
