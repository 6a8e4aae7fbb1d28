# Quick start targets: `make demo` (set up, ingest the samples, build the graph, serve Datasette)
# and `make test` (set up, install the browser for page tests, run the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kb-installed
DB     ?= data/kb.db
PORT   ?= 8001

.PHONY: setup demo test browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kb needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install --quiet -e ".[test,dask]"
	@touch $@

demo: $(STAMP)
	-$(BIN)/kb ingest data/articles --db $(DB)
	$(BIN)/kb graph build --db $(DB)
	$(BIN)/kb serve --db $(DB) --host 127.0.0.1 --port $(PORT)

browser:
	@bash scripts/ensure-chromium.sh

test: $(STAMP) browser
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
