extensions = ["sphinx_gallery.gen_gallery", "sphinxext.tutorial.galleryitem"]
sphinx_gallery_conf = {
    "examples_dirs": ["beginner_source/examples_demo"],
    "gallery_dirs": ["beginner/examples_demo"],
    "filename_pattern": r"/.*\.py$",
    "ignore_pattern": r"ignored",
}
plot_gallery = "False"
exclude_patterns = ["beginner_source"]  # the example sources, not pages
