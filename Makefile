# Two commands on a fresh machine: `make repro` (install + run the pipeline on the synthetic corpus)
# and `make test` (install + lint + tests, one pytest worker per core). Everything lives in ./.venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install repro test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,synth]'
	touch $@

repro: install
	$(BIN)/dvc repro
	@echo
	@echo "Results: test scores below (italic-cnn summarize), results/<config>/evaluate/ (metrics, confusion,"
	@echo "errors.csv), models/<config>/model.pt. Compare experiments (after source .venv/bin/activate) with:"
	@echo "  dvc exp show --only-changed --drop '^(Created|results/|data/|models/|pipeline/)' --keep '^(massive|hard_speaker|hard_noisy)$$'"
	@$(BIN)/italic-cnn summarize --html results/index.html
	@echo "Results page (open in a browser): $(abspath results/index.html)"

test: install lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV)
