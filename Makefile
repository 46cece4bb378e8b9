# Two commands a newcomer needs: `make demo` and `make test` (both set up .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint check-rules bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Validate the shipped rules and evaluate the sample nominees.
demo: $(STAMP)
	$(BIN)/tdkt demo

## The whole test suite (PostgreSQL half runs when TDKT_TEST_POSTGRES_URL is set).
test: $(STAMP)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-dev} $(BIN)/python -m pytest

## Type and style checks.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Property checks and overlap report on the shipped rules (fixed seed).
check-rules: $(STAMP)
	$(BIN)/tdkt check criteria/ --seed 0
	$(BIN)/tdkt dedup criteria/ > /dev/null

## Benchmarks (on demand; not part of the tests).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_evaluate.py
	$(BIN)/python benchmarks/bench_stream.py
	$(BIN)/python benchmarks/bench_period.py --people 20000
	$(BIN)/python benchmarks/bench_verify.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
