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

.PHONY: run test lint format services services-stop migrate seed clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

migrate: $(STAMP)
	$(FLASK) db upgrade

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

services:
	TEST_PG_PORT=$(PG_PORT) scripts/services.sh start

services-stop:
	TEST_PG_PORT=$(PG_PORT) scripts/services.sh stop

test: $(STAMP) lint services
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

clean:
	rm -rf $(VENV) instance .services .pytest_cache .mypy_cache .ruff_cache
