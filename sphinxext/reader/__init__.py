"""The HTML the reader gets.

* ``html_hygiene``: what readers' tools ask of the theme's and sphinx-gallery's HTML.
* ``a11y``: accessibility fixes CSS cannot make; the phone menu (``static/``).
* ``icon_font``: the icon font cut down to the icons shown.
* ``hosting``: canonical links, hreflang, 404 and sitemap from one base URL.
* ``build_info``: the "About this build" page.
* ``redirects``: a page at each moved page's old address, leading to the new one.
"""
