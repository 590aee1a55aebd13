"""The `notifications_consumer` Lambda: Kafka event source mapping on the deadlines topic.

Each `deadline.passed` record becomes one delivery of that cafe's orders for the date. Records
that fail are reported back as partial batch failures so that only they are retried.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from shared.kit import runtime
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings, get_settings
from shared.kit.telegram import create_bot
from shared.notifications.delivery import bot_sender, deliver_cafe_orders

logger = Logger(service="notifications_consumer")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


class DeadlinePassed(BaseModel):
    type: str
    cafe_id: int
    date: date


def build_handler(settings: Settings, clock: Clock) -> Handler:
    sessions = create_sessionmaker(create_engine(settings))
    send = bot_sender(create_bot(settings))
    processor = BatchProcessor(event_type=EventType.Kafka)

    def deliver(record: KafkaEventRecord) -> None:
        event = DeadlinePassed.model_validate(json.loads(record.decoded_value))
        if event.type != "deadline.passed":
            logger.warning("ignoring event of another type", extra={"type": event.type})
            return
        outcome = runtime.run(
            deliver_cafe_orders(sessions, send, event.cafe_id, event.date, now=clock.now())
        )
        logger.info(
            "cafe notification",
            extra={
                "cafe_id": event.cafe_id,
                "date": event.date.isoformat(),
                "state": outcome.state,
                "parts": outcome.parts_sent,
                "reason": outcome.reason,
                "already_done": outcome.already_done,
            },
        )

    @logger.inject_lambda_context
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return dict(
            process_partial_response(
                event=event, record_handler=deliver, processor=processor, context=context
            )
        )

    return handle


handler = build_handler(get_settings(), SystemClock())
