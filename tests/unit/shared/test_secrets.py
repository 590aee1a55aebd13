"""A deployed function finds its secrets in SSM Parameter Store and Secrets Manager (moto)."""

import json
from collections.abc import Iterator

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import SecretsProvider, SSMProvider
from moto import mock_aws

from shared.kit.secrets import SecretNotFoundError, secret_overrides
from shared.kit.settings import Settings

REGION = "eu-central-1"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[SSMProvider, SecretsProvider]]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        yield (
            SSMProvider(boto3_client=boto3.client("ssm", region_name=REGION)),
            SecretsProvider(boto3_client=boto3.client("secretsmanager", region_name=REGION)),
        )


def put_parameter(name: str, value: str) -> None:
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name=name, Value=value, Type="SecureString"
    )


def create_secret(name: str, value: str) -> str:
    answer = boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=name, SecretString=value
    )
    return str(answer["ARN"])


def test_locally_nothing_is_fetched_and_settings_come_from_the_environment() -> None:
    assert secret_overrides({"ENVIRONMENT": "local", "TELEGRAM_BOT_TOKEN": "123:abc"}) == {}


def test_a_deployed_stack_reads_its_secrets_and_refuses_nothing(
    aws: tuple[SSMProvider, SecretsProvider],
) -> None:
    ssm, secrets = aws
    # Given the secrets the deploy guide tells the deployer to create
    put_parameter("/lunch/dev/telegram-bot-token", "7000000001:AAE-real-token")
    put_parameter("/lunch/dev/telegram-webhook-secret", "webhook-secret-1")
    put_parameter("/lunch/dev/jwt-secret", "jwt-secret-0123456789abcdef0123456789")
    put_parameter("/lunch/dev/gemini-api-keys", "key-one, key-two")
    database = create_secret(
        "lunch-db",
        json.dumps(
            {
                "username": "lunch",
                "password": "p@ss:w/rd",
                "host": "lunch.abc.eu-central-1.rds.amazonaws.com",
                "port": 5432,
                "dbname": "lunch",
            }
        ),
    )
    environ = {
        "ENVIRONMENT": "production",
        "TELEGRAM_BOT_TOKEN_PARAM": "/lunch/dev/telegram-bot-token",
        "TELEGRAM_WEBHOOK_SECRET_PARAM": "/lunch/dev/telegram-webhook-secret",
        "JWT_SECRET_PARAM": "/lunch/dev/jwt-secret",
        "GEMINI_API_KEYS_PARAM": "/lunch/dev/gemini-api-keys",
        "DATABASE_SECRET_ARN": database,
        "DATABASE_HOST": "lunch-dev.proxy-abc.eu-central-1.rds.amazonaws.com",
    }

    # When the function's settings are built at cold start
    settings = Settings(
        environment="production", **secret_overrides(environ, ssm=ssm, secrets=secrets)
    )

    # Then every secret is the stored one, and the database goes through the proxy over TLS
    assert settings.telegram_bot_token.get_secret_value() == "7000000001:AAE-real-token"
    assert settings.telegram_webhook_secret.get_secret_value() == "webhook-secret-1"
    assert settings.jwt_secret.get_secret_value() == "jwt-secret-0123456789abcdef0123456789"
    assert [key.get_secret_value() for key in settings.gemini_api_keys] == ["key-one", "key-two"]
    assert settings.database_url == (
        "postgresql+psycopg://lunch:p%40ss%3Aw%2Frd@"
        "lunch-dev.proxy-abc.eu-central-1.rds.amazonaws.com:5432/lunch?sslmode=require"
    )


def test_a_secret_in_secrets_manager_by_arn(aws: tuple[SSMProvider, SecretsProvider]) -> None:
    ssm, secrets = aws
    arn = create_secret("lunch-bot-token", "7000000002:AAF-token")

    values = secret_overrides({"TELEGRAM_BOT_TOKEN_SECRET_ARN": arn}, ssm=ssm, secrets=secrets)

    assert values == {"telegram_bot_token": "7000000002:AAF-token"}


def test_a_missing_parameter_stops_the_cold_start_with_its_name(
    aws: tuple[SSMProvider, SecretsProvider],
) -> None:
    ssm, secrets = aws
    with pytest.raises(SecretNotFoundError, match="/lunch/dev/jwt-secret"):
        secret_overrides({"JWT_SECRET_PARAM": "/lunch/dev/jwt-secret"}, ssm=ssm, secrets=secrets)


def test_the_database_connection_may_go_without_tls_where_the_server_has_none(
    aws: tuple[SSMProvider, SecretsProvider],
) -> None:
    # Given LocalStack's PostgreSQL container, which speaks no TLS
    ssm, secrets = aws
    secret = {"username": "lunch", "password": "pw", "host": "postgres", "dbname": "lunch"}
    arn = create_secret("lunch-local-db", json.dumps(secret))

    values = secret_overrides(
        {"DATABASE_SECRET_ARN": arn, "DATABASE_SSLMODE": "disable"}, ssm=ssm, secrets=secrets
    )

    assert values["database_url"].endswith("@postgres:5432/lunch?sslmode=disable")
    with pytest.raises(SecretNotFoundError, match="DATABASE_SSLMODE"):
        secret_overrides({"DATABASE_SECRET_ARN": arn, "DATABASE_SSLMODE": "off"}, secrets=secrets)


def test_self_managed_kafka_credentials_come_from_the_mappings_own_secret(
    aws: tuple[SSMProvider, SecretsProvider],
) -> None:
    ssm, secrets = aws
    arn = create_secret("lunch-kafka", json.dumps({"username": "lunch", "password": "scram-pw"}))

    values = secret_overrides({"KAFKA_SASL_SECRET_ARN": arn}, ssm=ssm, secrets=secrets)

    assert values == {"kafka_sasl_username": "lunch", "kafka_sasl_password": "scram-pw"}
