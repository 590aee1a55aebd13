"""The `deadline_check` Lambda: fired every minute by EventBridge Scheduler; announces the
cafe/date pairs whose ordering deadline has passed to Kafka (`deadline.passed`)."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.kit import runtime
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.kafka import EventProducer
from shared.kit.observability import Metric, count, create_metrics
from shared.kit.settings import Settings, get_settings
from shared.notifications.announcements import announce_deadlines

logger = Logger(service="deadline_check")
metrics = create_metrics("deadline_check")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, int]]


def build_handler(
    settings: Settings, clock: Clock, producer: EventProducer | None = None
) -> Handler:
    # `producer`: the local runner passes its in-process bus when no Kafka broker can run.
    sessions = create_sessionmaker(create_engine(settings))
    producer = producer or EventProducer(settings)

    @logger.inject_lambda_context
    @metrics.log_metrics
    @event_source(data_class=EventBridgeEvent)
    def handle(event: EventBridgeEvent, _context: LambdaContext) -> dict[str, int]:
        now = clock.now()
        logger.debug("schedule fired", extra={"scheduled_time": event.get("time"), "now": now})
        run = runtime.run(announce_deadlines(sessions, producer, settings, now=now))
        logger.info(
            "deadlines announced", extra={"recorded": run.recorded, "produced": run.produced}
        )
        count(metrics, Metric.DEADLINES_ANNOUNCED, run.produced)
        return {"recorded": run.recorded, "produced": run.produced}

    return handle


handler = build_handler(get_settings(), SystemClock())
