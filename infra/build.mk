# sam build: one target per function (Metadata BuildMethod: makefile in template.yaml), run from
# the repository root (samconfig.toml: build_in_source) with ARTIFACTS_DIR set by SAM. Each
# function gets functions/<name> and shared/ at the top of its artifact, so
# `functions.<name>.handler.handler` imports exactly as it does in the repository. shared/local
# (the local runner, dev sign-in helpers, embedded servers) is left out: it cannot be switched on
# in a deployed stack because it is not there.
# Third-party packages come from a layer built from uv.lock for Lambda's platform; there is one
# layer per architecture (template.yaml picks the one the Architecture parameter names), because
# SAM tells a makefile build nothing about the architecture it builds for.

# SAM CLI runs make with its own environment: its virtualenv's python has no uv. Use the uv on
# PATH, else the one `make install` put beside python3.
UV_BIN := $(shell command -v uv 2>/dev/null || echo python3 -m uv)

# Lambda's python3.13 runtime is Amazon Linux 2023 (glibc 2.34): manylinux_2_28 wheels and older
# run there. greenlet and psycopg-binary ship nothing older than manylinux_2_24/2_28.
LAYER_PYTHON := 3.13
layer-platform = $(if $(filter x86_64,$(1)),x86_64-manylinux_2_28,aarch64-manylinux_2_28)

define lambda-function
	rm -rf "$(ARTIFACTS_DIR)/functions" "$(ARTIFACTS_DIR)/shared"
	mkdir -p "$(ARTIFACTS_DIR)/functions"
	cp functions/__init__.py "$(ARTIFACTS_DIR)/functions/"
	cp -R functions/$(1) "$(ARTIFACTS_DIR)/functions/$(1)"
	cp -R shared "$(ARTIFACTS_DIR)/shared"
	rm -rf "$(ARTIFACTS_DIR)/shared/local"
	$(call bytecode,$(ARTIFACTS_DIR)/functions)
	$(call bytecode,$(ARTIFACTS_DIR)/shared)
endef

# uv export writes the locked versions with their hashes; uv installs exactly those wheels for
# the target platform (never sdists: nothing is compiled for the wrong machine).
define dependencies-layer
	rm -rf "$(ARTIFACTS_DIR)/python"
	$(UV_BIN) export --no-dev --frozen --no-emit-project --quiet -o "$(ARTIFACTS_DIR)/requirements.txt"
	$(UV_BIN) pip install --quiet --no-config \
		--requirement "$(ARTIFACTS_DIR)/requirements.txt" \
		--target "$(ARTIFACTS_DIR)/python" \
		--python-platform $(call layer-platform,$(1)) --python-version $(LAYER_PYTHON) \
		--only-binary :all:
	rm "$(ARTIFACTS_DIR)/requirements.txt"
	$(call bytecode,$(ARTIFACTS_DIR)/python)
endef

# Lambda's /opt and /var/task are read-only: without bytecode in the zip, every cold start
# compiles every module it imports again. Compiled by Python 3.13 (the runtime's bytecode
# format), checked by hash rather than by file times, which zipping does not keep exactly.
define bytecode
	find "$(1)" -name __pycache__ -prune -exec rm -rf {} +
	$(UV_BIN) run --no-project --no-config --python $(LAYER_PYTHON) -- \
		python -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(1)" >/dev/null
endef

build-ApiFunction:
	$(call lambda-function,api)
	# The Mini App is served by the api function, from the same origin as the API. Built every
	# time (the Makefile's own target), so a deploy never ships an older Mini App than the API.
	$(MAKE) --no-print-directory miniapp
	mkdir -p "$(ARTIFACTS_DIR)/miniapp"
	cp -R miniapp/dist "$(ARTIFACTS_DIR)/miniapp/dist"

build-TelegramWebhookFunction:
	$(call lambda-function,telegram_webhook)

build-DeadlineCheckFunction:
	$(call lambda-function,deadline_check)

build-RecommendationsBatchFunction:
	$(call lambda-function,recommendations_batch)

build-NotificationsConsumerFunction:
	$(call lambda-function,notifications_consumer)

build-RecommendationsConsumerFunction:
	$(call lambda-function,recommendations_consumer)

build-MigrateFunction:
	$(call lambda-function,migrate)

build-DependenciesLayerArm64:
	$(call dependencies-layer,arm64)

build-DependenciesLayerX86:
	$(call dependencies-layer,x86_64)

.PHONY: build-ApiFunction build-TelegramWebhookFunction build-DeadlineCheckFunction \
	build-RecommendationsBatchFunction build-NotificationsConsumerFunction \
	build-RecommendationsConsumerFunction build-MigrateFunction \
	build-DependenciesLayerArm64 build-DependenciesLayerX86
