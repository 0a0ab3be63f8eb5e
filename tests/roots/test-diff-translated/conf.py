extensions = ["sphinxext.tutorial.includenodoc", "sphinxext.translation.zh_search"]
language = "zh_CN"
# locales/zh_CN/LC_MESSAGES/sphinx.po links to the project's catalog.
locale_dirs = ["locales"]
