# Two commands: `make run` brings the whole system up; `make test` installs what the tests
# need and runs them. Everything else here serves those two.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
FLASK := $(BIN)/flask --app wsgi
PG_PORT ?= 54329
TEST_DATABASE_URL ?= postgresql://campaign@127.0.0.1:$(PG_PORT)/postgres
DEV_ADMIN_EMAIL ?= admin@example.org
DEV_ADMIN_PASSWORD ?= campaign-dev-password

.PHONY: run test lint format services services-stop migrate seed clean translations compile-translations html-checker

$(STAMP): pyproject.toml
	scripts/services.sh python-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

migrate: $(STAMP) compile-translations
	$(FLASK) db upgrade

# Extract the messages, merge them into every catalogue (then translate the .po files).
translations: $(STAMP)
	mkdir -p campaign/translations
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs ".*" -k lazy_gettext -k _l -o campaign/translations/messages.pot --no-location --sort-output --width 100 --project campaign .
	for lang in ar zh fr ru es; do \
	  if [ -f campaign/translations/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i campaign/translations/messages.pot -d campaign/translations -l $$lang --no-fuzzy-matching --width 100; \
	  else \
	    $(BIN)/pybabel init -i campaign/translations/messages.pot -d campaign/translations -l $$lang; \
	  fi; \
	done

# The .mo files are built, not kept in git.
compile-translations: $(STAMP)
	@if ls campaign/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile -d campaign/translations --statistics 2>&1 | tail -n 5; fi

seed: migrate
	$(FLASK) campaign seed

run: seed
	@$(FLASK) campaign create-admin $(DEV_ADMIN_EMAIL) --password $(DEV_ADMIN_PASSWORD) >/dev/null 2>&1 || true
	@echo
	@echo "  Web:       http://127.0.0.1:5000"
	@echo "  Log in:    http://127.0.0.1:5000/account/login as $(DEV_ADMIN_EMAIL) / $(DEV_ADMIN_PASSWORD)"
	@echo "  Mail sink: every message is kept in instance/mail/ (one .eml file each)"
	@echo "  Ctrl-C stops web, worker, beat and the mail sink."
	@echo
	$(BIN)/honcho start

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The W3C Nu HTML Checker (tests/html): vnu-jar from the npm registry, pinned in
# package-lock.json, into node_modules/; it runs on Debian's Java. Reinstalled only when the
# lock file changes. --ignore-scripts: the package's postinstall would download a JDK.
VNU_STAMP := node_modules/.installed-$(shell cksum package-lock.json | cut -d' ' -f1)

$(VNU_STAMP): package.json package-lock.json
	scripts/services.sh packages
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

html-checker: $(VNU_STAMP)

services:
	TEST_PG_PORT=$(PG_PORT) scripts/services.sh start

services-stop:
	TEST_PG_PORT=$(PG_PORT) scripts/services.sh stop

# The whole suite twice: on SQLite (the embedded default) and on PostgreSQL (production),
# side by side (scripts/test-both.sh).
test: $(STAMP) lint services compile-translations html-checker
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) scripts/test-both.sh

clean:
	rm -rf $(VENV) instance .services node_modules .pytest_cache .mypy_cache .ruff_cache

# Benchmarks (bench/README.md): the real stack on 127.0.0.1, every figure a ratio against a
# baseline measured in the same run. bench-quick takes a couple of minutes.
# The long fuzz (tests/fuzz/long_run.py): 20,000 generated requests per database against the
# app served over HTTP; prints the answers by status and every 5xx. FUZZ_ARGS=--requests 200000
.PHONY: fuzz
fuzz: $(STAMP) services compile-translations
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m tests.fuzz.long_run $(FUZZ_ARGS)

.PHONY: bench bench-quick

bench: $(STAMP)
	bench/run.sh full

bench-quick: $(STAMP)
	bench/run.sh quick
