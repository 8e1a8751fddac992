# SCO Tracker — `make run` for a local server with seed data, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
EDITOR_USERNAME ?= editor
REVIEWER_USERNAME ?= reviewer
PASSWORD_FILE := var/editor-password
REVIEWER_PASSWORD_FILE := var/reviewer-password
PYTEST_ARGS ?= -n auto
WEB_CONCURRENCY ?= 2

.PHONY: install run serve setup test fuzz check lint format lock screenshots bench bench-import clean

$(STAMP): requirements.lock pyproject.toml package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create a virtualenv. On Debian/Ubuntu: sudo apt-get install -y python3-venv"; \
		exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@# axe-core, for the accessibility tests (skipped with a warning when npm is missing).
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; \
		else echo "npm not found: the accessibility tests need it (apt-get install -y npm)"; fi
	@touch $(STAMP)

## install: the virtualenv in .venv with the locked dependencies (app + tests)
install: $(STAMP)

## setup: migrate, load the seed data, make sure the editor account exists
setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed_data
	@mkdir -p var
	@test -s $(PASSWORD_FILE) || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $(PASSWORD_FILE)
	@test -s $(REVIEWER_PASSWORD_FILE) || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $(REVIEWER_PASSWORD_FILE)
	@$(BIN)/python manage.py create_editor $(EDITOR_USERNAME) --password "$$(cat $(PASSWORD_FILE))"
	@$(BIN)/python manage.py create_editor $(REVIEWER_USERNAME) --reviewer --password "$$(cat $(REVIEWER_PASSWORD_FILE))"
	@echo ""
	@echo "  Public site:   http://$(HOST):$(PORT)/"
	@echo "  Editor login:  http://$(HOST):$(PORT)/admin/"
	@echo "    editor    (edits, submits for review)  password: $$(cat $(PASSWORD_FILE))"
	@echo "    reviewer  (also publishes, withdraws)  password: $$(cat $(REVIEWER_PASSWORD_FILE))"
	@echo ""

## run: setup, then serve on http://127.0.0.1:8000 (safe to run again)
run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## serve: production — gunicorn (WEB_CONCURRENCY workers, default 2) on $(HOST):$(PORT) with
## sco_tracker.settings.production and whitenoise, after collectstatic and migrate. Needs
## SECRET_KEY (>= 50 random characters) and ALLOWED_HOSTS (comma-separated) in the
## environment, and DATABASE_URL (PostgreSQL; SQLite in var/ otherwise). Optional:
## DATABASE_REPLICA_URL (public reads on a streaming replica), DATABASE_CONN_MAX_AGE
## (default 60), TRUSTED_PROXY_COUNT, CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT=0 without a
## TLS proxy, RELEASE (part of every ETag; defaults to the commit). See README.
## REQUEST_TIMEOUT (seconds, default 120): confirming an import of 10,000 changed figures
## takes about 45 s here, over gunicorn's default of 30 s (docs/benchmarks.md, "Imports").
REQUEST_TIMEOUT ?= 120
serve: export DJANGO_SETTINGS_MODULE := sco_tracker.settings.production
serve: export RELEASE ?= $(shell git rev-parse --short HEAD 2>/dev/null)
serve: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn sco_tracker.wsgi --workers $(WEB_CONCURRENCY) --bind $(HOST):$(PORT) \
		--timeout $(REQUEST_TIMEOUT) --access-logfile -

## test: the whole suite (DATABASE_URL selects PostgreSQL; SQLite otherwise)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## fuzz: the hostile-input tests with ten times CI's examples (DATABASE_URL selects the DB)
fuzz: install
	FUZZ_EXAMPLES=20000 FUZZ_ADMIN_EXAMPLES=2000 $(BIN)/python -m pytest -p no:randomly tests/test_fuzz.py

## check: the CI gate before tests
check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=sco_tracker.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint: check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: public pages and admin over HTTP (gunicorn) on 100,000 generated figures × 10
## revisions, against a by-the-docs baseline; DATABASE_URL must point at PostgreSQL (the bench
## uses its own database there). BENCH_PAGES=list,deep… for a subset; see docs/benchmarks.md.
bench: install
	$(BIN)/python -m bench.run

## bench-import: 10,000 figures imported through the admin (preview, confirm) and the
## command, new, changed and unchanged; DATABASE_URL must point at PostgreSQL (own database)
bench-import: install
	$(BIN)/python -m bench.imports

## lock: re-resolve requirements.lock from pyproject.toml
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

## screenshots: regenerate the README's screenshots (after `make setup`)
screenshots: install
	$(BIN)/python docs/take_screenshots.py

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
