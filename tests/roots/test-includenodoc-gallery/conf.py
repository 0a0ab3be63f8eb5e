# sphinx-gallery is not loaded: includenodoc reads this value on its own.
extensions = ["sphinxext.tutorial.includenodoc"]
sphinx_gallery_conf = {
    "examples_dirs": ["beginner_source/examples_x"],
    "gallery_dirs": ["beginner/examples_x"],
}
