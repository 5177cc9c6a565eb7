# Everything a fresh machine needs: `make demo` and `make test` create the
# virtual environment on first use and reinstall when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := .demo

.PHONY: install test lint demo clean browser services

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# Headless Chromium for the browser tests (Debian's package; Playwright's own
# download needs the internet). Installs it when run as root, else says how.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; \
	  else \
	    echo "the browser tests need Chromium: sudo apt-get install chromium (they are skipped without it)"; \
	  fi; }

# PostgreSQL, Redis and RabbitMQ for the PostgreSQL pass and the worker
# tests: started when installed but not running (scripts/services.sh)
services:
	@scripts/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# the whole suite on SQLite, then every test that uses a database again on
# PostgreSQL, with the worker tests (tests/conftest.py)
test: lint services
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --backend postgresql

# The atheris fuzz targets (fuzz/), a minute each; crashing inputs go to
# fuzz/crashes/. Phony: the fuzz/ folder would otherwise make it up to date.
.PHONY: fuzz
fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py --seconds 60

# The offline newswire crawled into a fresh project in .demo/ (see scripts/demo.py).
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache *.egg-info
