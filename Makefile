# Two commands set up and use yzlogi on a fresh machine (see README):
#   make run    — start the dashboard on the bundled sample data
#   make test   — run the whole test suite (installs what the browser tests need)
# Both create the virtual environment and install the pinned packages themselves.
#   make bundle — the offline install bundle for a server without internet (README «内网部署»)
# In an unpacked bundle (wheels/ present), the environment comes from deploy/install.sh, offline.

PYTHON ?= python3.11
VENV   ?= .venv
PORT   ?= 8501
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

BUNDLE_ARCH  ?= x86_64
BUNDLE_GLIBC ?= 2.28
BUNDLE_OUT   ?= dist
OFFLINE := $(wildcard wheels/)

.PHONY: run test system-deps run-deps bench bundle clean

# FORWARDED_ALLOW_IPS empty: only the app decides whose X-Forwarded-For to believe (yzlogi/forwarding.py).
run: $(VENV)/.app run-deps
	FORWARDED_ALLOW_IPS= $(BIN)/streamlit run app.py --server.port $(PORT)

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

# The offline install bundle under dist/ (scripts/bundle.py); BUNDLE_ARCH=aarch64 for an ARM server.
bundle: $(VENV)/bin/python run-deps
	$(BIN)/python scripts/bundle.py --arch $(BUNDLE_ARCH) --glibc $(BUNDLE_GLIBC) --out $(BUNDLE_OUT)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

ifneq ($(OFFLINE),)
$(VENV)/.app: requirements.txt constraints.txt
	sh deploy/install.sh
else
$(VENV)/.app: $(VENV)/bin/python requirements.txt constraints.txt
	$(PIP) install -r requirements.txt -c constraints.txt
	@touch $@
endif

$(VENV)/.dev: $(VENV)/.app requirements-dev.txt constraints.txt
	$(PIP) install -r requirements-dev.txt -c constraints.txt
	@touch $@

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts dist
