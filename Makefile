# Everything runs from .venv, created on first use from the pinned dependencies.
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench synth readme clean

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = 20

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[local,dev,cdk]"
	touch $(STAMP)

run: $(STAMP)  ## start the local runtime (WebSocket :9000, HTTP API :8000)
	$(BIN)/python -m local $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint  ## lint, then every test (unit, integration, end to end, infra)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## per-message CPU time and DynamoDB operations against the budgets
	$(BIN)/python -m bench

synth: $(STAMP)  ## synthesize the CloudFormation template offline into cdk.out/
	$(BIN)/python app.py

readme: $(STAMP)  ## regenerate the README's table of implemented OCPP actions
	$(BIN)/python -m functions.ocpp_router README.md

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .ruff_cache
