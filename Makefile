# ridbook — the two commands: `make run` and `make test`. Only python3.11, make and git are needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo browser office directory lint messages lock jobs clean

$(STAMP): requirements.lock pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py create_tradesecret_key --if-missing
	$(BIN)/python manage.py load_demo

## run: environment, migrations, demo data, then the server on http://$(HOST):$(PORT)
run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## browser: Debian's chromium for the real-browser tests (installed when missing and we are root)
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "NOTE: chromium could not be installed: the browser tests will be SKIPPED."; \
	else echo "NOTE: $(CHROMIUM) is missing and cannot be installed here: the browser tests will be SKIPPED."; fi

## office: LibreOffice Writer for the protocol's PDF (installed when missing and we are root)
office:
	@if command -v soffice >/dev/null && [ -e "$$(dirname "$$(readlink -f "$$(command -v soffice)")")/libswlo.so" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's libreoffice-writer-nogui for the PDF test..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null) \
	    || echo "NOTE: LibreOffice Writer could not be installed: the PDF test will be SKIPPED."; \
	else echo "NOTE: LibreOffice Writer is missing and cannot be installed here: the PDF test will be SKIPPED."; fi

## directory: Debian's slapd for the directory (LDAP) sign-in tests (installed when missing and we are root)
directory:
	@if [ -x /usr/sbin/slapd ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's slapd for the directory sign-in tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd >/dev/null) \
	    || echo "NOTE: slapd could not be installed: the directory sign-in tests will be SKIPPED."; \
	else echo "NOTE: /usr/sbin/slapd is missing and cannot be installed here: the directory sign-in tests will be SKIPPED."; fi

## test: the whole suite (SQLite by default; PostgreSQL when DATABASE_URL points at one)
test: install browser office directory
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || \
	  (echo "Models changed without a migration: run manage.py makemigrations"; exit 1)
	$(BIN)/python manage.py check_policies >/dev/null
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ridbook

## messages: update and compile the English catalog of every app that has one (ridbook/<app>/locale)
messages: install
	@for dir in ridbook/*/locale; do app=$$(dirname $$dir); echo "$$app"; \
	  (cd $$app && ../../$(BIN)/django-admin makemessages -l en --no-location >/dev/null \
	    && ../../$(BIN)/django-admin compilemessages >/dev/null) || exit 1; done

## lock: re-resolve requirements.lock from pyproject.toml (needs the package registry)
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url -o requirements.lock pyproject.toml

## jobs: a Celery worker with the scheduler, for when BROKER_URL is set (production: run them separately)
jobs: install
	$(BIN)/celery -A ridbook worker --beat --loglevel=info

clean:
	rm -rf $(VENV) var/*.sqlite3
