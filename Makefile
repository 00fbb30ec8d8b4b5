# The study in two commands: `make figures` and `make test` (both set up .venv/ first).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The environment is rebuilt whenever the lock file or the project file changes.
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
# pip on these machines warns about local mirrors it skips; keep the log readable.
QUIET_PIP := { grep -v "is ignored: it is neither a file nor a directory" || true; }

.PHONY: help env figures test lint notebooks clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

env: $(STAMP) ## create .venv/ and install the locked dependencies and the package

$(STAMP): requirements.lock pyproject.toml
	@rm -f $(VENV)/.installed-*
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing the locked environment into $(VENV)/ ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock 2>&1 | $(QUIET_PIP)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . 2>&1 | $(QUIET_PIP)
	@touch $@

figures: env ## regenerate every figure and table in figures/ (figures/extended/ when ../shared/data has the coverage corpus), and the report in report/
	$(BIN)/framing figures
	$(BIN)/framing extended
	$(BIN)/framing report --out report --figures-dir figures

test: env ## run every test (notebooks included)
	$(BIN)/python -m pytest

notebooks: env ## execute every notebook into build/notebooks/ and export HTML (sources stay clean)
	@mkdir -p build/notebooks
	cd notebooks && for nb in *.ipynb; do \
	  ../$(BIN)/papermill "$$nb" "../build/notebooks/$$nb" -p out_dir ../build/notebooks/figures \
	    -k python3 --no-progress-bar && \
	  ../$(BIN)/jupyter nbconvert --to html "../build/notebooks/$$nb" --log-level WARN || exit 1; \
	done

lint: env ## ruff over the package and the tests
	$(BIN)/ruff check analysis tests benchmarks

clean: ## remove the environment and build outputs
	rm -rf $(VENV) build .pytest_cache
