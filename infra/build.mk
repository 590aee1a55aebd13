# sam build: one target per function (Metadata BuildMethod: makefile in template.yaml), run from
# the repository root with ARTIFACTS_DIR set by SAM. Each function gets functions/<name> and
# shared/ at the top of its artifact, so `functions.<name>.handler.handler` imports exactly as it
# does in the repository. shared/local (the local runner, dev sign-in helpers, embedded servers)
# is left out: it cannot be switched on in a deployed stack because it is not there.
# Third-party packages come from the layer, built from uv.lock for Lambda's platform.

LAYER_ARCH ?= arm64
LAYER_PLATFORM := $(if $(filter x86_64,$(LAYER_ARCH)),manylinux2014_x86_64,manylinux2014_aarch64)

define lambda-function
	rm -rf "$(ARTIFACTS_DIR)/functions" "$(ARTIFACTS_DIR)/shared"
	mkdir -p "$(ARTIFACTS_DIR)/functions"
	cp functions/__init__.py "$(ARTIFACTS_DIR)/functions/"
	cp -R functions/$(1) "$(ARTIFACTS_DIR)/functions/$(1)"
	cp -R shared "$(ARTIFACTS_DIR)/shared"
	rm -rf "$(ARTIFACTS_DIR)/shared/local"
	find "$(ARTIFACTS_DIR)" -name __pycache__ -prune -exec rm -rf {} +
endef

build-ApiFunction:
	$(call lambda-function,api)
	# The Mini App is served by the api function, from the same origin as the API.
	if [ ! -f miniapp/dist/index.html ]; then cd miniapp && npm ci && npm run build; fi
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

build-RemindersCheckFunction:
	$(call lambda-function,reminders_check)

build-RemindersConsumerFunction:
	$(call lambda-function,reminders_consumer)

build-MigrateFunction:
	$(call lambda-function,migrate)

build-DependenciesLayer:
	python3 -m uv export --no-dev --frozen --no-hashes --no-emit-project -o "$(ARTIFACTS_DIR)/requirements.txt"
	python3 -m pip install --quiet --disable-pip-version-check \
		--requirement "$(ARTIFACTS_DIR)/requirements.txt" \
		--target "$(ARTIFACTS_DIR)/python" \
		--platform $(LAYER_PLATFORM) --implementation cp --python-version 3.13 \
		--only-binary=:all:
	rm "$(ARTIFACTS_DIR)/requirements.txt"

.PHONY: build-ApiFunction build-TelegramWebhookFunction build-DeadlineCheckFunction \
	build-RecommendationsBatchFunction build-NotificationsConsumerFunction \
	build-RecommendationsConsumerFunction build-MigrateFunction build-DependenciesLayer \
	build-RemindersCheckFunction build-RemindersConsumerFunction
