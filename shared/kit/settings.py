"""One place for configuration: environment variables (and `.env` locally), read once."""

import os
from functools import lru_cache
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.kit.secrets import secret_overrides

Environment = Literal["local", "test", "dev", "staging", "production"]

# Values that are fine on a laptop and must never reach a deployed stack.
PLACEHOLDER = "changethis"
LOCAL_ENVIRONMENTS: frozenset[str] = frozenset({"local", "test"})


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
    redis_url: str = "redis://127.0.0.1:6379/0"

    # Kafka
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_SSL"] = "PLAINTEXT"
    # "msk-iam": sign in to MSK with the function's IAM role (SASL OAUTHBEARER over TLS).
    kafka_auth: Literal["none", "msk-iam"] = "none"
    aws_region: str = "eu-central-1"
    kafka_topic_deadlines: str = "lunch-bot.deadlines"
    kafka_topic_recommendations: str = "lunch-bot.recommendations"
    kafka_topic_dead_letters: str = "lunch-bot.dead-letters"
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
    recommendations_min_orders: int = 5
    # POST /users/{tgid}/recommendations/generate: how many times a person may ask per day.
    recommendations_generate_per_day: int = 3
    recommendations_ttl_seconds: int = 24 * 60 * 60

    # Auth
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
