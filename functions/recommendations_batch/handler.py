"""The `recommendations_batch` Lambda: fired at 03:00 (company time zone) by EventBridge
Scheduler; produces one recommendations job per active user to Kafka (key = tgid)."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.kit import runtime
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings, get_settings
from shared.recommendations.service import enqueue_recommendation_jobs

logger = Logger(service="recommendations_batch")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, int]]


def build_handler(
    settings: Settings, clock: Clock, producer: EventProducer | None = None
) -> Handler:
    # `producer`: the local runner passes its in-process bus when no Kafka broker can run.
    sessions = create_sessionmaker(create_engine(settings))
    producer = producer or EventProducer(settings)

    @logger.inject_lambda_context
    @event_source(data_class=EventBridgeEvent)
    def handle(event: EventBridgeEvent, _context: LambdaContext) -> dict[str, int]:
        now = clock.now()
        logger.debug("schedule fired", extra={"scheduled_time": event.get("time"), "now": now})
        produced = runtime.run(enqueue_recommendation_jobs(sessions, producer, settings, now=now))
        logger.info("recommendation jobs produced", extra={"jobs": produced})
        return {"jobs": produced}

    return handle


handler = build_handler(get_settings(), SystemClock())
