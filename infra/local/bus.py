"""An in-process stand-in for Kafka, for `make run` on a machine that cannot run a broker.

Topics are append-only logs (one partition each) with offsets; `BusProducer` is what the
producing functions get instead of the Kafka producer, and `BusConsumer` answers the same calls
`infra.local.feed` makes on an aiokafka consumer. So the consumer functions receive the very
MSK-shaped events they would receive from a real event source mapping.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from shared.kit.kafka import EventProducer, encode_event
from shared.kit.settings import Settings


class TopicPartition(NamedTuple):
    """The same shape as aiokafka's TopicPartition."""

    topic: str
    partition: int


@dataclass(frozen=True, slots=True)
class BusRecord:
    """One record, with the attributes of aiokafka's ConsumerRecord that Lambda events carry."""

    topic: str
    partition: int
    offset: int
    timestamp: int
    key: bytes | None
    value: bytes | None
    timestamp_type: int = 0
    headers: tuple[tuple[str, bytes], ...] = field(default_factory=tuple)


class InProcessBus:
    """Topics kept in memory for the life of the process; safe to use from several threads."""

    def __init__(self) -> None:
        self._logs: dict[str, list[BusRecord]] = {}
        self._changed = threading.Condition()

    def append(self, topic: str, key: bytes | None, value: bytes | None) -> BusRecord:
        with self._changed:
            log = self._logs.setdefault(topic, [])
            record = BusRecord(topic, 0, len(log), int(time.time() * 1000), key, value)
            log.append(record)
            self._changed.notify_all()
            return record

    def read(self, topic: str, offset: int, limit: int) -> list[BusRecord]:
        with self._changed:
            return list(self._logs.get(topic, [])[offset : offset + limit])

    def wait_for(self, topic: str, offset: int, timeout: float) -> bool:
        """Block until the topic has a record at `offset` or `timeout` passes."""
        with self._changed:
            return self._changed.wait_for(
                lambda: len(self._logs.get(topic, [])) > offset, timeout=timeout
            )

    def records(self, topic: str) -> list[BusRecord]:
        with self._changed:
            return list(self._logs.get(topic, []))


class BusProducer(EventProducer):
    """The Kafka producer's interface, appending to the in-process bus."""

    def __init__(self, settings: Settings, bus: InProcessBus) -> None:
        super().__init__(settings)
        self._bus = bus

    async def send_many(self, topic: str, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
        for key, value in events:
            self._bus.append(topic, key.encode(), encode_event(value))

    async def close(self) -> None:
        return None


class BusConsumer:
    """What `infra.local.feed` needs from an aiokafka consumer, reading one bus topic."""

    def __init__(self, bus: InProcessBus, topic: str) -> None:
        self._bus = bus
        self._topic = topic
        self._position = 0
        self._committed = 0

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def getmany(
        self, *, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[BusRecord]]:
        limit = max_records or 500
        loop = asyncio.get_running_loop()
        ready = await loop.run_in_executor(
            None, self._bus.wait_for, self._topic, self._position, timeout_ms / 1000
        )
        if not ready:
            return {}
        records = self._bus.read(self._topic, self._position, limit)
        self._position += len(records)
        return {TopicPartition(self._topic, 0): records} if records else {}

    def seek(self, partition: TopicPartition, offset: int) -> None:
        if partition.topic == self._topic:
            self._position = offset

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        for partition, offset in offsets.items():
            if partition.topic == self._topic:
                self._committed = offset

    @property
    def committed_offset(self) -> int:
        return self._committed
