# The two commands a newcomer needs: `make run` and `make test`. Nothing else has to be installed first
# beyond Python 3.11+; `.ci/run` also installs Debian's Chromium for the browser tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export NWWMH_LOCAL ?= 1

.PHONY: run test lint format setup clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data --if-absent
	$(PY) manage.py collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn nwwmh_portal.wsgi -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the architecture contracts in pyproject.toml

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .ruff_cache .grimp_cache .import_linter_cache
