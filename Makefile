# Two entry points a new user needs: `make demo` and `make test`.
# Both create .venv on first use; everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck bench clean

$(BIN)/triage: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/triage

demo: $(BIN)/triage
	$(BIN)/triage --demo

test: $(BIN)/triage
	$(BIN)/python -m pytest -n 2 -q

lint: $(BIN)/triage
	$(BIN)/ruff check tui adapters tests bench
	$(BIN)/ruff format --check tui adapters tests bench

typecheck: $(BIN)/triage
	$(BIN)/mypy

bench: $(BIN)/triage
	$(BIN)/python bench/cli_startup.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
