"""The template as CloudFormation receives it (translated by aws-sam-translator, offline) can be
deployed and keeps working: each test names a defect a first deploy or a quiet night once met."""

import json
import re
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode  # type: ignore[import-untyped]
from samtranslator.translator.transform import transform  # type: ignore[import-untyped]

from shared.kit.kafka import connection_options
from shared.kit.settings import Settings
from tests.emulator.emulator import Stack

ROOT = Path(__file__).resolve().parents[3]
SOURCE: dict[str, Any] = decode(str(ROOT / "template.yaml"))[0]

# Values for the parameters without a default, as a deployer gives them (samconfig.toml).
REQUIRED = {
    "Stage": "dev",
    "PrivateSubnetIds": "subnet-0a,subnet-0b",
    "FunctionSecurityGroupId": "sg-0a",
    "DatabaseSecretArn": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:lunch-db-AbCdEf",
    "DatabaseHost": "lunch.proxy-abc.eu-central-1.rds.amazonaws.com",
    "RedisUrl": "rediss://lunch.abc.cache.amazonaws.com:6379/0",
    "MskClusterArn": "arn:aws:kafka:eu-central-1:123456789012:cluster/lunch/abc-1",
    "KafkaBootstrapServers": "boot-abc.c1.kafka-serverless.eu-central-1.amazonaws.com:9098",
}
SCRAM_SECRET = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:AmazonMSK_lunch-Kx9"

# What the AWS managed policies SAM attaches allow (their documented actions, the parts we need).
AWS_MANAGED = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": {
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    },
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole": {
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    },
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess": {"xray:PutTraceSegments"},
}
# AWSLambdaMSKExecutionRole: what Lambda checks before it creates an MSK event source mapping,
# and what the IAM-authenticated poller then does with the function's role.
MSK_MAPPING_NEEDS = {
    "kafka:DescribeCluster",
    "kafka:DescribeClusterV2",
    "kafka:GetBootstrapBrokers",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "kafka-cluster:Connect",
    "kafka-cluster:DescribeGroup",
    "kafka-cluster:AlterGroup",
    "kafka-cluster:DescribeTopic",
    "kafka-cluster:ReadData",
    "kafka-cluster:DescribeClusterDynamicConfiguration",
}


class _NoManagedPolicies:
    """The translator's policy-name lookup: our policies are ARNs or references already."""

    def load(self) -> dict[str, str]:
        return {}


def translated(**parameters: str) -> Stack:
    """The CloudFormation template `sam deploy` sends, with these parameter values."""
    source = json.loads(json.dumps(SOURCE))
    # `sam package` replaces the local code locations with S3 objects.
    source["Globals"]["Function"]["CodeUri"] = "s3://lunch-artifacts/code.zip"
    for resource in source["Resources"].values():
        if resource["Type"] == "AWS::Serverless::LayerVersion":
            resource["Properties"]["ContentUri"] = "s3://lunch-artifacts/layer.zip"
    template = transform(source, {}, _NoManagedPolicies(), passthrough_metadata=True)
    return Stack(template, REQUIRED | parameters)


@pytest.fixture(autouse=True)
def _region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")


def resources(stack: Stack) -> dict[str, Any]:
    """The resources CloudFormation creates for the stack's parameter values."""
    return {
        name: resource
        for name, resource in stack.template["Resources"].items()
        if "Condition" not in resource or stack.condition(resource["Condition"])
    }


def references(node: Any) -> Iterator[str]:
    """Every logical id `node` refers to (Ref, Fn::GetAtt, ${...} in Fn::Sub)."""
    if isinstance(node, list):
        for item in node:
            yield from references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::GetAtt":
                yield value[0] if isinstance(value, list) else value.split(".")[0]
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                yield from (m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text))
                if isinstance(value, list):
                    yield from references(value[1])
            else:
                yield from references(value)


