"""Settings and helpers that tie the system under test to the real services and the fakes."""

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord

from infra.local.events import api_gateway_v2_http, lambda_context
from infra.local.fakes.telegram import FakeTelegram
from shared.kit.settings import Settings

JWT_SECRET = "test-jwt-secret-0123456789abcdef"
WEBHOOK_SECRET = "test-webhook-secret"


@pytest.fixture
def settings_factory(
    database_url: str, redis_url: str, kafka_bootstrap: str
) -> Callable[..., Settings]:
    """Settings for the real services with a topic namespace unique to the test."""
    suffix = uuid.uuid4().hex[:8]

    def make(telegram: FakeTelegram | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "environment": "test",
            "database_url": database_url,
            "redis_url": redis_url,
            "kafka_bootstrap_servers": kafka_bootstrap,
            "kafka_topic_deadlines": f"test-{suffix}.deadlines",
            "kafka_topic_recommendations": f"test-{suffix}.recommendations",
            "kafka_topic_dead_letters": f"test-{suffix}.dead-letters",
            "kafka_topic_reminders": f"test-{suffix}.reminders",
            "jwt_secret": JWT_SECRET,
            "telegram_webhook_secret": WEBHOOK_SECRET,
            "company_timezone": "Europe/Moscow",
            # A shared test machine can be slow: tests of other things must not meet the request
            # budget's 503. The budget's own tests set theirs (edge protection, the fault tier).
            "api_request_budget_seconds": 60.0,
            # Every test signs in from the same address within a minute: the limits' own tests
            # (edge protection) set theirs, the others must not meet a 429 meant for strangers.
            "rate_limit_sign_in_per_minute": 100_000,
            "rate_limit_public_per_minute": 100_000,
        }
        if telegram is not None:
            values["telegram_bot_token"] = telegram.token
            values["telegram_api_base_url"] = telegram.base_url
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return make


def call_api(
    handler: Callable[[dict[str, Any], Any], dict[str, Any]],
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    token: str | None = None,
) -> tuple[int, Any]:
    """Send an API Gateway v2 event to the api handler; return status and decoded JSON body."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    event = api_gateway_v2_http(method, path, body=body, headers=headers)
    response = handler(event, lambda_context("api"))
    payload = response.get("body") or "null"
    return response["statusCode"], json.loads(payload)


def read_topic(
    bootstrap: str, topic: str, *, expect: int, timeout: float = 10.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on `topic` (from the beginning), waiting up to `timeout` for `expect`."""

    async def consume() -> list[ConsumerRecord[bytes, bytes]]:
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
        )
        await consumer.start()
        records: list[ConsumerRecord[bytes, bytes]] = []
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while loop.time() < deadline:
                batch = await consumer.getmany(timeout_ms=300)
                for partition_records in batch.values():
                    records.extend(partition_records)
                if len(records) >= expect and expect > 0:
                    # one more short poll to catch anything beyond what was expected
                    extra = await consumer.getmany(timeout_ms=500)
                    for partition_records in extra.values():
                        records.extend(partition_records)
                    break
        finally:
            await consumer.stop()
        return records

    return asyncio.run(consume())
