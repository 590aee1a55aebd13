"""Secrets from SSM Parameter Store and Secrets Manager, read once per container.

A deployed function names where each secret lives instead of carrying it: for a setting such as
``telegram_bot_token`` the environment has ``TELEGRAM_BOT_TOKEN_PARAM`` (an SSM parameter,
SecureString decrypted) or ``TELEGRAM_BOT_TOKEN_SECRET_ARN`` (a Secrets Manager secret). The
database is one Secrets Manager secret in the shape RDS writes (``username``, ``password``,
``host``, ``port``, ``dbname``) named by ``DATABASE_SECRET_ARN``; ``DATABASE_HOST`` (the RDS
Proxy endpoint) replaces its host and ``DATABASE_SSLMODE`` (default ``require``) says whether
the connection must use TLS. Self-managed Kafka's SASL/SCRAM credentials are one secret in the
shape Lambda's event source mapping reads (``username``, ``password``) named by
``KAFKA_SASL_SECRET_ARN``. Reads go through Powertools Parameters, which caches them for
``POWERTOOLS_PARAMETERS_MAX_AGE`` seconds. Locally none of these variables is set and nothing
here touches AWS (boto3 is not even imported).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider, SSMProvider

# Settings fields that may live in SSM or Secrets Manager (their env names, upper-cased).
SECRET_FIELDS = (
    "telegram_bot_token",
    "telegram_webhook_secret",
    "jwt_secret",
    "gemini_api_keys",
    "database_url",
    "redis_url",
    "miniapp_url",
)
PARAM_SUFFIX = "_PARAM"
SECRET_ARN_SUFFIX = "_SECRET_ARN"
DATABASE_SECRET = "DATABASE_SECRET_ARN"
DATABASE_HOST = "DATABASE_HOST"
DATABASE_SSLMODE = "DATABASE_SSLMODE"
KAFKA_SASL_SECRET = "KAFKA_SASL_SECRET_ARN"
# libpq's modes that make sense for us: TLS required in AWS, none for a container on LocalStack.
SSLMODES = frozenset({"disable", "require", "verify-ca", "verify-full"})


class SecretNotFoundError(RuntimeError):
    """A secret the environment points at could not be read."""


def wants_aws_secrets(environ: Mapping[str, str]) -> bool:
    """True when the environment names at least one secret to fetch from AWS."""
    suffixes = (PARAM_SUFFIX, SECRET_ARN_SUFFIX)
    names = {field.upper() + suffix for field in SECRET_FIELDS for suffix in suffixes}
    return any(environ.get(name) for name in (*names, DATABASE_SECRET, KAFKA_SASL_SECRET))


def secret_overrides(
    environ: Mapping[str, str],
    *,
    ssm: SSMProvider | None = None,
    secrets: SecretsProvider | None = None,
) -> dict[str, Any]:
    """Settings values read from SSM / Secrets Manager as the environment asks; {} locally."""
    if not wants_aws_secrets(environ):
        return {}
    ssm = ssm or _default_ssm()
    secrets = secrets or _default_secrets()
    values: dict[str, Any] = {}
    for field in SECRET_FIELDS:
        env = field.upper()
        if parameter := environ.get(env + PARAM_SUFFIX):
            values[field] = _read_parameter(ssm, parameter)
        elif secret_id := environ.get(env + SECRET_ARN_SUFFIX):
            values[field] = _read_secret(secrets, secret_id)
    if secret_id := environ.get(DATABASE_SECRET):
        raw = _read_secret(secrets, secret_id)
        values["database_url"] = database_url_from_secret(
            json.loads(raw),
            host=environ.get(DATABASE_HOST) or None,
            sslmode=environ.get(DATABASE_SSLMODE) or "require",
        )
    if secret_id := environ.get(KAFKA_SASL_SECRET):
        credentials = json.loads(_read_secret(secrets, secret_id))
        try:
            values["kafka_sasl_username"] = str(credentials["username"])
            values["kafka_sasl_password"] = str(credentials["password"])
        except KeyError as missing:
            raise SecretNotFoundError(f"the Kafka secret has no {missing}") from None
    return values


def database_url_from_secret(
    secret: Mapping[str, Any], *, host: str | None = None, sslmode: str = "require"
) -> str:
    """A SQLAlchemy psycopg URL from an RDS-shaped secret; TLS required unless told otherwise."""
    if sslmode not in SSLMODES:
        raise SecretNotFoundError(f"{DATABASE_SSLMODE} must be one of {sorted(SSLMODES)}")
    try:
        user = quote(str(secret["username"]), safe="")
        password = quote(str(secret["password"]), safe="")
        server = host or str(secret["host"])
    except KeyError as missing:
        raise SecretNotFoundError(f"the database secret has no {missing}") from None
    port = int(secret.get("port", 5432))
    name = secret.get("dbname") or "lunch"
    return f"postgresql+psycopg://{user}:{password}@{server}:{port}/{name}?sslmode={sslmode}"


def _read_parameter(ssm: SSMProvider, name: str) -> str:
    from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

    try:
        value = ssm.get(name, decrypt=True)
    except GetParameterError as error:
        raise SecretNotFoundError(f"cannot read SSM parameter {name}: {error}") from error
    return _text(value)


def _read_secret(secrets: SecretsProvider, secret_id: str) -> str:
    from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

    try:
        value = secrets.get(secret_id)
    except GetParameterError as error:
        raise SecretNotFoundError(f"cannot read secret {secret_id}: {error}") from error
    return _text(value)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _default_ssm() -> SSMProvider:
    from aws_lambda_powertools.utilities.parameters import SSMProvider

    return SSMProvider()


def _default_secrets() -> SecretsProvider:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    return SecretsProvider()
