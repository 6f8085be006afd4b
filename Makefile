# vn-bioplan: `make test` and `make serve` work on a fresh machine with ../shared beside the repo.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint validate load stats clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check bioplan tests

validate: install
	$(BIN)/bioplan validate

load: install
	$(BIN)/bioplan load

stats: install
	$(BIN)/bioplan stats

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
