extensions = ["sphinx_gallery.gen_gallery", "sphinxext.tutorial.galleryitem", "sphinxext.translation.zh_search"]
sphinx_gallery_conf = {
    "examples_dirs": ["beginner_source/examples_demo"],
    "gallery_dirs": ["beginner/examples_demo"],
    "filename_pattern": r"/.*\.py$",
}
plot_gallery = "False"
exclude_patterns = ["beginner_source"]  # the example sources, not pages
language = "fr"
locale_dirs = ["locales"]
gettext_compact = False
