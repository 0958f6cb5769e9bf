# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo serve lint format messages screenshots clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,site]"
	touch $(STAMP)

install: $(STAMP)

# WeasyPrint (the report PDFs) needs Pango, HarfBuzz and Fontconfig from the system, and a font;
# makemessages needs GNU gettext. Debian/Ubuntu, as root; .ci/run does the same on a clean CI
# machine.
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
		libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core gettext

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty

# The web server and the django-q2 worker run together; Ctrl+C stops both.
serve:
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py qcluster & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

run: demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at /admin/) with a task worker."
	@$(MAKE) --no-print-directory serve

# pytest-xdist spreads the suite over every core; the fuzz tests send a fifth of their 10,000
# submissions here (FUZZ_SCALE=1 sends them all, as .ci/run does on SQLite).
FUZZ_SCALE ?= 0.2
export FUZZ_SCALE
test: install
	$(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# The plugin's message catalogue, in en-GB (the source language), for translators to copy:
# scrutiny/locale/en/LC_MESSAGES/django.po. tests/scrutiny/test_translations.py fails when it
# is out of date.
messages: install
	mkdir -p scrutiny/locale
	cd scrutiny && ../$(BIN)/python ../manage.py makemessages --locale en --no-wrap \
		--add-location file --no-obsolete --ignore 'migrations/*'

format: install
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 collected-static private-uploads .pytest-private test-artifacts
