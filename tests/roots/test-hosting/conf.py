extensions = [
    "sphinxext.reader.hosting",
    "sphinxext.opengraph",
    "sphinxext.translation.gallery_i18n",
    "sphinxext.translation.zh_search",
]
exclude_patterns = ["_build"]
project = "Learning PyTorch with Examples"
html_baseurl = "https://site.test/repo/"
sitemap_excludes = ["404.html"]
ogp_site_name = project
html_context = {"languages": [("en", "English"), ("zh_CN", "简体中文")]}
