# Deonto: `make run` sets up and serves the app; `make test` sets up and runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup runtime-packages test-packages lint typecheck messages clean

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
run: setup runtime-packages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py sync_guidance
	$(BIN)/python manage.py sync_postcheck_rules
	$(BIN)/python manage.py sync_course
	$(BIN)/python manage.py publish_course social-media
	$(BIN)/python manage.py seed_demo
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)/; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Debian packages: the OCR engine and its Dutch, French, German and English data for the post checker (needed to
# run), chromium for the browser tests and gettext to check the catalogues (needed to test). Installed when missing
# and we are root or may sudo; otherwise the message says what to install.
RUNTIME_PACKAGES := tesseract-ocr tesseract-ocr-nld tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-eng
TEST_PACKAGES := chromium gettext
define apt_ensure
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Debian packages missing and not installable here: apt-get install" $$missing >&2; exit 1; fi
endef

runtime-packages:
	$(call apt_ensure,$(RUNTIME_PACKAGES))

test-packages:
	$(call apt_ensure,$(TEST_PACKAGES))

test: setup runtime-packages test-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy deonto benchmarks

# Refresh the nl and fr catalogues after changing interface strings (needs GNU gettext).
messages: setup
	cd deonto && ../$(BIN)/django-admin makemessages -l nl -l fr --no-obsolete --settings=deonto.settings_test --pythonpath=..

clean:
	rm -rf $(VENV) var
