"""One place for configuration: environment variables (and `.env` locally), read once."""

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.kit.secrets import secret_overrides

Environment = Literal["local", "test", "dev", "staging", "production"]

# Values that are fine on a laptop and must never reach a deployed stack.
PLACEHOLDER = "changethis"
LOCAL_ENVIRONMENTS: frozenset[str] = frozenset({"local", "test"})
# HS256 needs a key at least as long as its hash (RFC 7518 §3.2): 32 bytes.
MIN_JWT_SECRET_BYTES = 32
# Where a local run keeps the JWT key it generated, so tokens survive a restart.
LOCAL_JWT_SECRET_FILE = Path(".local") / "jwt_secret"


def local_jwt_secret(path: Path = LOCAL_JWT_SECRET_FILE) -> str:
    """The local run's random JWT key: read from `path`, or generated there (mode 0600) once."""
    if path.is_file():
        kept = path.read_text().strip()
        if len(kept.encode()) >= MIN_JWT_SECRET_BYTES:
            return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    generated = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(generated + "\n")
    return generated


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting of the system; see `.env.example` for what each one means."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Environment = "local"
    log_level: str = "INFO"

    # Stores
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/lunch"
    database_pool_size: int = 5
    # Every wait on a dependency is bounded, so a stalled store turns into a quick 503 rather
    # than a request that hangs until API Gateway gives up (30 s).
    database_connect_timeout_seconds: int = 3  # libpq's minimum is 2
    database_statement_timeout_ms: int = 4000
    database_pool_timeout_seconds: float = 2.0
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout_seconds: float = 2.0

    # Kafka
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    # "msk-iam": sign in to MSK with the function's IAM role (SASL OAUTHBEARER over TLS).
    # "scram-sha-512": self-managed Kafka with the username and password below (in AWS both come
    # from the secret KAFKA_SASL_SECRET_ARN names, the one the event source mappings use).
    kafka_auth: Literal["none", "msk-iam", "scram-sha-512"] = "none"
    kafka_sasl_username: str = ""
    kafka_sasl_password: SecretStr = SecretStr("")
    aws_region: str = "eu-central-1"
    kafka_topic_deadlines: str = "lunch-bot.deadlines"
    kafka_topic_recommendations: str = "lunch-bot.recommendations"
    kafka_topic_dead_letters: str = "lunch-bot.dead-letters"
    kafka_request_timeout_ms: int = 10_000
    kafka_topic_reminders: str = "lunch-bot.reminders"

    # Telegram
    telegram_bot_token: SecretStr = SecretStr(PLACEHOLDER)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: SecretStr = SecretStr(PLACEHOLDER)
    # The bot's @username without "@": deep links t.me/<bot>?start=... for cafes.
    telegram_bot_username: str = "lunch_office_bot"
    miniapp_url: str = "http://127.0.0.1:8000/"
    # Telegram's send limits, shared by every consumer through Redis.
    telegram_messages_per_second: int = 30
    telegram_messages_per_chat_per_second: int = 1
    telegram_messages_per_group_per_minute: int = 20
    notification_max_attempts: int = 5
    # First pause before a failed delivery is retried; doubles with each attempt (at most 60 s).
    notification_retry_backoff_seconds: float = 2.0

    # Schedules (EventBridge Scheduler expressions; the same strings are in template.yaml)
    deadline_check_schedule: str = "rate(1 minute)"
    recommendations_schedule: str = "cron(0 3 * * ? *)"
    reminders_check_schedule: str = "rate(1 minute)"

    # Gemini
    gemini_api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    gemini_max_requests_per_key: int = 195
    gemini_model: str = "gemini-2.5-flash"
    # Unset: Google's endpoint. Tests point it at a local fake.
    gemini_api_base_url: str | None = None
    gemini_timeout_seconds: float = 20.0
    # 5xx, timeouts, network errors and unusable answers: attempts per job, with exponential
    # backoff starting at gemini_backoff_seconds.
    gemini_max_attempts: int = 4
    gemini_backoff_seconds: float = 0.5
    # How long a key that answered 429 rests when Google's answer names no retry delay.
    gemini_rate_limit_cooldown_seconds: float = 60.0
    # Google's per-minute limit of each key's project (free tier: 10 requests a minute): the
    # pool books every request an instant and sends it only while the key's window (requests in
    # flight or answered less than a window ago) has a place. 0 turns the pacing off.
    gemini_key_rate_limit: int = 10
    gemini_key_rate_window_seconds: float = 60.0
    # Widens the spacing of booked instants by about a request's answer time.
    gemini_key_rate_margin_seconds: float = 0.05
    recommendations_min_orders: int = 5
    # POST /users/{tgid}/recommendations/generate: how many times a person may ask per day.
    recommendations_generate_per_day: int = 3
    recommendations_ttl_seconds: int = 24 * 60 * 60

    # API limits: an answer (503 dependency_unavailable at worst) within the budget; request
    # bodies up to the size; per-client requests per minute on sign-in and the public routes.
    api_request_budget_seconds: float = 4.5
    api_max_body_bytes: int = 2 * 1024 * 1024
    rate_limit_sign_in_per_minute: int = 20
    rate_limit_public_per_minute: int = 300

    # Auth
    # Local runs without one get a random key kept in .local/jwt_secret; deployed stages must
    # set at least 32 random bytes.
    jwt_secret: SecretStr = SecretStr(PLACEHOLDER)
    jwt_ttl_minutes: int = 12 * 60
    init_data_max_age_seconds: int = 60 * 60
    manager_tgids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    dev_login_enabled: bool = False

    # Ordering rules
    company_timezone: str = "Europe/Moscow"
    deadline_catchup_hours: int = 12

    @field_validator("manager_tgids", "gemini_api_keys", mode="before")
    @classmethod
    def _parse_csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("company_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone name
        return value

    @model_validator(mode="before")
    @classmethod
    def _local_jwt_secret(cls, data: object) -> object:
        # A local run signs with a random key of its own rather than a well-known placeholder.
        if not isinstance(data, dict) or data.get("environment", "local") != "local":
            return data
        given = data.get("jwt_secret")
        value = given.get_secret_value() if isinstance(given, SecretStr) else given
        if value in (None, "", PLACEHOLDER):
            return {**data, "jwt_secret": local_jwt_secret()}
        return data

    @model_validator(mode="after")
    def _scram_needs_credentials(self) -> Self:
        if self.kafka_auth != "scram-sha-512":
            return self
        if not (self.kafka_sasl_username and self.kafka_sasl_password.get_secret_value()):
            raise ValueError("KAFKA_AUTH=scram-sha-512 needs KAFKA_SASL_USERNAME and _PASSWORD")
        if not self.kafka_security_protocol.startswith("SASL_"):
            raise ValueError("KAFKA_AUTH=scram-sha-512 needs KAFKA_SECURITY_PROTOCOL SASL_SSL")
        return self

    @model_validator(mode="after")
    def _refuse_placeholders_when_deployed(self) -> Self:
        if self.environment in LOCAL_ENVIRONMENTS:
            return self
        for name in ("telegram_bot_token", "telegram_webhook_secret", "jwt_secret"):
            secret: SecretStr = getattr(self, name)
            if secret.get_secret_value() in ("", PLACEHOLDER):
                raise ValueError(
                    f"{name.upper()} must be set to a real secret in {self.environment}"
                )
        if len(self.jwt_secret.get_secret_value().encode()) < MIN_JWT_SECRET_BYTES:
            raise ValueError(
                f"JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} random bytes in "
                f"{self.environment} (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')"
            )
        if self.dev_login_enabled:
            raise ValueError("DEV_LOGIN_ENABLED is only allowed when ENVIRONMENT is local or test")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.company_timezone)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once.

    In AWS the environment names SSM parameters / Secrets Manager secrets for the secrets
    (`TELEGRAM_BOT_TOKEN_PARAM`, `DATABASE_SECRET_ARN`, ...): shared.kit.secrets reads them.
    """
    return Settings(**secret_overrides(os.environ))
