# Everything runs from .venv, created on first use from the pinned dependencies.
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NODE_STAMP := node_modules/.installed

.PHONY: help run demo load soak chaos cost test lint bench synth deploy destroy console-bench screenshots readme access clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 16

# The pinned CDK CLI, and Node.js 22 (for it and for jsii) where npm has a build for this
# platform; elsewhere the machine's node, without jsii's end-of-life banner.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = 20
export CDK_DISABLE_CLI_TELEMETRY = true
CDK := node_modules/.bin/cdk

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[local,dev,cdk]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

run: $(STAMP)  ## start the local runtime (WebSocket :9000; HTTP API and the console :8000)
	$(BIN)/python -m local $(ARGS)

demo: $(STAMP)  ## the local runtime and a handful of simulated stations charging, with a live view
	$(BIN)/python -m local.fleet demo $(ARGS)

# make load STATIONS=1000 DURATION=300 MIX=1.5=0.5,1.6=1,2.0=0.5,2.0.1=1,2.1=1 METER=10 [ARGS="--storm-at 120 --json r.json"]
STATIONS ?= 100
DURATION ?= 120
MIX ?= 1.5=0.5,1.6=1,2.0=0.5,2.0.1=1,2.1=1
METER ?= 10
load: $(STAMP)  ## a simulated fleet for a bounded time against the CSMS, then a report and a check through the API
	$(BIN)/python -m local.fleet load --stations $(STATIONS) --duration $(DURATION) --mix $(MIX) \
		--meter-interval $(METER) $(ARGS)

# make soak STATIONS=300 SOAK=3600 WINDOW=300 [ARGS="--json soak.json"]
SOAK ?= 3600
WINDOW ?= 300
soak: $(STAMP)  ## a long load run, reported window by window (round trips, CPU per message, memory)
	$(BIN)/python -m local.fleet soak --stations $(STATIONS) --duration $(SOAK) --window $(WINDOW) \
		--mix $(MIX) --meter-interval $(METER) $(ARGS)

# make chaos CHAOS_SECONDS=60 CHAOS_SEED=1 CHAOS_FAULTS=dynamodb=0.05,post=0.05,events=0.05,timeout=0.01
CHAOS_SECONDS ?= 60
CHAOS_SEED ?= 1
CHAOS_FAULTS ?= dynamodb=0.05,post=0.05,events=0.05,timeout=0.01
chaos: $(STAMP)  ## a short fleet run against a runtime injecting faults, then the checks of docs/faults.md
	$(BIN)/python -m local.fleet chaos --duration $(CHAOS_SECONDS) --seed $(CHAOS_SEED) --faults-seed $(CHAOS_SEED) \
		--faults $(CHAOS_FAULTS) $(ARGS)

# make cost [ARGS="--usage usage.json"] (or ARGS="--usage-out usage.json -- --stations 120")
cost: $(STAMP) $(NODE_STAMP)  ## dollars per charge point-month at list prices, from a short fleet run's counts
	$(BIN)/python -m local.cost $(ARGS)

lint: $(STAMP)  ## ruff (lint and format), mypy (strict on shared/ and functions/), the import layers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: lint $(NODE_STAMP)  ## lint, then every test (unit, integration, end to end, infra)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## per-message CPU time and DynamoDB operations against the budgets
	$(BIN)/python -m bench

synth: $(STAMP) $(NODE_STAMP)  ## the CloudFormation template and Lambda assets, into cdk.out/ (no AWS account needed)
	$(CDK) synth --quiet --no-notices $(CDK_ARGS)

deploy: $(STAMP) $(NODE_STAMP)  ## build and deploy the stack to the current AWS account (CDK_ARGS="-c key=value ...")
	$(CDK) deploy --no-notices $(CDK_ARGS)

destroy: $(STAMP) $(NODE_STAMP)  ## delete the stack (durable tables and the user pool are kept)
	$(CDK) destroy --no-notices $(CDK_ARGS)

console-bench: $(STAMP)  ## the console's fleet page in Chromium with 5,000 charge points (CONSOLE_STATIONS=...)
	$(BIN)/python -m local.tools.console_bench --stations $(or $(CONSOLE_STATIONS),5000)

screenshots: $(STAMP)  ## the README's pictures of the console, in Chromium against a runtime with history and a live fleet
	$(BIN)/python -m local.tools.screenshots $(ARGS)

readme: $(STAMP)  ## regenerate the README's table of implemented OCPP actions
	$(BIN)/python -m functions.ocpp_router README.md

access: $(STAMP)  ## regenerate docs/access.md, what each function may touch, from the use cases' declarations
	$(BIN)/python -m local.tools.access_table

clean:  ## remove .venv, node_modules and build output
	rm -rf $(VENV) node_modules cdk.out build .pytest_cache .ruff_cache
