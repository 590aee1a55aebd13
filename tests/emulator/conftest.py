"""Fixtures of the emulator tier: `sam build`'s output, the emulator, the runtime interface client,
AWS (SSM and Secrets Manager) played by a moto server, and a stage's parameters.

`make test` builds what this tier needs first (`make sam-build lambda-runtime`); a missing piece
fails the tests with the command that makes it, never skips them.
"""

import json
import os
import platform
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg
import pytest
from moto.server import ThreadedMotoServer

from infra.local.fakes.telegram import FakeTelegram
from tests.emulator.emulator import ROOT, Emulator, Stack, free_port, load_template

REGION = "eu-central-1"
CACHE = Path(os.environ.get("LUNCH_CACHE_DIR") or ROOT / ".cache")
# Fake credentials: the functions sign their requests to the moto server as they would to AWS.
AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
}


def _one(pattern: str, what: str, make_target: str) -> Path:
    found = sorted(CACHE.glob(pattern))
    if not found:
        pytest.fail(f"{what} is missing ({CACHE / pattern}): run `make {make_target}`")
    return found[-1]


@pytest.fixture(scope="session")
def sam_build_dir() -> Path:
    """`sam build`'s output (.aws-sam/build, or $LUNCH_SAM_BUILD_DIR)."""
    path = Path(os.environ.get("LUNCH_SAM_BUILD_DIR") or ROOT / ".aws-sam" / "build")
    if not (path / "template.yaml").is_file():
        pytest.fail(f"no sam build output in {path}: run `make sam-build`")
    return path


@pytest.fixture(scope="session")
def layer_dir(sam_build_dir: Path) -> Path:
    """The dependencies layer built for this machine's architecture."""
    name = (
        "DependenciesLayerArm64"
        if platform.machine() in ("aarch64", "arm64")
        else "DependenciesLayerX86"
    )
    path = sam_build_dir / name
    assert (path / "python").is_dir(), f"{name} was not built: run `make sam-build`"
    return path


@pytest.fixture(scope="session")
def rie() -> Path:
    return _one("rie-*/aws-lambda-rie", "the Lambda Runtime Interface Emulator", "lambda-runtime")


@pytest.fixture(scope="session")
def runtime_dir() -> Path:
    """awslambdaric installed on its own, as /var/runtime holds it in Lambda."""
    return _one("lambda-runtime-*", "the runtime interface client (awslambdaric)", "lambda-runtime")


@pytest.fixture(scope="session")
def stack_template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """SSM and Secrets Manager as the functions reach them in AWS (a moto server)."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class AwsStage:
    """A stage's secrets in SSM / Secrets Manager and the template parameters that point at them."""

    endpoint: str
    stack_name: str
    parameters: dict[str, str]

    def client(self, service: str) -> object:
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=AWS_ENVIRONMENT["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=AWS_ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
        )

    def put_parameter(self, name: str, value: str) -> None:
        ssm = self.client("ssm")
        ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)  # type: ignore[attr-defined]

    def create_miniapp_url_parameter(self) -> None:
        """What the stack's MiniAppUrlParameter writes once the HTTP API exists."""
        url = "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/"
        self.put_parameter(f"/lunch/{self.stack_name}/miniapp-url", url)

    def create_database_secret(self, database_url: str) -> str:
        """An RDS-shaped secret for `database_url`; returns its ARN."""
        parts = urlsplit(database_url)
        secret = {
            "engine": "postgres",
            "username": parts.username or "postgres",
            "password": parts.password or "unused-password",
            "host": parts.hostname,
            "port": parts.port or 5432,
            "dbname": parts.path.lstrip("/"),
        }
        manager = self.client("secretsmanager")
        answer = manager.create_secret(  # type: ignore[attr-defined]
            Name=f"{self.stack_name}-db-{uuid.uuid4().hex[:6]}", SecretString=json.dumps(secret)
        )
        return str(answer["ARN"])


