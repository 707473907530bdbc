# publish: the editor's entry points. `make all` bootstraps everything on first run.
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
PUBLISH := $(VENV)/bin/publish
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-deps

.PHONY: all release test update-po stats check validate serve dist bench clean distclean setup

# IGNORE_QA=1 publishes editions even when `publish check` finds errors in their translations.
BUILD_FLAGS := $(if $(IGNORE_QA),--ignore-qa,)

all: $(STAMP)
	$(PUBLISH) build $(BUILD_FLAGS)

release: $(STAMP)
	$(PUBLISH) build --release

check: $(STAMP)
	$(PUBLISH) check

validate: all
	$(PUBLISH) validate

serve: $(STAMP)
	$(PUBLISH) serve

dist: all
	$(PUBLISH) dist

test: $(STAMP)
	$(PYTHON) -m pytest -q

update-po: $(STAMP)
	$(PUBLISH) update-po

stats: $(STAMP)
	$(PUBLISH) stats

setup: $(STAMP)

$(SYSTEM_STAMP): tools/system-deps.sh
	@sh tools/system-deps.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml $(SYSTEM_STAMP)
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	@touch $@

bench: $(BENCH_STAMP)
	$(PYTHON) tools/bench.py

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) src/*.egg-info
