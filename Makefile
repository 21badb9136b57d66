# Portico: `make run` starts the whole suite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SERVICES := billing ticketing documents notifications portal-bff
PACKAGES := billing ticketing documents notifications portal_bff
export PORTICO_VAR_DIR ?= $(CURDIR)/var

.PHONY: install migrate demo-data run test lint format openapi rabbitmq-definitions bench-events bench-ticketing bench-documents bench-billing bench-notifications bench-bff bench-scale wrk chromium promtool screenshots clean

$(VENV)/.installed: libs/portico/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml) requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt -e libs/portico $(foreach s,$(SERVICES),-e services/$(s))
	touch $@

install: $(VENV)/.installed

migrate: install
	@for p in $(PACKAGES); do $(BIN)/python -m $$p.migrate || exit 1; done

demo-data: migrate
	$(BIN)/python -m billing.demo

# RabbitMQ at BROKER_URL (default localhost) when it answers, else kombu's file transport under var/broker.
run: install
	@export BROKER_URL="$$($(BIN)/python -m portico.broker)" && \
	$(MAKE) --no-print-directory demo-data && \
	$(BIN)/python -m portico.banner && \
	WEB_CONCURRENCY=$${WEB_CONCURRENCY:-1} exec $(BIN)/honcho start -f Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint chromium promtool
	$(BIN)/pytest -q

openapi: install
	$(BIN)/python -m portico.openapi write $(PACKAGES)

rabbitmq-definitions: install
	$(BIN)/python -m portico.definitions write

bench-events: install
	$(BIN)/python tests/benchmarks/bench_events.py

# Load generation for the HTTP benchmarks: Debian's wrk, installed where missing.
wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

bench-ticketing: install wrk
	$(BIN)/python tests/benchmarks/bench_ticketing.py

bench-documents: install
	$(BIN)/python tests/benchmarks/bench_documents.py

bench-billing: install wrk
	$(BIN)/python tests/benchmarks/bench_billing.py

bench-notifications: install
	$(BIN)/python tests/benchmarks/bench_notifications.py

bench-bff: install wrk
	$(BIN)/python tests/benchmarks/bench_bff.py

bench-scale: install
	$(BIN)/python tests/benchmarks/bench_scale.py --backend postgresql
	$(BIN)/python tests/benchmarks/bench_scale.py --backend sqlite

# The alert rules' unit tests run Debian's promtool (from its prometheus package).
promtool:
	@command -v promtool >/dev/null || (apt-get update -qq && apt-get install -y -qq prometheus)

# The browser tests and screenshots drive Debian's Chromium (never a browser Playwright downloads).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

screenshots: install chromium
	$(BIN)/python tests/screenshots.py

clean:
	rm -rf $(VENV) var
