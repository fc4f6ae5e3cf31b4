# Deonto: `make run` sets up and serves the app; `make test` sets up and runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup test-packages lint typecheck messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv sync --locked --inexact --python $(BIN)/python
	touch $@

# A developer's settings: debug mode on SQLite (see the README's "Configuration").
.env:
	printf '# Settings of this checkout (read by deonto/settings.py; the environment wins).\nDEONTO_DEBUG=1\n' > $@

setup: $(VENV)/.synced .env
	$(BIN)/python manage.py compile_translations

# Development server on SQLite with the demo data, plus one task worker.
run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py sync_guidance
	$(BIN)/python manage.py sync_course
	$(BIN)/python manage.py publish_course social-media
	$(BIN)/python manage.py seed_demo
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)/; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Debian packages the test suite needs: chromium for the browser tests, gettext to check the catalogues.
test-packages:
	@if command -v chromium >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	else echo "Debian's chromium and gettext are missing and cannot be installed here: apt-get install chromium gettext." >&2; exit 1; fi

test: setup test-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy deonto

# Refresh the nl and fr catalogues after changing interface strings (needs GNU gettext).
messages: setup
	cd deonto && ../$(BIN)/django-admin makemessages -l nl -l fr --no-obsolete --settings=deonto.settings_test --pythonpath=..

clean:
	rm -rf $(VENV) var