def created_before(stack: Stack, name: str) -> set[str]:
    """The resources CloudFormation must finish before it starts `name`."""
    template = stack.template["Resources"]
    seen: set[str] = set()
    todo = [name]
    while todo:
        resource = template[todo.pop()]
        depends = resource.get("DependsOn", [])
        direct = {*references(resource), *([depends] if isinstance(depends, str) else depends)}
        for dependency in direct & set(template) - seen:
            seen.add(dependency)
            todo.append(dependency)
    return seen


def role_actions(stack: Stack, function: str) -> list[tuple[str, Any]]:
    """(action, resource) for every statement the function's role allows."""
    live = resources(stack)
    role_name = stack.template["Resources"][function]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = stack.value(live[role_name]["Properties"])
    documents = [policy["PolicyDocument"] for policy in role.get("Policies", [])]
    allowed: list[tuple[str, Any]] = []
    for arn in role.get("ManagedPolicyArns", []):
        if isinstance(arn, dict):
            assert arn["Ref"] in live, f"{function} uses {arn['Ref']}, which is not created"
            documents.append(stack.value(live[arn["Ref"]]["Properties"]["PolicyDocument"]))
        else:
            allowed += [(action, "*") for action in AWS_MANAGED[arn]]
    for document in documents:
        for statement in document["Statement"]:
            assert statement["Effect"] == "Allow"
            actions = statement["Action"]
            targets = statement["Resource"]
            for action in [actions] if isinstance(actions, str) else actions:
                for target in targets if isinstance(targets, list) else [targets]:
                    allowed.append((action, target))
    return allowed


def actions(stack: Stack, function: str) -> set[str]:
    return {action for action, _ in role_actions(stack, function)}


def test_nothing_the_migration_reads_is_created_after_it() -> None:
    # Given the stack of a first deploy, the migration runs once MigrationRun's inputs exist
    stack = translated()
    before = created_before(stack, "MigrationRun")
    parameters_in_stack = {
        json.dumps(resource["Properties"]["Name"], sort_keys=True): name
        for name, resource in stack.template["Resources"].items()
        if resource["Type"] == "AWS::SSM::Parameter"
    }

    # Then every SSM parameter the migrate function reads that the stack itself writes is
    # finished before the migration (else: ParameterNotFound, no answer, a 900 s wait)
    variables = stack.template["Resources"]["MigrateFunction"]["Properties"]["Environment"]
    for variable, value in variables["Variables"].items():
        written_by = parameters_in_stack.get(json.dumps(value, sort_keys=True))
        if variable.endswith("_PARAM") and written_by:
            assert written_by in before, f"{variable} names {written_by}, created after"
    assert "MiniAppUrlParameter" not in before


def test_the_msk_mappings_roles_hold_what_lambda_requires_of_them() -> None:
    stack = translated(KafkaMode="msk")
    mappings = [
        resource["Properties"]
        for resource in resources(stack).values()
        if resource["Type"] == "AWS::Lambda::EventSourceMapping"
    ]
    assert len(mappings) == 3  # deadlines, recommendations, reminders
    for mapping in mappings:
        assert "EventSourceArn" in mapping
        function = mapped_function(stack, mapping)
        missing = MSK_MAPPING_NEEDS - actions(stack, function)
        assert not missing, f"{function}'s role lacks {sorted(missing)}"


def test_self_managed_kafka_mappings_in_the_vpc_may_see_the_network() -> None:
    stack = translated(KafkaMode="self-managed")
    for resource in resources(stack).values():
        if resource["Type"] == "AWS::Lambda::EventSourceMapping":
            function = mapped_function(stack, resource["Properties"])
            needed = {a for a in MSK_MAPPING_NEEDS if a.startswith("ec2:")}
            assert needed <= actions(stack, function), function


def mapped_function(stack: Stack, mapping: dict[str, Any]) -> str:
    """The function a mapping invokes, through its alias when it names one."""
    name: str = mapping["FunctionName"]["Ref"]
    target = stack.template["Resources"][name]
    if target["Type"] == "AWS::Lambda::Alias":
        name = target["Properties"]["FunctionName"]["Ref"]
    return name


