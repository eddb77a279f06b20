# Cable Archive. The two commands a newcomer needs: `make run` and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
CORPUS ?= ../shared/corpus
HOST ?= 127.0.0.1
PORT ?= 8000

# The real Cablegate sample when it sits beside the checkout, else the demo set.
ifneq ($(wildcard $(CORPUS)/cablegate/txt),)
  CABLES := $(CORPUS)/cablegate/txt $(wildcard $(CORPUS)/seed/*.txt)
  CABLE_IDS := $(CORPUS)/cablegate-ids/cable2month.csv.gz
else
  CABLES := demo/cables
  CABLE_IDS := demo/cable-ids.csv
endif

.PHONY: help run serve setup data test test-sqlite test-postgres test-browser test-deploy lint format bench clean

help:
	@echo "make run    set up everything, load cables, serve on http://$(HOST):$(PORT)/"
	@echo "make test   the whole test suite (SQLite; PostgreSQL too when DATABASE_URL is set)"
	@echo "            browser tests need Debian's chromium (apt-get install chromium)"

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

data: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_cable_ids $(CABLE_IDS)
	-$(MANAGE) ingest $(CABLES)
	$(MANAGE) people_rebuild --if-empty

run: data serve

serve: setup
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup lint
	env -u DATABASE_URL -u CACHE_URL -u REDIS_URL $(MANAGE) makemigrations --check --dry-run
	$(MAKE) test-sqlite
ifneq ($(DATABASE_URL),)
	$(MAKE) test-postgres
endif

# SQLite with the default file cache; PostgreSQL with CACHE_URL (Redis in CI) if set.
test-sqlite: setup
	env -u DATABASE_URL -u CACHE_URL -u REDIS_URL $(BIN)/pytest

test-postgres: setup
	$(BIN)/pytest

# Parts of the suite, for working on them (make test runs them too).
test-browser: setup
	$(BIN)/pytest -m browser tests/browser

test-deploy: setup
	$(BIN)/pytest tests/deploy

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/index var/cables.sqlite3* test-artifacts
