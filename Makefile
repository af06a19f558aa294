# Mailflow: `make demo` runs the loop on embedded defaults; `make test` installs
# what the tests need and runs ruff, mypy and pytest.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest system-deps clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/mailflow demo

# Debian's dovecot-imapd is what the IMAP tests talk to; install it when it is
# missing and we are root (CI and the development machines are).
system-deps:
	@missing=""; \
	command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages for the tests:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not root: missing$$missing; the tests that need them will skip"; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check mailflow tests bench
	$(BIN)/ruff format --check mailflow tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

test: system-deps lint typecheck pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
