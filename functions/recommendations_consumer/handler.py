"""The `recommendations_consumer` Lambda: Kafka event source mapping on the recommendations topic.

Each job builds one user's stats, asks Gemini through the key pool and caches the advice for 24
hours. A job that cannot be done now (every key spent, Gemini down) is reported as a partial
batch failure, so Lambda retries it later and nothing is lost.
"""

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.events import RECOMMENDATION_JOB, RecommendationJob
from shared.kit import runtime
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.redis import create_redis
from shared.kit.settings import Settings, get_settings
from shared.recommendations.gemini import GeminiAdvisor
from shared.recommendations.keypool import KeyPool
from shared.recommendations.service import make_recommendations

logger = Logger(service="recommendations_consumer")
# The key pool's rotation and error logs come out as this function's structured logs.
copy_config_to_registered_loggers(
    source_logger=logger,
    include={f"shared.recommendations.{module}" for module in ("keypool", "gemini", "service")},
)

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def build_handler(settings: Settings, clock: Clock) -> Handler:
    sessions = create_sessionmaker(create_engine(settings))
    redis = create_redis(settings)
    keys = [key.get_secret_value() for key in settings.gemini_api_keys]
    advisor = (
        GeminiAdvisor(
            KeyPool(
                redis,
                keys,
                max_requests_per_key=settings.gemini_max_requests_per_key,
                clock=clock,
            ),
            settings,
        )
        if keys
        else None
    )
    processor = BatchProcessor(event_type=EventType.Kafka)

    def recommend(record: KafkaEventRecord) -> None:
        job = RecommendationJob.model_validate(json.loads(record.decoded_value))
        if job.type != RECOMMENDATION_JOB:
            logger.warning("ignoring event of another type", extra={"type": job.type})
            return
        outcome = runtime.run(
            make_recommendations(
                sessions, redis, advisor, job.tgid, settings=settings, now=clock.now()
            )
        )
        logger.info(
            "recommendations made",
            extra={"tgid": job.tgid, "state": outcome.state, "reason": outcome.reason},
        )

    @logger.inject_lambda_context
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return dict(
            process_partial_response(
                event=event, record_handler=recommend, processor=processor, context=context
            )
        )

    return handle


handler = build_handler(get_settings(), SystemClock())
