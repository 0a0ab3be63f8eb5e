# Build and test "Learning PyTorch with Examples".
#   make html        the full site, every example executed  -> _build/html/
#   make html-noplot a quick preview, no example executed
#   make test        the test suite
#   make clean       remove the build and everything sphinx-gallery generated
# Each target creates the virtual environment (.venv) from the requirement
# files the first time, and refreshes it when they change.

PYTHON      ?= python3
VENV        ?= .venv
SPHINXOPTS  ?= -nW --keep-going
BUILDDIR    ?= _build
SPHINXBUILD  = $(VENV)/bin/sphinx-build
PYTEST_ARGS ?=

.PHONY: help html html-noplot test clean

help:
	@sed -n '2,8p' Makefile | sed 's/^# //'

$(VENV)/.docs-installed: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: $(VENV)/.docs-installed requirements-test.txt
	$(VENV)/bin/python -m pip install -q -r requirements-test.txt
	touch $@

html: $(VENV)/.docs-installed
	$(SPHINXBUILD) -M html . $(BUILDDIR) $(SPHINXOPTS)

html-noplot: $(VENV)/.docs-installed
	$(SPHINXBUILD) -M html . $(BUILDDIR) $(SPHINXOPTS) -D plot_gallery=0

test: $(VENV)/.test-installed
	$(VENV)/bin/python -m pytest tests $(PYTEST_ARGS)

clean:
	rm -rf $(BUILDDIR) beginner/examples_* sg_execution_times.rst _generated
