# The two set-up commands of the README: `make run` and `make test`. Each makes its own .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= $(CURDIR)/.store
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test test-quick lint bench clean

$(BIN)/budgetqa: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch==2.13.0 in the same command as the rest: a CPU build; otherwise a CUDA build is pulled.
	$(BIN)/pip install -q "torch==2.13.0" -e ".[dev,st]"
	touch $(BIN)/budgetqa

install: $(BIN)/budgetqa

run: install
	$(BIN)/budgetqa ingest data/corpus --store $(STORE)
	$(BIN)/budgetqa serve --store $(STORE) --host 127.0.0.1 --port 7860

test: install
	bash scripts/install_system_deps.sh
	$(BIN)/pytest -q

test-quick: install
	$(BIN)/pytest -q -m "not slow and not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ingest assistant ui eval

bench: install
	$(BIN)/python scripts/bench_ingest.py
	$(BIN)/python scripts/bench_ask.py
	$(BIN)/python scripts/bench_catalog.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .mypy_cache .ruff_cache
