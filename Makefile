# Build and test "Learning PyTorch with Examples".
#   make html        the full site, every example executed  -> _build/html/
#                    (English; Simplified Chinese in _build/html/zh_CN/)
#   make html-noplot a quick preview, no example executed
#   make test        the test suite
#   make bench       time our build against plain sphinx-gallery (ratios)
#   make lighthouse  Lighthouse scores of every page type, both languages
#   make serve       serve _build/html on http://127.0.0.1:8000/ only
#   make clean       remove the build and everything sphinx-gallery generated
# Each target creates the virtual environment (.venv) from the requirement
# files the first time, and refreshes it when they change.

PYTHON      ?= python3
VENV        ?= .venv
SPHINXOPTS  ?= -nW --keep-going
BUILDDIR    ?= _build
SPHINXBUILD  = $(VENV)/bin/sphinx-build
PYTEST_ARGS ?=

.PHONY: help html html-noplot test clean gettext update-po serve bench lighthouse

help:
	@sed -n '2,11p' Makefile | sed 's/^# //'

$(VENV)/.docs-installed: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.docs-installed requirements-test.txt
	$(VENV)/bin/python -m pip install -q -r requirements-test.txt
	touch $@

# The Chinese side reuses the pages sphinx-gallery generated for the English
# one: its examples are up to date, so none is executed again.
ZH = -D language=zh_CN -d $(BUILDDIR)/doctrees-zh_CN

html: $(VENV)/.docs-installed
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html/zh_CN $(SPHINXOPTS) $(ZH)

html-noplot: $(VENV)/.docs-installed
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees -D plot_gallery=0
	$(SPHINXBUILD) -b html . $(BUILDDIR)/html/zh_CN $(SPHINXOPTS) $(ZH) -D plot_gallery=0

# Translators: extract the English messages, then merge them into the catalogs
# (locales/zh_CN/LC_MESSAGES/*.po); translate, and `make html` compiles them.
gettext: $(VENV)/.docs-installed
	$(SPHINXBUILD) -b gettext . $(BUILDDIR)/gettext $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-gettext

update-po: gettext $(VENV)/.test-installed
	$(VENV)/bin/sphinx-intl update -p $(BUILDDIR)/gettext -l zh_CN -d locales

bench: $(VENV)/.test-installed
	$(VENV)/bin/python tools/bench.py --runs 3

# npm's lighthouse and vnu-jar (package.json), for make lighthouse and the tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Reports in _build/lighthouse/; the table goes to the README's Performance.
lighthouse: html node_modules/.installed
	CHROME_PATH=$${CHROME_PATH:-$$(command -v chromium)} $(VENV)/bin/python tools/lighthouse.py --site $(BUILDDIR)/html --out $(BUILDDIR)/lighthouse

test: $(VENV)/.test-installed node_modules/.installed
	$(VENV)/bin/python -m pytest tests $(PYTEST_ARGS)

clean:
	rm -rf $(BUILDDIR) beginner/examples_* sg_execution_times.rst _generated

serve:
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory $(BUILDDIR)/html 8000
