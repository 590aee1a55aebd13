"""The `recommendations_consumer` Lambda: Kafka event source mapping on the recommendations topic.

Each job builds one user's stats, asks Gemini through the key pool and caches the advice for 24
hours. A batch's jobs run together on the container's loop: the pool books each request an
instant within its key's rate, so they share the keys without 429s. A job that cannot be done
now (every key spent, Gemini down) is reported as a partial batch failure, so Lambda retries it
later and nothing is lost; a job already done (the retry starts at the first failed record)
finds its mark in Redis and asks Gemini nothing.
"""

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.utilities.data_classes.kafka_event import KafkaEventRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.events import RECOMMENDATION_JOB, RecommendationJob
from shared.kit.batch import KafkaBatch
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.redis import create_redis
from shared.kit.settings import Settings, get_settings
from shared.recommendations.gemini import GeminiAdvisor
from shared.recommendations.keypool import KeyPool
from shared.recommendations.service import job_done_key, make_recommendations

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
    advisor = None
    if settings.gemini_api_keys:
        advisor = GeminiAdvisor(KeyPool.from_settings(redis, settings, clock), settings)
        # Made now, with the container, rather than by the first job on each key.
        for key in settings.gemini_api_keys:
            advisor.client_for(key.get_secret_value())

    running: dict[str, asyncio.Lock] = {}

    async def recommend(record: KafkaEventRecord) -> None:
        job = RecommendationJob.model_validate(json.loads(record.decoded_value))
        if job.type != RECOMMENDATION_JOB:
            logger.warning("ignoring event of another type", extra={"type": job.type})
            return
        # A batch may hold the same job twice: the copy waits, then finds the first one's mark.
        mark = job_done_key(job)
        lock = running.setdefault(mark, asyncio.Lock())
        try:
            async with lock:
                outcome = await make_recommendations(
                    sessions, redis, advisor, job.tgid, settings=settings, now=clock.now(), job=job
                )
        finally:
            if not lock.locked():
                running.pop(mark, None)
        logger.info(
            "recommendations made",
            extra={"tgid": job.tgid, "state": outcome.state, "reason": outcome.reason},
        )

    # Jobs in flight per container: as many as the database pool holds connections (a job holds
    # one while it reads the stats, none while it waits for Gemini). More would only wait for a
    # connection past the pool's timeout, and book instants far ahead.
    batch = KafkaBatch(recommend, at_once=2 * settings.database_pool_size)

    @logger.inject_lambda_context
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return batch(event, context)

    return handle


handler = build_handler(get_settings(), SystemClock())
