# TeleCampus: `make run` serves the portal with its worker; `make test` checks everything.
PYTHON ?= python3.11
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate seed lint check pytest bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Reinstall only when the lock file changes; --require-hashes installs exactly the tested set.
$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  TeleCampus is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Personas: admin editor reviewer coordinator meetingadmin clinician nurse specialist patient patient2 auditor"
	@echo "  Demo password: $$($(BIN)/python -c 'import os; print(os.environ.get("DEMO_PASSWORD", "telecampus-demo"))')"
	@echo "  Staff TOTP secret: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP (current code: $(BIN)/python manage.py demo_totp)"
	@echo "  Demo email is written to var/mail/"
	@echo ""
	EMAIL_URL=$${EMAIL_URL:-file://var/mail} BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)} PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile -p $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# pytest-xdist workers; the machine has two cores. 0 runs in one process (for --pdb).
# loadgroup keeps together the modules tests/conftest.py groups (module-scoped servers).
PYTEST_WORKERS ?= 2
pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: lint check pytest

bench: install
	$(BIN)/python bench/run_all.py

# What CI runs: every bench script with a few requests, to prove it still works.
bench-quick: install
	$(BIN)/python bench/run_all.py --quick

clean:
	rm -rf $(VENV) var

# --- cluster (docs/decisions/0019): three web nodes, two workers, HAProxy, Varnish,
# PostgreSQL, Redis and an S3 stand-in on this machine (root: network namespaces).
.PHONY: cluster cluster-test
cluster: install
	PORT=$(PORT) $(BIN)/python cluster/cluster.py up

# Tests use their own port so a `make run` on PORT may keep running.
CLUSTER_TEST_PORT ?= 9300
cluster-test: install
	PORT=$(CLUSTER_TEST_PORT) $(BIN)/python cluster/cluster.py test
