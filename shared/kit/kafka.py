"""Producing events to Kafka with aiokafka: one producer per process, started on first use."""

import json
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaProducer

from shared.kit.settings import Settings


def encode_event(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode()


class EventProducer:
    """Sends JSON events keyed by an id; waits for the broker's acknowledgement (acks=all)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._producer: AIOKafkaProducer | None = None

    async def _started(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self._settings.kafka_bootstrap_servers,
                security_protocol=self._settings.kafka_security_protocol,
                acks="all",
                enable_idempotence=True,
                request_timeout_ms=10_000,
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
        producer = await self._started()
        try:
            futures = [
                await producer.send(topic, key=key.encode(), value=encode_event(value))
                for key, value in events
            ]
            for future in futures:
                await future
        except BaseException:
            # A broken connection leaves the producer unusable; start afresh next time.
            await self.close()
            raise

    async def close(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()
