# The two set-up commands are `make run` and `make test`; everything they need they install themselves.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := postgresql fonts-noto-cjk chromium chromium-driver poppler-utils
PYTEST_ARGS ?=

.PHONY: install apt run test test-sqlite test-postgres lint bench accuracy clean

$(BIN)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11，当前为 " + sys.version' \
		|| { echo "错误：需要 Python 3.11（设置 PYTHON=/path/to/python3.11）"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(BIN)/.installed

apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "安装系统软件包:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

run: install
	$(BIN)/leniency migrate
	$(BIN)/leniency demo
	$(BIN)/leniency serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check leniency tests benchmarks scripts
	$(BIN)/ruff format --check leniency tests benchmarks scripts

test: apt install lint test-sqlite test-postgres

test-sqlite: install
	LENIENCY_VAR_DIR=$$(mktemp -d) DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -m django_db $(PYTEST_ARGS)

bench: install
	$(BIN)/pytest benchmarks --benchmark-only --benchmark-columns=min,mean,median,ops -p no:randomly $(PYTEST_ARGS)

accuracy: install
	nice -n 10 $(BIN)/python scripts/accuracy.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
