# A page that moved from old/page to new/page.
# sphinxext/ is put on the path by the test (conftest.py).
extensions = ["sphinxext.reader.redirects"]
html_baseurl = "https://example.org/site/"
redirect_pages = {"old/page": "new/page"}
