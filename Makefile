# Prestatieafspraken portal. The README's quick start is two commands:
#   make run    install, migrate, load the Kerkrade demo data, serve http://127.0.0.1:8000
#   make test   install the test tools, lint, check migrations, run the whole suite
# .ci/run calls `make test` with DATABASE_URL and REDIS_URL pointing at PostgreSQL and Redis.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
CONSTRAINTS := constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="tests/agreements -x"`.
PYTEST_ARGS ?=
BENCH_ARGS ?=
# 1: `make test` also fails on unformatted code (ruff format --check).
CHECK_FORMAT ?= 0

.PHONY: help run reset-demo test lint format bench worker beat vendor constraints clean

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- the virtualenv ---------------------------------------------------------------------------

$(VENV)/bin/pip:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed, $(PYTHON) is " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	@echo "==> creating $(VENV) with $$($(PYTHON) --version)"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt-get install python3-venv" >&2; exit 1; }
	@$(PIP) install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml or the constraints change.
$(VENV)/.installed-run: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/pip
	@echo "==> installing the portal into $(VENV)"
	$(PIP) install --quiet --constraint $(CONSTRAINTS) --editable .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/pip
	@echo "==> installing the portal and its test tools into $(VENV)"
	$(PIP) install --quiet --constraint $(CONSTRAINTS) --editable '.[test]'
	@touch $@ $(VENV)/.installed-run

# --- quick start ------------------------------------------------------------------------------

run: export DEBUG := true
run: $(VENV)/.installed-run  ## Quick start: install, migrate, load demo data, serve on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo
	@echo "==> Open http://$(HOST):$(PORT)/ and log in as werkgroep / kerkrade-demo (all demo accounts: README)."
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Starts again from a fresh demo: only the default SQLite file and the project's media/ folder
# (uploads, stored PDFs) are removed; a DATABASE_URL or MEDIA_ROOT of your own is never touched.
reset-demo: export DEBUG := true
reset-demo: $(VENV)/.installed-run  ## Start again from a fresh demo: remove db.sqlite3 and media/, migrate, load_demo
	@if [ -n "$${DATABASE_URL:-}" ] || [ -n "$${MEDIA_ROOT:-}" ]; then \
	  echo "make reset-demo only resets the default db.sqlite3 and media/; unset DATABASE_URL and MEDIA_ROOT" >&2; exit 2; fi
	@if [ "$${CONFIRM:-}" != yes ]; then \
	  read -r -p "This deletes db.sqlite3 and media/ (every change made in the demo). Type yes: " answer; \
	  [ "$$answer" = yes ] || { echo "Nothing deleted."; exit 1; }; fi
	@echo "==> removing db.sqlite3 and media/"
	rm -f db.sqlite3
	rm -rf media
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "==> Fresh demo ready: make run PORT=$(PORT)"

# Every step runs even when an earlier one fails, so one run shows everything that is wrong; the
# recipe exits with pytest's code when pytest fails (5, "no tests collected", counts as a failure),
# else 1 when a check failed. DEBUG is dropped so that settings_test alone decides the settings.
test: $(VENV)/.installed-test  ## The whole test suite (lint, migrations check, pytest)
	@case "$${DATABASE_URL:-}" in \
	  postgres*|pgsql*) db="PostgreSQL" ;; \
	  "") db="SQLite (DATABASE_URL unset)" ;; \
	  *) db="$${DATABASE_URL%%:*}" ;; \
	esac; \
	if [ -n "$${REDIS_URL:-}" ]; then tasks="Redis (a real worker for the Redis test)"; \
	else tasks="eager tasks (REDIS_URL unset: the Redis test is skipped)"; fi; \
	echo "==> make test uses: database $$db; Celery $$tasks"; \
	failed=""; \
	echo "==> ruff check"; \
	$(VENV)/bin/ruff check . || failed="$$failed ruff-check"; \
	if [ "$(CHECK_FORMAT)" = 1 ]; then \
	  echo "==> ruff format --check"; \
	  $(VENV)/bin/ruff format --check . || failed="$$failed ruff-format"; \
	fi; \
	echo "==> makemigrations --check"; \
	env -u DEBUG DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=kerkrade_pa.settings_test \
	  $(PY) manage.py makemigrations --check --dry-run || failed="$$failed makemigrations"; \
	echo "==> pytest $(PYTEST_ARGS)"; \
	rc=0; env -u DEBUG bash scripts/run_pytest.sh $(PY) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then failed="$$failed pytest(exit-5:no-tests-collected)"; \
	elif [ $$rc -ne 0 ]; then failed="$$failed pytest(exit-$$rc)"; fi; \
	echo "==> database $$db; Celery $$tasks"; \
	if [ -n "$$failed" ]; then echo "==> make test FAILED:$$failed" >&2; \
	  if [ $$rc -ne 0 ]; then exit $$rc; else exit 1; fi; fi; \
	echo "==> make test passed"

# --- everyday tools ---------------------------------------------------------------------------

lint: $(VENV)/.installed-test  ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test  ## Format the code and apply ruff's safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed-test  ## Benchmarks (bench/bench_framework.py)
	$(PY) bench/bench_framework.py $(BENCH_ARGS)

worker: $(VENV)/.installed-run  ## Celery worker (needs REDIS_URL)
	@test -n "$${REDIS_URL:-}" || { echo "make worker needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker (without it tasks run eagerly in the web process)" >&2; exit 2; }
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A kerkrade_pa worker --loglevel=INFO

beat: $(VENV)/.installed-run  ## Celery beat, the periodic-task scheduler (needs REDIS_URL)
	@test -n "$${REDIS_URL:-}" || { echo "make beat needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make beat" >&2; exit 2; }
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A kerkrade_pa beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

vendor:  ## Re-vendor the front-end packages into static/vendor (needs npm)
	bash scripts/vendor_static.sh

constraints: $(VENV)/.installed-test  ## Re-pin constraints.txt from the working virtualenv
	@{ echo "# Pinned versions of every package in a working virtualenv: make constraints"; \
	   echo "# pip install --constraint constraints.txt -e '.[test]' (Makefile, Dockerfile)"; \
	   $(PIP) freeze --exclude-editable | grep -v -e '^-e ' -e '^prestatieafspraken-portal'; } > $(CONSTRAINTS).new
	@mv $(CONSTRAINTS).new $(CONSTRAINTS)
	@echo "==> wrote $(CONSTRAINTS)"

clean:  ## Remove caches and collected static files (keeps .venv and db.sqlite3)
	rm -rf staticfiles .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
