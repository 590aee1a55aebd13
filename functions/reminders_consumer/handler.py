"""The `reminders_consumer` Lambda: Kafka event source mapping on the reminders topic.

Each `reminder.due` job sends one person one bot message with a button that opens the Mini
App, once per person and date however often the job arrives; Telegram's limits are kept
through the Redis limiter every function shares. A job Telegram could not take this time is
reported as a partial batch failure and retried.
"""

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from shared.events import ReminderDue
from shared.kit import snapstart
from shared.kit.batch import KafkaBatch
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.observability import create_metrics
from shared.kit.ratelimit import TelegramRateLimiter
from shared.kit.redis import create_redis
from shared.kit.settings import Settings, get_settings
from shared.kit.telegram import create_bot
from shared.notifications.delivery import TelegramSender
from shared.reminders.service import send_reminder

logger = Logger(service="reminders_consumer")
metrics = create_metrics("reminders_consumer")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

# Each reminder holds one database connection while it is sent: stay inside the pool.
RECORDS_AT_ONCE = 4
OUTCOME_METRICS = {"sent": "RemindersSent", "skipped": "RemindersSkipped"}


def build_handler(
    settings: Settings, clock: Clock, *, hooks: snapstart.Hooks | None = None
) -> Handler:
    engine, redis, bot = create_engine(settings), create_redis(settings), create_bot(settings)
    sessions = create_sessionmaker(engine)
    send = TelegramSender(bot, TelegramRateLimiter.from_settings(redis, settings))
    if hooks is not None:  # SnapStart: close connections before the snapshot
        snapstart.release_before_snapshot(hooks, engine=engine, redis=redis, bot=bot)
    slots = asyncio.Semaphore(RECORDS_AT_ONCE)

    async def remind(record: KafkaEventRecord) -> None:
        try:
            job = ReminderDue.model_validate(json.loads(record.decoded_value))
        except (ValueError, ValidationError) as error:
            # Retrying a record nobody can read would only block the partition.
            logger.error(
                "unreadable reminder job",
                extra={"offset": record.offset, "partition": record.partition, "error": str(error)},
            )
            return
        async with slots:
            outcome = await send_reminder(sessions, send, job, settings, now=clock.now())
        logger.info(
            "reminder",
            extra={
                "tgid": job.tgid,
                "date": job.date.isoformat(),
                "state": outcome.state,
                "reason": outcome.reason,
            },
        )
        if (metric := OUTCOME_METRICS.get(outcome.state)) is not None:
            metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)

    batch = KafkaBatch(remind)

    @logger.inject_lambda_context
    @metrics.log_metrics
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return batch(event, context)

    return handle


handler = build_handler(get_settings(), SystemClock(), hooks=snapstart.HOOKS)
