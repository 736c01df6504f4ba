# Two entry points for a fresh machine: `make demo` and `make test`. Everything else is a building block.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PROFILE ?= ci
LIBDIR = $(shell $(PY) -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')
CARGO_ENV = PYO3_PYTHON=$(abspath $(PY)) LD_LIBRARY_PATH=$(LIBDIR)

.PHONY: help install build-dev build-release services browsers demo test test-python test-rust lint format bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)  ## Python deps and the engine (cargo profile $(PROFILE))
	MATURIN_PEP517_ARGS="--profile $(PROFILE)" $(PY) -m pip install -q -e ".[dev]"

build-dev: $(PY)  ## rebuild the engine after Rust changes
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --profile $(PROFILE)

build-release: $(PY)  ## optimised engine for benchmarks
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release

services:  ## start Redis and PostgreSQL on loopback (installs them when missing)
	bash scripts/services.sh

browsers:  ## headless Chromium + chromedriver for the browser tests (installs them when missing)
	bash scripts/browsers.sh

demo: install  ## set up migrations_demo on SQLite and serve it with runbolt on 127.0.0.1:8000
	cd migrations_demo && ../$(PY) manage.py migrate --noinput && ../$(PY) manage.py seed_demo && \
		../$(PY) manage.py runbolt --host 127.0.0.1 --port 8000

test: install services browsers test-rust test-python  ## set up and run every test (Rust and Python)

test-rust:
	$(CARGO_ENV) cargo test --profile $(PROFILE)

test-python:
	$(PY) -m pytest -q -p no:randomly; code=$$?; if [ $$code -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$code

lint:  ## ruff, rustfmt, clippy
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(PY) -m mypy.stubtest django_bolt._engine --ignore-disjoint-bases
	cargo fmt --check
	$(CARGO_ENV) cargo clippy --profile $(PROFILE) --all-targets -- -D warnings

format:
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .
	cargo fmt

# The peers measured beside runbolt (django-bolt 0.13 needs CPython >= 3.12 and shares our import name: own venv).
PEERS_VENV = .venv-peers
PY312 ?= $(or $(shell ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1),$(shell command -v python3.12))

$(PEERS_VENV)/installed: bench/peers/requirements.txt
	@test -n "$(PY312)" || (echo "the bench peers need CPython 3.12 (set PY312=/path/to/python3.12)" && exit 1)
	$(PY312) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install -q -r bench/peers/requirements.txt
	touch $@

bench: build-release $(PEERS_VENV)/installed  ## the benchmarks of docs/benchmarks.md, peers included (loopback, bounded; installs wrk when missing)
	command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) bench/run.py
	$(PY) bench/streaming.py
	$(PY) bench/context_bench.py
	PYTHONPATH=. $(PY) bench/kept_counts_bench.py
	PYTHONPATH=. $(PY) bench/sqlite_rows_bench.py

clean:
	rm -rf target $(VENV) $(PEERS_VENV) django_bolt/*.so