@pytest.fixture
def aws_stage(moto_endpoint: str) -> AwsStage:
    """A dev stage of its own: secrets under /lunch/<stack>/..., as the deployer creates them."""
    stack = f"lunch-t{uuid.uuid4().hex[:8]}"
    prefix = f"/lunch/{stack}"
    return AwsStage(
        endpoint=moto_endpoint,
        stack_name=stack,
        parameters={
            "Stage": "dev",
            "TelegramBotTokenParameter": f"{prefix}/telegram-bot-token",
            "TelegramWebhookSecretParameter": f"{prefix}/telegram-webhook-secret",
            "JwtSecretParameter": f"{prefix}/jwt-secret",
            "GeminiApiKeysParameter": f"{prefix}/gemini-api-keys",
            # The harness's servers speak neither TLS nor IAM: self-managed Kafka, PLAINTEXT.
            "KafkaMode": "self-managed",
            "KafkaSecurityProtocol": "PLAINTEXT",
            "MskClusterArn": "none",
            "DatabaseSslMode": "disable",
            "DatabaseHost": "127.0.0.1",
            # Nothing listens here: a test that needs Redis or Kafka names the harness's servers.
            "RedisUrl": "redis://127.0.0.1:1/0",
            "KafkaBootstrapServers": "127.0.0.1:1",
            "DeadlinesTopic": f"{stack}.deadlines",
            "RecommendationsTopic": f"{stack}.recommendations",
            "DeadLettersTopic": f"{stack}.dead-letters",
            "RemindersTopic": f"{stack}.reminders",
            "PrivateSubnetIds": "subnet-0a,subnet-0b",
            "FunctionSecurityGroupId": "sg-0a",
        },
    )


@pytest.fixture
def empty_database(postgres_url: str) -> Iterator[str]:
    """A database of its own with no schema yet, as RDS hands it over on a first deploy."""
    name = f"lambda_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(urlsplit(postgres_url)._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


StartFunction = Callable[..., Emulator]


@pytest.fixture
def start_function(
    sam_build_dir: Path,
    layer_dir: Path,
    rie: Path,
    runtime_dir: Path,
    stack_template: dict[str, Any],
    aws_stage: AwsStage,
) -> Iterator[StartFunction]:
    """Start a built function under the emulator with the template's environment for the stage.

    `extra` adds what no template can know here: the fakes' URLs standing in for Telegram and
    Gemini, whose real addresses the code has as defaults.
    """
    started: list[Emulator] = []

    def start(function: str, extra: dict[str, str] | None = None) -> Emulator:
        stack = Stack(stack_template, aws_stage.parameters, name=aws_stage.stack_name)
        environment = (
            stack.environment(function)
            | AWS_ENVIRONMENT
            | {"AWS_ENDPOINT_URL": aws_stage.endpoint}
            | (extra or {})
        )
        emulator = Emulator(
            rie=rie,
            artifact=sam_build_dir / function,
            layer=layer_dir,
            runtime=runtime_dir,
            handler=stack.handler(function),
            environment=environment,
            name=function,
            timeout=stack.timeout(function),
        )
        started.append(emulator)
        emulator.start()
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


JWT_SECRET = "emulator-jwt-secret-0123456789abcdef"
WEBHOOK_SECRET = "emulator-webhook-secret"


def deploy_secrets(stage: AwsStage, telegram: FakeTelegram, database_url: str) -> None:
    """What the deployer creates before the first deploy (docs/deployment.md, step 3)."""
    stage.put_parameter(stage.parameters["TelegramBotTokenParameter"], telegram.token)
    stage.put_parameter(stage.parameters["TelegramWebhookSecretParameter"], WEBHOOK_SECRET)
    stage.put_parameter(stage.parameters["JwtSecretParameter"], JWT_SECRET)
    stage.put_parameter(stage.parameters["GeminiApiKeysParameter"], "gemini-key-one")
    stage.parameters["DatabaseSecretArn"] = stage.create_database_secret(database_url)
