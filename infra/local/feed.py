"""Kafka records to consumer functions, the way a Lambda event source mapping hands them over.

Used by the local runner (invoking the handlers in-process) and by the LocalStack bridge
(invoking the deployed functions through the Lambda Invoke API), with a real broker (aiokafka)
or the in-process bus. For each batch of one topic-partition the function gets an MSK-shaped
event (`msk_event_from_consumer_records`); its answer decides what happens next, as with
`FunctionResponseTypes: [ReportBatchItemFailures]`:

* no `batchItemFailures`: the batch is done, its offsets are committed;
* failures: the partition is read again from the lowest failed offset after a pause that
  doubles each time (records before it are committed);
* an invocation that raises or answers with an error: the whole batch is retried the same way;
* after `max_retries` the batch is given to `give_up` (the failure destination) and skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from infra.local.events import (
    DEFAULT_BOOTSTRAP_SERVERS,
    ConsumerRecordLike,
    msk_event_from_consumer_records,
)

log = logging.getLogger("lunch.feed")

type Invoke = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]
type GiveUp = Callable[[str, Sequence[ConsumerRecordLike], str], None]


class PartitionLike(Protocol):
    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...


class ConsumerLike(Protocol):
    """The calls made on an aiokafka AIOKafkaConsumer (or the in-process bus consumer)."""

    async def getmany(self, *, timeout_ms: int = ..., max_records: int | None = ...) -> Any: ...
    def seek(self, partition: Any, offset: int) -> None: ...
    async def commit(self, offsets: Any) -> None: ...


class InvocationFailedError(RuntimeError):
    """The function answered with an error (Lambda's FunctionError)."""


def _log_give_up(topic: str, records: Sequence[ConsumerRecordLike], reason: str) -> None:
    offsets = ", ".join(f"{r.partition}@{r.offset}" for r in records)
    log.error("gave up on %s records %s: %s (the failure destination)", topic, offsets, reason)


@dataclass
class Route:
    """Which function reads a topic."""

    topic: str
    invoke: Invoke
    function: str = ""


@dataclass
class FeedStats:
    invocations: int = 0
    retries: int = 0
    given_up: int = 0
    delivered: int = 0


@dataclass
class Feed:
    """Reads one topic with `consumer` and invokes `route.invoke` per batch, until stopped."""

    consumer: ConsumerLike
    route: Route
    batch_size: int = 10
    max_retries: int = 3
    backoff_seconds: float = 1.0
    poll_ms: int = 500
    bootstrap: str = DEFAULT_BOOTSTRAP_SERVERS
    self_managed: bool = False
    give_up: GiveUp = _log_give_up
    stats: FeedStats = field(default_factory=FeedStats)
    _attempts: dict[tuple[str, int, int], int] = field(default_factory=dict)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.poll_once()

    async def poll_once(self) -> None:
        batches: Mapping[PartitionLike, list[ConsumerRecordLike]] = await self.consumer.getmany(
            timeout_ms=self.poll_ms, max_records=self.batch_size
        )
        for partition, records in batches.items():
            if records:
                await self._deliver(partition, records)

    async def _deliver(self, partition: PartitionLike, records: list[ConsumerRecordLike]) -> None:
        event = msk_event_from_consumer_records(
            records, bootstrap=self.bootstrap, self_managed=self.self_managed
        )
        self.stats.invocations += 1
        try:
            answer = await self.route.invoke(event)
            failed = _failed_offsets(answer, partition)
            reason = "the function reported these records as failed"
        except Exception as error:
            log.warning("invoking %s failed: %s", self.route.function or "the consumer", error)
            failed = [r.offset for r in records]
            reason = f"{type(error).__name__}: {error}"
        if not failed:
            self.stats.delivered += len(records)
            await self.consumer.commit({partition: records[-1].offset + 1})
            return
        first = min(failed)
        done = [r for r in records if r.offset < first]
        self.stats.delivered += len(done)
        key = (partition.topic, partition.partition, first)
        attempts = self._attempts.get(key, 0) + 1
        if attempts > self.max_retries:
            self._attempts.pop(key, None)
            lost = [r for r in records if r.offset in set(failed)]
            self.stats.given_up += len(lost)
            self.give_up(partition.topic, lost, reason)
            await self.consumer.commit({partition: records[-1].offset + 1})
            return
        self._attempts[key] = attempts
        self.stats.retries += 1
        if done:
            await self.consumer.commit({partition: first})
        self.consumer.seek(partition, first)
        await asyncio.sleep(self.backoff_seconds * 2 ** (attempts - 1))


def _failed_offsets(answer: dict[str, Any] | None, partition: PartitionLike) -> list[int]:
    failures = (answer or {}).get("batchItemFailures") or []
    offsets: list[int] = []
    for failure in failures:
        identifier = failure.get("itemIdentifier")
        if isinstance(identifier, dict):
            if identifier.get("partition") == f"{partition.topic}-{partition.partition}":
                offsets.append(int(identifier["offset"]))
        elif identifier is not None:
            raise InvocationFailedError(f"unexpected batch item failure {identifier!r}")
    return offsets


async def kafka_consumer(bootstrap: str, topic: str, group: str) -> Any:
    """A started aiokafka consumer on `topic` for the feed (offsets committed by the feed)."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        metadata_max_age_ms=5_000,
    )
    await consumer.start()
    return consumer
