"""template.yaml says what the code does: handlers that import (their built artifacts run under
the Lambda emulator in tests/emulator), schedules and topics that are the settings' own,
consumers that report partial failures, and cfn-lint finds nothing in it or in the infra stacks."""

import importlib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file  # type: ignore[import-untyped]
from cfnlint.decode import decode  # type: ignore[import-untyped]

from shared.kit.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_PATH = ROOT / "template.yaml"
INFRA_TEMPLATES = sorted((ROOT / "infra").glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    template, problems = decode(str(path))
    assert not problems, problems
    assert isinstance(template, dict)
    return template


TEMPLATE = load(TEMPLATE_PATH)
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
FUNCTIONS = {
    name: resource["Properties"]
    for name, resource in RESOURCES.items()
    if resource["Type"] == "AWS::Serverless::Function"
}


def default_of(value: Any) -> Any:
    """A literal, or the default of the parameter a `Ref` names."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return TEMPLATE["Parameters"][value["Ref"]]["Default"]
    return value


def setting_default(name: str) -> Any:
    return Settings.model_fields[name].default


@pytest.mark.parametrize("path", [TEMPLATE_PATH, *INFRA_TEMPLATES], ids=lambda p: p.name)
def test_cfn_lint_finds_nothing(path: Path) -> None:
    matches = lint_file(path)
    assert [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in matches] == []


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_handler_imports_from_the_repository(name: str) -> None:
    module_name, _, attribute = FUNCTIONS[name]["Handler"].rpartition(".")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute))


def test_every_function_directory_is_deployed() -> None:
    deployed = {props["Handler"].split(".")[1] for props in FUNCTIONS.values()}
    written = {p.parent.name for p in (ROOT / "functions").glob("*/handler.py")}
    assert written <= deployed, f"functions without a template resource: {written - deployed}"


def test_the_http_api_routes_the_app_and_the_webhook() -> None:
    routes = {
        (event["Properties"]["Method"], event["Properties"]["Path"]): name
        for name, props in FUNCTIONS.items()
        for event in props.get("Events", {}).values()
        if event["Type"] == "HttpApi"
    }
    assert routes[("ANY", "/{proxy+}")] == "ApiFunction"
    assert routes[("POST", "/telegram/webhook")] == "TelegramWebhookFunction"


def schedule_of(function: str) -> dict[str, Any]:
    events = [e for e in FUNCTIONS[function]["Events"].values() if e["Type"] == "ScheduleV2"]
    assert len(events) == 1
    properties: dict[str, Any] = events[0]["Properties"]
    return properties


@pytest.mark.parametrize(
    ("function", "setting"),
    [
        ("DeadlineCheckFunction", "deadline_check_schedule"),
        ("RecommendationsBatchFunction", "recommendations_schedule"),
    ],
)
def test_schedules_are_the_settings_expressions_in_the_company_time_zone(
    function: str, setting: str
) -> None:
    schedule = schedule_of(function)
    assert default_of(schedule["ScheduleExpression"]) == setting_default(setting)
    assert default_of(schedule["ScheduleExpressionTimezone"]) == setting_default("company_timezone")
    environment = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert environment[setting.upper()] == schedule["ScheduleExpression"]


def test_the_schedules_fire_every_minute_and_at_three_in_the_morning() -> None:
    assert default_of(schedule_of("DeadlineCheckFunction")["ScheduleExpression"]) == (
        "rate(1 minute)"
    )
    assert default_of(schedule_of("RecommendationsBatchFunction")["ScheduleExpression"]) == (
        "cron(0 3 * * ? *)"
    )


MAPPINGS = {
    name: resource["Properties"]
    for name, resource in RESOURCES.items()
    if resource["Type"] == "AWS::Lambda::EventSourceMapping"
}


@pytest.mark.parametrize(
    ("function", "setting"),
    [
        ("NotificationsConsumerFunction", "kafka_topic_deadlines"),
        ("RecommendationsConsumerFunction", "kafka_topic_recommendations"),
    ],
)
def test_each_consumer_reads_its_settings_topic_on_msk_and_on_self_managed_kafka(
    function: str, setting: str
) -> None:
    # A SnapStart function's mappings invoke its alias (`!Ref Function.Alias`).
    invoked = ({"Ref": function}, {"Ref": f"{function}.Alias"})
    mappings = [m for m in MAPPINGS.values() if m["FunctionName"] in invoked]
    kinds = {"msk" if "EventSourceArn" in m else "self-managed" for m in mappings}
    assert kinds == {"msk", "self-managed"}
    for mapping in mappings:
        assert [default_of(topic) for topic in mapping["Topics"]] == [setting_default(setting)]
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["MaximumRetryAttempts"] > 0
        assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == {
            "Fn::GetAtt": ["KafkaFailures", "Arn"]
        }
    environment = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert environment[setting.upper()] == mappings[0]["Topics"][0]


def test_functions_find_their_secrets_in_parameter_store_and_secrets_manager() -> None:
    environment = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    secrets = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "JWT_SECRET", "GEMINI_API_KEYS")
    for secret in secrets:
        assert secret not in environment, f"{secret} must not be a plain environment variable"
        assert f"{secret}_PARAM" in environment
    assert "DATABASE_URL" not in environment
    assert "DATABASE_SECRET_ARN" in environment
    assert "DEV_LOGIN_ENABLED" not in environment


def test_migrations_run_on_every_deploy_before_the_functions_change() -> None:
    run = RESOURCES["MigrationRun"]
    assert run["Properties"]["CodeVersion"] == {"Ref": "MigrateFunction.Version"}
    for name, resource in RESOURCES.items():
        if resource["Type"] == "AWS::Serverless::Function" and name != "MigrateFunction":
            assert resource.get("DependsOn") == "MigrationRun", name


def test_the_outputs_give_the_urls_a_deployer_needs() -> None:
    assert {"ApiUrl", "MiniAppUrl", "WebhookUrl"} <= set(TEMPLATE["Outputs"])


def test_the_infra_outputs_feed_the_app_stack_parameters() -> None:
    foundation = load(ROOT / "infra" / "foundation.yaml")
    fed = set(foundation["Outputs"]) & set(TEMPLATE["Parameters"])
    assert {
        "PrivateSubnetIds",
        "FunctionSecurityGroupId",
        "DatabaseSecretArn",
        "DatabaseHost",
        "RedisUrl",
        "MskClusterArn",
        "KafkaBootstrapServers",
    } <= fed
