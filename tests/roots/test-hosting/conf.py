extensions = ["hosting"]
exclude_patterns = ["_build"]
html_baseurl = "https://site.test/repo/"
sitemap_excludes = ["404.html"]
html_context = {"languages": [("en", "English"), ("zh_CN", "简体中文")]}
