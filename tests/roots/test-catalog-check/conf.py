# Catalogs checked before the build uses them (sphinxext/catalog_check.py).
# sphinxext/ is put on the path by the test (PYTHONPATH).
extensions = ["catalog_check"]
exclude_patterns = ["_build"]
locale_dirs = ["locales"]
gettext_compact = False
