# Two commands set up and use yzlogi on a fresh machine (see README):
#   make run    — start the dashboard on the bundled sample data
#   make test   — run the whole test suite (installs what the browser tests need)
# Both create the virtual environment and install the pinned packages themselves.

PYTHON ?= python3.11
VENV   ?= .venv
PORT   ?= 8501
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test system-deps run-deps bench clean

run: $(VENV)/.app run-deps
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@bash scripts/system-deps.sh

# Only the PDF briefing's CJK font (fonts-noto-cjk), when missing.
run-deps:
	@bash scripts/system-deps.sh run

# Speed as ratios against baselines of the same run (docs/performance.md); BENCH_ARGS="--runs 3" for a quick one.
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.app: $(VENV)/bin/python requirements.txt constraints.txt
	$(PIP) install -r requirements.txt -c constraints.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.app requirements-dev.txt constraints.txt
	$(PIP) install -r requirements-dev.txt -c constraints.txt
	@touch $@

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
