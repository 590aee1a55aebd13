# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3
UV := $(PYTHON) -m uv

.PHONY: help run test install lint typecheck pytest bench kafka clean miniapp miniapp-test miniapp-openapi \
	sam-cli sam-build lambda-runtime

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: ## Install Python dependencies (uv, locked) into .venv
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet

run: install ## Run the whole system locally on embedded defaults (http://127.0.0.1:8000)
	@$(UV) run --frozen python -m infra.local.runner

test: install lint typecheck kafka miniapp miniapp-test sam-build lambda-runtime pytest ## Lint, type-check and run every test (the built functions too) with coverage

lint: ## ruff, and cfn-lint on the SAM template and the infra stacks
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen ruff format --check .
	@$(UV) run --frozen cfn-lint template.yaml infra/*.yaml

typecheck: ## mypy (strict)
	@$(UV) run --frozen mypy .

kafka: ## Fetch the Kafka broker's jars from Maven Central (once, cached)
	@$(UV) run --frozen python -m infra.local.services fetch-kafka

pytest: ## The test suite with the coverage gate (>= 80%)
	@$(UV) run --frozen pytest --cov --cov-report=term

miniapp: ## Build the Mini App (miniapp/dist, served by the API at /)
	@# `npm install`, not `npm ci`: npm drops other platforms' optional packages (Tailwind's native
	@# binaries) from the lock it writes, and `npm ci` then refuses that lock. The versions still
	@# come from package-lock.json.
	@cd miniapp && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error && npm run --silent build

miniapp-test: ## Mini App: Vitest, the 200 KB gzipped JavaScript budget, the client up to date with the API
	@cd miniapp && npx vitest run
	@cd miniapp && npm run --silent budget
	@PYTHONPATH=. $(UV) run --frozen python miniapp/scripts/openapi.py --check

miniapp-openapi: ## Regenerate the Mini App's typed client from the API's OpenAPI
	@PYTHONPATH=. $(UV) run --frozen python miniapp/scripts/openapi.py
	@cd miniapp && npx openapi-typescript src/api/openapi.json -o src/api/schema.d.ts

bench: install kafka miniapp sam-build lambda-runtime ## Benchmarks: print the figures (not part of `make test`; the cold starts time the built functions)
	@$(UV) run --frozen python -m pytest tests/bench -p no:cacheprovider -s -q -o addopts=""

clean: ## Remove local state (databases, caches)
	rm -rf .local .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov

# --- sam build and the Lambda emulator -------------------------------------------------------
# `sam build` calls build-<LogicalId> targets from this Makefile (template.yaml, BuildMethod
# makefile); they live in infra/build.mk. `make test` builds the functions with SAM CLI and runs
# each built one under the Lambda Runtime Interface Emulator (tests/emulator). The tools are
# pinned here and cached in .cache: SAM CLI in a uv tool environment of its own (its
# dependencies never meet the project's), the emulator built with Go, awslambdaric on its own
# (it is what Lambda's /var/runtime holds).
SAM_CLI_VERSION := 1.170.0
RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
AWSLAMBDARIC_VERSION := 4.2.2
CACHE_DIR := $(or $(LUNCH_CACHE_DIR),$(CURDIR)/.cache)
SAM := $(CACHE_DIR)/sam-cli-$(SAM_CLI_VERSION)/bin/sam
RIE := $(CACHE_DIR)/rie-$(RIE_VERSION)/aws-lambda-rie
LAMBDA_RUNTIME := $(CACHE_DIR)/lambda-runtime-awslambdaric-$(AWSLAMBDARIC_VERSION)

sam-cli: install ## SAM CLI (pinned, in its own tool environment under .cache)
	@[ -x "$(SAM)" ] || UV_TOOL_DIR="$(CACHE_DIR)/uv-tools" UV_TOOL_BIN_DIR="$(dir $(SAM))" \
		$(UV) tool install --quiet --python 3.13 "aws-sam-cli==$(SAM_CLI_VERSION)"

sam-build: sam-cli ## sam validate --lint and sam build (both architectures' layers, built in source)
	@SAM_CLI_TELEMETRY=0 "$(SAM)" validate --lint
	@SAM_CLI_TELEMETRY=0 "$(SAM)" build

lambda-runtime: install ## The Lambda Runtime Interface Emulator (Go) and awslambdaric, cached
	@[ -x "$(RIE)" ] || GOBIN="$(dir $(RIE))" \
		go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)
	@[ -d "$(LAMBDA_RUNTIME)/awslambdaric" ] || $(UV) pip install --quiet --no-config \
		--target "$(LAMBDA_RUNTIME)" --python-version 3.13 --only-binary :all: \
		"awslambdaric==$(AWSLAMBDARIC_VERSION)"

include infra/build.mk