def producers_in_code() -> set[str]:
    """Functions whose handler makes a Kafka producer (their template names)."""
    names = {
        "deadline_check": "DeadlineCheckFunction",
        "recommendations_batch": "RecommendationsBatchFunction",
        "notifications_consumer": "NotificationsConsumerFunction",
        "reminders_check": "RemindersCheckFunction",
    }
    found = {
        path.parent.name
        for path in (ROOT / "functions").glob("*/handler.py")
        if "EventProducer(" in path.read_text()
    }
    assert found <= set(names), f"a new producer: name its topic below ({found - set(names)})"
    return {names[name] for name in found}


# The topic each producing function writes (settings: kafka_topic_*).
PRODUCES = {
    "DeadlineCheckFunction": "DeadlinesTopic",
    "RecommendationsBatchFunction": "RecommendationsTopic",
    "NotificationsConsumerFunction": "DeadLettersTopic",  # unreadable records, given-up sends
    "RemindersCheckFunction": "RemindersTopic",
}


def test_every_topic_a_function_produces_to_is_writable_by_its_role() -> None:
    stack = translated(KafkaMode="msk")
    assert producers_in_code() == set(PRODUCES)
    for function, topic_parameter in PRODUCES.items():
        topic = str(SOURCE["Parameters"][topic_parameter]["Default"])
        allowed = role_actions(stack, function)
        writable = [
            target
            for action, target in allowed
            if action == "kafka-cluster:WriteData" and f"/{topic}" in json.dumps(target)
        ]
        assert writable, f"{function} may not write to {topic}"
        assert "kafka-cluster:Connect" in {action for action, _ in allowed}, function


def test_the_api_may_connect_to_msk_for_its_kafka_health_check() -> None:
    stack = translated(KafkaMode="msk")
    assert {"kafka-cluster:Connect", "kafka-cluster:DescribeCluster"} <= actions(
        stack, "ApiFunction"
    )


def test_self_managed_kafka_signs_in_with_scram_from_the_mappings_secret() -> None:
    # Given self-managed Kafka over SASL_SSL (the default) with a SCRAM secret
    stack = translated(KafkaMode="self-managed", SelfManagedKafkaSecretArn=SCRAM_SECRET)

    # Then the mappings use that secret, and every role that touches Kafka may read it
    for resource in resources(stack).values():
        if resource["Type"] == "AWS::Lambda::EventSourceMapping":
            access = stack.value(resource["Properties"]["SourceAccessConfigurations"])
            assert {"Type": "SASL_SCRAM_512_AUTH", "URI": SCRAM_SECRET} in access
    kafka_users = {
        "ApiFunction",
        "DeadlineCheckFunction",
        "RecommendationsBatchFunction",
        "NotificationsConsumerFunction",
        "RecommendationsConsumerFunction",
    }
    for function in kafka_users:
        readable = [
            target
            for action, target in role_actions(stack, function)
            if action == "secretsmanager:GetSecretValue"
        ]
        assert SCRAM_SECRET in readable, function

    # And our clients, given the environment the template sets, sign in with SCRAM-SHA-512
    environment = stack.environment("DeadlineCheckFunction")
    assert environment["KAFKA_SASL_SECRET_ARN"] == SCRAM_SECRET
    settings = Settings(
        _env_file=None,
        kafka_bootstrap_servers=environment["KAFKA_BOOTSTRAP_SERVERS"],
        kafka_security_protocol=environment["KAFKA_SECURITY_PROTOCOL"],
        kafka_auth=environment["KAFKA_AUTH"],
        kafka_sasl_username="lunch",
        kafka_sasl_password="scram-password",
    )
    options = connection_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "lunch"


