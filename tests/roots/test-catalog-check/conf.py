# Catalogs checked before the build uses them (sphinxext/translation/catalog_check.py).
extensions = ["sphinxext.translation.catalog_check", "sphinxext.translation.zh_search"]
exclude_patterns = ["_build"]
locale_dirs = ["locales"]
gettext_compact = False
