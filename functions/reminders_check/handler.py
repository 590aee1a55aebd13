"""The `reminders_check` Lambda: fired every minute by EventBridge Scheduler; records the
reminder rounds that are due and produces one `reminder.due` job per person to Kafka."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.kit import runtime
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.kafka import EventProducer
from shared.kit.observability import create_metrics
from shared.kit.settings import Settings, get_settings
from shared.reminders.service import check_reminders

logger = Logger(service="reminders_check")
metrics = create_metrics("reminders_check")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, int]]


def build_handler(
    settings: Settings, clock: Clock, producer: EventProducer | None = None
) -> Handler:
    # `producer`: a local runner may pass its in-process bus when no Kafka broker can run.
    sessions = create_sessionmaker(create_engine(settings))
    producer = producer or EventProducer(settings)

    @logger.inject_lambda_context
    @metrics.log_metrics
    @event_source(data_class=EventBridgeEvent)
    def handle(event: EventBridgeEvent, _context: LambdaContext) -> dict[str, int]:
        now = clock.now()
        logger.debug("schedule fired", extra={"scheduled_time": event.get("time"), "now": now})
        run = runtime.run(check_reminders(sessions, producer, settings, now=now))
        logger.info(
            "reminders checked",
            extra={"recorded": run.recorded, "rounds": run.produced_rounds, "jobs": run.jobs},
        )
        if run.jobs:
            metrics.add_metric(name="ReminderJobs", unit=MetricUnit.Count, value=run.jobs)
        return {"recorded": run.recorded, "rounds": run.produced_rounds, "jobs": run.jobs}

    return handle


handler = build_handler(get_settings(), SystemClock())
