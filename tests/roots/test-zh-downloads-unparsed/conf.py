extensions = ["sphinx_gallery.gen_gallery", "sphinxext.translation.zh_downloads", "sphinxext.translation.zh_search"]
sphinx_gallery_conf = {
    "examples_dirs": ["beginner_source/examples_demo"],
    "gallery_dirs": ["beginner/examples_demo"],
    "filename_pattern": r"/.*\.py$",
    "remove_config_comments": True,
}
plot_gallery = "False"
exclude_patterns = ["beginner_source", "_generated"]
language = "zh_CN"
locale_dirs = ["locales"]
gettext_compact = False
