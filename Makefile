# vn-bioplan: `make test` and `make serve` work on a fresh machine with ../shared beside the repo.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint validate load stats clean bench serve demo areas shacl-references

install: $(STAMP)

$(STAMP): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --silent  # the query page's editor and /docs' Swagger UI, from the npm registry
	@touch $(STAMP)

# pytest runs the tests in parallel (pytest-xdist; the options are in pyproject.toml); `-n 0` runs them in one process.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check bioplan api tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check bioplan api tests bench scripts

validate: install
	$(BIN)/bioplan validate

load: install
	$(BIN)/bioplan load

# Loads the bundled data when the store is empty or older than the files, then serves on
# http://$(HOST):$(PORT)/ (`make serve PORT=8080`, `HOST=0.0.0.0` to listen on every interface).
# One line per step: install (only when stale, quietly), load (`--quiet`: one line), serve (its
# last line before the requests names the home page).
HOST ?= 127.0.0.1
PORT ?= 8000
define install_step
	@if $(MAKE) -s -q $(STAMP) 2>/dev/null; then echo "1/3 installing: already installed ($(VENV), node_modules)"; \
	else echo "1/3 installing the Python packages into $(VENV) and the npm ones into node_modules…"; \
	$(MAKE) -s --no-print-directory $(STAMP); fi
endef
serve:
	$(install_step)
	@printf '2/3 '; $(BIN)/bioplan load --if-stale --quiet
	@printf '3/3 '; $(BIN)/bioplan serve --host $(HOST) --port $(PORT)

# The bundled data plus the made-up example reports (graph/examples, shown under an "example
# data" banner), served like `make serve`. A store of its own: var/store never holds example reports, and
# each store's --if-stale stamp covers exactly the files it was loaded from.
DEMO_STORE := var/demo-store
demo:
	$(install_step)
	@printf '2/3 '; $(BIN)/bioplan load --examples --if-stale --quiet --store $(DEMO_STORE)
	@printf '3/3 '; $(BIN)/bioplan serve --host $(HOST) --port $(PORT) --store $(DEMO_STORE)

stats: install
	$(BIN)/bioplan stats

# Rewrites data/ttl/national/areas.ttl (every province-level unit before and after 1 July 2025 and
# the merger events) from the pinned vietnamadminunits package; tests/test_areas.py checks it.
areas: install
	$(BIN)/python scripts/build_areas.py

# Rewrites pyshacl's stored reports (tests/shacl_references/) that are missing or out of date: run it
# after changing the shapes, the data, tests/shape_variants.py, bioplan/validation/reference.py (or
# what it imports) or the pyshacl or rdflib version; tests/test_shacl_sparql.py fails until then.
shacl-references: install
	$(BIN)/python scripts/shacl_references.py

# Not part of `make test`. SCALE=1.0 make bench for the full two-million-triple run.
bench: SCALE ?= 0.1
bench: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.run --scale $(SCALE)

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache
