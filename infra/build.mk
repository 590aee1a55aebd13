# sam build: one target per function (Metadata BuildMethod: makefile in template.yaml), run from
# the repository root (samconfig.toml: build_in_source) with ARTIFACTS_DIR set by SAM. Each
# function gets functions/<name> and shared/ at the top of its artifact, so
# `functions.<name>.handler.handler` imports exactly as it does in the repository. The local
# runner (infra/local: dev sign-in helpers, embedded servers) is never copied: it cannot be
# switched on in a deployed stack because it is not there.
# Third-party packages come from the layers (infra/layer/Makefile).

include infra/layer/python.mk

define lambda-function
	rm -rf "$(ARTIFACTS_DIR)/functions" "$(ARTIFACTS_DIR)/shared"
	mkdir -p "$(ARTIFACTS_DIR)/functions"
	cp functions/__init__.py "$(ARTIFACTS_DIR)/functions/"
	cp -R functions/$(1) "$(ARTIFACTS_DIR)/functions/$(1)"
	cp -R shared "$(ARTIFACTS_DIR)/shared"
	$(call bytecode,$(ARTIFACTS_DIR)/functions)
	$(call bytecode,$(ARTIFACTS_DIR)/shared)
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

build-RemindersCheckFunction:
	$(call lambda-function,reminders_check)

build-RemindersConsumerFunction:
	$(call lambda-function,reminders_consumer)

build-MigrateFunction:
	$(call lambda-function,migrate)

.PHONY: build-ApiFunction build-TelegramWebhookFunction build-DeadlineCheckFunction \
	build-RecommendationsBatchFunction build-NotificationsConsumerFunction \
	build-RecommendationsConsumerFunction build-MigrateFunction \
	build-RemindersCheckFunction build-RemindersConsumerFunction
