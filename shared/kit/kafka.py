"""Producing events to Kafka with aiokafka: one producer per process, started on first use."""

import asyncio
import json
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.abc import AbstractTokenProvider
from aiokafka.helpers import create_ssl_context

from shared.kit.settings import Settings


def encode_event(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode()


class MskIamTokenProvider(AbstractTokenProvider):  # type: ignore[misc]  # aiokafka is untyped
    """Tokens for Amazon MSK's IAM sign-in, signed with the process's AWS credentials."""

    def __init__(self, region: str) -> None:
        self._region = region

    async def token(self) -> str:
        # Imported here: only deployed functions that talk to MSK need the signer.
        from aws_msk_iam_sasl_signer import MSKAuthTokenProvider

        # Signing reads credentials (a file or the container endpoint): keep it off the loop.
        token, _expires_ms = await asyncio.to_thread(
            MSKAuthTokenProvider.generate_auth_token, self._region
        )
        return str(token)


def connection_options(settings: Settings) -> dict[str, Any]:
    """How every Kafka client of ours connects: plain, TLS, MSK with IAM or SASL/SCRAM."""
    if settings.kafka_auth == "msk-iam":
        return {
            "bootstrap_servers": settings.kafka_bootstrap_servers,
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "OAUTHBEARER",
            "sasl_oauth_token_provider": MskIamTokenProvider(settings.aws_region),
            "ssl_context": create_ssl_context(),
        }
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol in ("SSL", "SASL_SSL"):
        options["ssl_context"] = create_ssl_context()
    if settings.kafka_auth == "scram-sha-512":
        options |= {
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": settings.kafka_sasl_username,
            "sasl_plain_password": settings.kafka_sasl_password.get_secret_value(),
        }
    return options


class EventProducer:
    """Sends JSON events keyed by an id; waits for the broker's acknowledgement (acks=all)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._producer: AIOKafkaProducer | None = None

    async def _started(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                **connection_options(self._settings),
                acks="all",
                enable_idempotence=True,
                request_timeout_ms=self._settings.kafka_request_timeout_ms,
                retry_backoff_ms=250,
                linger_ms=5,
            )
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def send(self, topic: str, key: str, value: dict[str, Any]) -> None:
        await self.send_many(topic, [(key, value)])

    async def send_many(self, topic: str, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Send every event and wait until Kafka has acknowledged all of them."""
        # aiokafka retries inside a send until its own timeouts; bound the whole send too, so a
        # broker that stops answering fails the caller instead of hanging it.
        bound = 3 * self._settings.kafka_request_timeout_ms / 1000
        try:
            async with asyncio.timeout(bound):
                producer = await self._started()
                futures = [
                    await producer.send(topic, key=key.encode(), value=encode_event(value))
                    for key, value in events
                ]
                for future in futures:
                    await future
        except BaseException:
            # A broken connection leaves the producer unusable; start afresh next time. Not
            # waiting for it to stop: stopping flushes what is pending, which on a stalled
            # broker would wait for ever.
            await self._abandon(wait_seconds=0.5)
            raise

    async def close(self) -> None:
        """Stop the producer once what it holds is sent."""
        await self._abandon(wait_seconds=None)

    async def _abandon(self, *, wait_seconds: float | None) -> None:
        """Stop the producer; with `wait_seconds`, wait at most that long (it stops later)."""
        if self._producer is not None:
            producer, self._producer = self._producer, None
            stopping = asyncio.ensure_future(producer.stop())
            await asyncio.wait({stopping}, timeout=wait_seconds)
            stopping.add_done_callback(lambda done: done.cancelled() or done.exception())