@pytest.mark.parametrize(("architecture", "platform"), [("arm64", "aarch64"), ("x86_64", "x86_64")])
def test_the_layer_follows_the_architecture_parameter(architecture: str, platform: str) -> None:
    # Given a deploy for one architecture
    stack = translated(Architecture=architecture)
    live = resources(stack)

    # Then every function runs there with the one layer built for it
    layers = {
        name: resource
        for name, resource in live.items()
        if resource["Type"] == "AWS::Lambda::LayerVersion"
    }
    assert len(layers) == 1
    (layer_id, layer), *_ = layers.items()
    assert stack.value(layer["Properties"]["CompatibleArchitectures"]) == [architecture]
    for name, resource in live.items():
        if resource["Type"] == "AWS::Lambda::Function":
            properties = stack.value(resource["Properties"])
            assert properties["Architectures"] == [architecture], name
            assert properties["Layers"] == [{"Ref": layer_id}], name

    # And `sam build` installs that layer's wheels for that platform (manylinux_2_28: Lambda's
    # glibc is 2.34, and greenlet/psycopg-binary ship nothing older than 2_24/2_28)
    assert layer["Metadata"]["BuildArchitecture"] == architecture
    target = f"build-{layer['Properties']['LayerName']}"
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", target, "ARTIFACTS_DIR=/nonexistent"],
        cwd=ROOT / SOURCE["Resources"][target.removeprefix("build-")]["Properties"]["ContentUri"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"--python-platform {platform}-manylinux_2_28" in dry_run.stdout


def test_scheduled_functions_retry_failed_runs_only_as_decided() -> None:
    # The Scheduler invokes asynchronously: without an EventInvokeConfig Lambda itself would run
    # a failed invocation twice more, on top of the schedule's own retry policy.
    stack = translated()
    live = resources(stack)
    scheduled = {
        resource["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0]
        for resource in live.values()
        if resource["Type"] == "AWS::Scheduler::Schedule"
    }
    decided = {
        resource["Properties"]["FunctionName"]["Ref"]: resource["Properties"]
        for resource in live.values()
        if resource["Type"] == "AWS::Lambda::EventInvokeConfig"
    }
    assert scheduled == {
        "DeadlineCheckFunction",
        "RecommendationsBatchFunction",
        "RemindersCheckFunction",
    }
    for function in scheduled:
        assert "MaximumRetryAttempts" in decided.get(function, {}), function
    # The deadline check catches up on the next minute's run: a retry would only pile up.
    assert decided["DeadlineCheckFunction"]["MaximumRetryAttempts"] == 0
    assert decided["RemindersCheckFunction"]["MaximumRetryAttempts"] == 0


def alarm_value(expression: str, datapoints: dict[str, float | None]) -> float | None:
    """CloudWatch metric math for sums of ids and FILL(id, 0): a missing point stays missing."""
    total: float | None = 0.0
    for term in expression.replace(" ", "").split("+"):
        if filled := re.fullmatch(r"FILL\((\w+),0\)", term):
            value = datapoints.get(filled[1])
            value = 0.0 if value is None else value
        else:
            value = datapoints.get(term)
        total = None if total is None or value is None else total + value
    return total


def test_the_error_alarm_fires_when_one_function_fails_while_the_others_are_quiet() -> None:
    stack = translated()
    alarm = resources(stack)["FunctionErrorsAlarm"]["Properties"]
    metrics = {metric["Id"]: metric for metric in alarm["Metrics"]}
    (total,) = [metric for metric in alarm["Metrics"] if "Expression" in metric]
    watched = {
        metric["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Ref"]: metric_id
        for metric_id, metric in metrics.items()
        if "MetricStat" in metric
    }
    functions = {
        name
        for name, resource in SOURCE["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert set(watched) == functions

    # A quiet period: no invocations, so no data points at all; then one function fails
    for failing, metric_id in watched.items():
        datapoints: dict[str, float | None] = dict.fromkeys(metrics, None)
        datapoints[metric_id] = 1.0
        value = alarm_value(total["Expression"], datapoints)
        assert value is not None, f"{failing}'s errors vanish when the others were not invoked"
        assert value > alarm["Threshold"]
    assert all("TreatMissingData" in r["Properties"] for r in alarms(stack))


def alarms(stack: Stack) -> list[dict[str, Any]]:
    return [r for r in resources(stack).values() if r["Type"] == "AWS::CloudWatch::Alarm"]


def test_database_tls_is_required_unless_the_stage_says_otherwise() -> None:
    required = translated().environment("MigrateFunction")
    localstack = translated(DatabaseSslMode="disable").environment("MigrateFunction")
    assert required["DATABASE_SSLMODE"] == "require"
    assert localstack["DATABASE_SSLMODE"] == "disable"
    assert "DatabaseSslMode=disable" in (ROOT / "localstack" / "deploy.sh").read_text()


def test_each_stage_in_samconfig_deploys_as_itself_with_every_required_parameter() -> None:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    without_default = {
        name for name, parameter in SOURCE["Parameters"].items() if "Default" not in parameter
    }
    assert "Stage" in without_default  # forgetting the stage fails instead of deploying dev
    for environment, stage in (
        ("default", "dev"),
        ("staging", "staging"),
        ("production", "production"),
    ):
        overrides = config[environment]["deploy"]["parameters"]["parameter_overrides"]
        given = dict(item.split("=", 1) for item in overrides)
        assert given["Stage"] == stage, environment
        assert without_default <= set(given), f"{environment} lacks {without_default - set(given)}"
        assert config[environment]["build"]["parameters"]["build_in_source"] is True


def test_the_migrate_function_builds_its_settings_without_the_mini_app_url() -> None:
    # The deployed environment of the migrate function names no parameter the stack writes later
    environment = translated().environment("MigrateFunction")
    assert not environment.get("MINIAPP_URL_PARAM")
    names = {key for key in environment if key.endswith("_PARAM") and environment[key]}
    assert names == {
        "TELEGRAM_BOT_TOKEN_PARAM",
        "TELEGRAM_WEBHOOK_SECRET_PARAM",
        "JWT_SECRET_PARAM",
        "GEMINI_API_KEYS_PARAM",
    }


# Functions where a cold start is waited on: a person (the API, the bot's webhook, reminders)
# or the cafes after a deadline, when the notifications consumer scales out.
SNAPSTART = {
    "ApiFunction",
    "TelegramWebhookFunction",
    "NotificationsConsumerFunction",
    "RemindersConsumerFunction",
}
INVOKERS = {
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Scheduler::Schedule",
    "AWS::ApiGatewayV2::Api",
    "AWS::CloudFormation::CustomResource",
}


@pytest.mark.parametrize("kafka_mode", ["msk", "self-managed"])
def test_snapstart_functions_are_invoked_only_through_their_published_alias(
    kafka_mode: str,
) -> None:
    # SnapStart snapshots published versions only: a trigger calling the unqualified function
    # would run $LATEST and cold-start it in full, every time.
    stack = translated(KafkaMode=kafka_mode)
    live = resources(stack)
    snapstarted = {
        name
        for name, resource in live.items()
        if resource["Type"] == "AWS::Lambda::Function"
        and resource["Properties"].get("SnapStart") == {"ApplyOn": "PublishedVersions"}
    }
    assert snapstarted == SNAPSTART
    aliases = {
        resource["Properties"]["FunctionName"]["Ref"]: name
        for name, resource in live.items()
        if resource["Type"] == "AWS::Lambda::Alias"
    }
    invokers = {name: r for name, r in live.items() if r["Type"] in INVOKERS}
    for function in SNAPSTART:
        # Python 3.12 and later runtimes support SnapStart.
        runtime = live[function]["Properties"]["Runtime"]
        assert tuple(map(int, runtime.removeprefix("python").split("."))) >= (3, 12)
        alias = aliases[function]
        callers = {name for name, r in invokers.items() if alias in set(references(r))}
        unqualified = {name for name, r in invokers.items() if function in set(references(r))}
        assert callers, f"nothing invokes {function}'s alias"
        assert not unqualified, f"{sorted(unqualified)} invoke {function} unpublished"


def test_every_snapstart_function_releases_its_connections_before_the_snapshot() -> None:
    handlers = {
        name: resource["Properties"]["Handler"]
        for name, resource in SOURCE["Resources"].items()
        if name in SNAPSTART
    }
    for name, handler in handlers.items():
        path = ROOT / Path(*handler.split(".")[:-1]).with_suffix(".py")
        source = path.read_text()
        assert "snapstart.release_before_snapshot(" in source, name
        assert "hooks=snapstart.HOOKS)" in source, f"{name}'s handler registers no hooks"
