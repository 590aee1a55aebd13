"""The `notifications_consumer` Lambda: Kafka event source mapping on the deadlines topic.

Each `deadline.passed` record becomes one delivery of that cafe's orders for the date. Records
are worked on a few at a time (the shared rate limiter keeps the pace); those that fail are
reported back as partial batch failures so that only they are retried.
"""

import asyncio
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEvent, KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from shared.events import DeadlinePassed
from shared.kit import runtime, snapstart
from shared.kit.batch import KafkaBatch, RecordId, record_id
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.kafka import EventProducer
from shared.kit.observability import count_notification, create_metrics
from shared.kit.ratelimit import TelegramRateLimiter
from shared.kit.redis import create_redis
from shared.kit.settings import Settings, get_settings
from shared.kit.telegram import create_bot
from shared.notifications.consumer import CafeNotifier
from shared.notifications.delivery import OrdersAhead, TelegramSender

logger = Logger(service="notifications_consumer")
metrics = create_metrics("notifications_consumer")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def build_handler(
    settings: Settings,
    clock: Clock,
    producer: EventProducer | None = None,
    *,
    hooks: snapstart.Hooks | None = None,
) -> Handler:
    # `producer` (dead letters): the local runner passes its in-process bus when Kafka can't run.
    engine, redis, bot = create_engine(settings), create_redis(settings), create_bot(settings)
    producer = producer or EventProducer(settings)
    sessions = create_sessionmaker(engine)
    # A 429 is waited out by the notifier, outside the delivery's slot (see below).
    limiter = TelegramRateLimiter.from_settings(redis, settings)
    send = TelegramSender(bot, limiter, wait_out_floods=False)
    # Each delivery holds one database connection (its lock and its work): as many at once as
    # the pool holds with its overflow but one, which reads the batch's orders ahead (and marks
    # dead letters), so the limiter, not the pool, sets the pace.
    slots = asyncio.Semaphore(2 * settings.database_pool_size - 1)
    notifier = CafeNotifier(sessions, send, producer, settings, at_once=slots)
    if hooks is not None:  # SnapStart: close connections before the snapshot
        snapstart.release_before_snapshot(
            hooks, engine=engine, redis=redis, producer=producer, bot=bot
        )

    async def deliver(record: KafkaEventRecord) -> None:
        source = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
        try:
            event = DeadlinePassed.model_validate(json.loads(record.decoded_value))
        except (ValueError, ValidationError) as error:
            logger.error("unreadable record", extra={**source, "error": str(error)})
            raw = record.decoded_value.decode(errors="replace")
            await notifier.reject(raw, str(error), now=clock.now(), source=source)
            return
        ahead = batch_ahead.get(record_id(record))
        outcome = await notifier.notify(
            event,
            now=clock.now(),
            source=source,
            read_ahead=ahead(event.cafe_id, event.date) if ahead is not None else None,
        )
        logger.info(
            "cafe notification",
            extra={
                "cafe_id": event.cafe_id,
                "date": event.date.isoformat(),
                "state": outcome.state,
                "parts": outcome.parts_sent,
                "reason": outcome.reason,
                "attempts": outcome.attempts,
                "already_done": outcome.already_done,
            },
        )
        if not outcome.already_done:
            count_notification(metrics, str(outcome.state))

    batch = KafkaBatch(deliver)
    # The invocation's records' cafes and orders, read together (see `OrdersAhead`).
    batch_ahead: dict[RecordId, OrdersAhead] = {}

    @logger.inject_lambda_context
    @metrics.log_metrics
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        records = list(KafkaEvent(event).records)
        ahead = OrdersAhead(sessions, [pair for r in records if (pair := _pair(r)) is not None])
        batch_ahead.update((record_id(record), ahead) for record in records)
        try:
            return batch(event, context)
        finally:
            batch_ahead.clear()
            runtime.run(ahead.close())

    return handle


def _pair(record: KafkaEventRecord) -> tuple[int, date] | None:
    """The record's cafe and date; None for one nobody can read (it is dead-lettered)."""
    try:
        event = DeadlinePassed.model_validate(json.loads(record.decoded_value))
    except (ValueError, ValidationError):
        return None
    return event.cafe_id, event.date


handler = build_handler(get_settings(), SystemClock(), hooks=snapstart.HOOKS)
