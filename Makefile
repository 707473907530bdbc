# publish: the editor's entry points. `make all` bootstraps everything on first run.
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
PUBLISH := $(VENV)/bin/publish
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-deps
# The package's bytecode, written when a source changes: where PYTHONDONTWRITEBYTECODE is set (as on
# many CI machines), every process would otherwise compile the package again, a tenth of a second each.
READY := $(VENV)/.bytecode
NODE := $(VENV)/node
NODE_STAMP := $(NODE)/.installed

ifdef IGNORE_QA
$(error IGNORE_QA is gone: state the exception in publish.toml as a [[qa-overrides]] table with its reason (see the README))
endif

.PHONY: all release test test-fast update-po stats check validate serve dist bench clean distclean setup

all: $(READY)
	$(PUBLISH) build

release: $(READY)
	$(PUBLISH) build --release

check: $(READY)
	$(PUBLISH) check

validate: all $(NODE_STAMP)
	$(PUBLISH) validate

serve: $(READY)
	$(PUBLISH) serve

dist: all
	$(PUBLISH) dist

test: $(READY) $(NODE_STAMP)
	$(PYTHON) -m pytest -q

# The edit loop: every test but those that build the whole project, run the Java validators or a browser.
test-fast: $(READY)
	$(PYTHON) -m pytest -q -m "not slow"

update-po: $(READY)
	$(PUBLISH) update-po

stats: $(READY)
	$(PUBLISH) stats

setup: $(READY)

$(SYSTEM_STAMP): tools/system-deps.sh
	@sh tools/system-deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml $(SYSTEM_STAMP)
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(READY): $(STAMP) $(wildcard src/publish/*.py src/publish/*/*.py)
	@$(PYTHON) -m compileall -q src
	@touch $@

# The accessibility checkers (axe-core, Ace by DAISY) from npm, at the versions of tools/node's lock file.
# --ignore-scripts: Puppeteer would download a browser of its own; Ace runs in Debian's Chromium.
$(NODE_STAMP): tools/node/package.json tools/node/package-lock.json $(SYSTEM_STAMP)
	@mkdir -p $(NODE) && cp tools/node/package.json tools/node/package-lock.json $(NODE)/
	cd $(NODE) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	@touch $@

bench: $(READY) $(BENCH_STAMP)
	$(PYTHON) tools/bench.py

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) src/*.egg-info
