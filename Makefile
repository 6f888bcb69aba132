# Setup is part of every entry point: `make run` and `make test` work on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LANGS := ar ti nl en
PO := $(foreach l,$(LANGS),locales/$(l)/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: install catalogs browser deploy-tools run test test-deploy lint locales clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --domain messages --locale $* --input-file $< --output-file $@

catalogs: $(MO)

# The whole system: the web chat, the dashboard and the reminder worker always, the
# Telegram bot when a token is set. The web chat's address comes first: a newcomer opens it.
run: $(STAMP) catalogs
	@$(BIN)/python -c 'from bot.settings import Settings; print("Try Wegwijs as a newcomer: " + Settings().chat_url + "/")'
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		$(BIN)/wegwijs run; \
	else \
		echo "No TELEGRAM_BOT_TOKEN: the Telegram bot does not start. Put the token from"; \
		echo "@BotFather in .env as TELEGRAM_BOT_TOKEN=... (README: Running on Telegram)."; \
		echo "Try the conversation in a terminal meanwhile: .venv/bin/wegwijs chat"; \
		echo "Starting the web chat, the dashboard and the reminder worker."; \
		$(BIN)/wegwijs run --no-bot; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# The dashboard's browser tests drive Debian's chromium through Playwright (never a
# browser that Playwright downloads: `playwright install` is not used).
# Debian's chromium, and an Ethiopic font so Tigrinya pages (the web chat) render in the
# browser tests and screenshots as on a phone (Android ships Noto Sans Ethiopic).
browser:
	@{ command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi 'abyssinica\|ethiopic'; } || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium fonts-sil-abyssinica; \
		else \
			echo "The browser tests need Debian's chromium and an Ethiopic font:"; \
			echo "  sudo apt-get install chromium fonts-sil-abyssinica"; \
		fi; }

# The deployment tests (tests/deploy) run Debian's caddy in front of Wegwijs and check the
# systemd units with systemd-analyze: both installed here as `make browser` does chromium.
deploy-tools:
	@{ command -v caddy >/dev/null && command -v systemd-analyze >/dev/null; } || { \
		if [ "$$(id -u)" = 0 ]; then \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends caddy systemd; } || \
			echo "caddy or systemd could not be installed: the deployment tests will skip."; \
		else \
			echo "The deployment tests need Debian's caddy and systemd:"; \
			echo "  sudo apt-get install caddy systemd"; \
		fi; }

# Caddy over HTTPS in front of two webhook workers and the web chat; the systemd units.
test-deploy: $(STAMP) catalogs deploy-tools
	$(BIN)/pytest -n 2 tests/deploy

# Four at a time: the end-to-end scenarios mostly wait on bot subprocesses and timers.
# tests/deploy (make test-deploy) is part of the whole.
test: $(STAMP) catalogs lint browser deploy-tools
	$(BIN)/wegwijs locales check
	$(BIN)/pytest -n 4

# Benchmarks (about 5 minutes): writes bench/results.json and bench/results.md, prints the
# table. PostgreSQL figures need a server at 127.0.0.1:5432 (database test, trust auth).
bench: $(STAMP) catalogs
	$(BIN)/python -m bench

# Developers: after changing texts, refresh the template and every catalog, then translate
# the new (empty) entries; `wegwijs locales check` lists them.
locales: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords N_ --keywords NP_:1,2 --keywords NC_:1c,2 \
		--no-location --no-wrap --sort-output --project Wegwijs --output-file locales/messages.pot .
	for lang in $(LANGS); do \
		if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --input-file locales/messages.pot --output-dir locales \
				--locale $$lang --no-fuzzy-matching --ignore-obsolete --no-wrap; \
		else \
			$(BIN)/pybabel init --input-file locales/messages.pot --output-dir locales --locale $$lang; \
		fi; \
	done
	$(BIN)/python -m bot.catalogs fill-english locales/en/LC_MESSAGES/messages.po
	$(MAKE) catalogs

clean:
	rm -rf $(VENV) $(MO) .pytest_cache .ruff_cache .hypothesis
