"""The Simplified Chinese site, from the same sources.

* ``catalog_check``: every catalog checked before the build uses it.
* ``gallery_i18n``: the strings no page's catalog holds (run-time line, title).
* ``zh_downloads``: translated .py, .ipynb and zips (``_translate_text``).
* ``zh_search``: Chinese full-text search.
"""
