"""Kafka batches from an event source mapping, worked on at once on the container's loop.

Powertools' async processor runs its own event loop per batch, but the engine, the Redis client
and python-telegram-bot are bound to the container's one loop (`shared/kit/runtime.py`). So the
records are handled together here, on that loop, and Powertools' synchronous `BatchProcessor`
only reports the failures as a partial batch response: just those records are retried.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEvent, KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.kit import runtime

type RecordId = tuple[str, int, int]
type RecordHandler = Callable[[KafkaEventRecord], Awaitable[None]]


def record_id(record: KafkaEventRecord) -> RecordId:
    return record.topic, record.partition, record.offset


async def _handle_all(
    handle: RecordHandler, records: list[KafkaEventRecord], at_once: int | None
) -> dict[RecordId, Exception]:
    """The records at once (at most `at_once` in flight); the failures by record."""
    if at_once is not None:
        slots = asyncio.Semaphore(at_once)
        unbounded = handle

        async def bounded(record: KafkaEventRecord) -> None:
            async with slots:
                await unbounded(record)

        handle = bounded
    results = await asyncio.gather(*map(handle, records), return_exceptions=True)
    failures: dict[RecordId, Exception] = {}
    for record, result in zip(records, results, strict=True):
        if isinstance(result, Exception):
            failures[record_id(record)] = result
        elif isinstance(result, BaseException):  # cancelled: let Lambda see it
            raise result
    return failures


class KafkaBatch:
    """One per container: handles an MSK or self-managed Kafka event's records concurrently and
    answers Lambda's partial batch response."""

    def __init__(self, handle: RecordHandler, *, at_once: int | None = None) -> None:
        self._handle = handle
        # A bound keeps a large batch from holding every connection or booking far ahead.
        self._at_once = at_once
        # A batch that failed whole is reported like any other, so the ESM retries just those.
        self._processor = BatchProcessor(
            event_type=EventType.Kafka, raise_on_entire_batch_failure=False
        )

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        records = list(KafkaEvent(event).records)
        failures = runtime.run(_handle_all(self._handle, records, self._at_once))

        def report(record: KafkaEventRecord) -> None:
            # Powertools builds the partial batch response from what this raises.
            if (error := failures.get(record_id(record))) is not None:
                raise error

        return dict(
            process_partial_response(
                event=event, record_handler=report, processor=self._processor, context=context
            )
        )
