"""Health checks: the function itself, and each store it depends on (for probes and alarms)."""

import asyncio
from collections.abc import Coroutine
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import text

from functions.api.deps import ContextDep, SettingsDep
from functions.api.errors import ERROR_RESPONSES, ErrorOut
from functions.api.routing import Routes
from shared.kit.errors import DependencyUnavailable
from shared.kit.settings import Settings

router = Routes(
    prefix="/health",
    tags=["health"],
    # Anyone may probe: the per-client rate limit applies (429 with Retry-After).
    responses={429: ERROR_RESPONSES[429]},
)

# A probe must answer well before API Gateway's 30 s limit, even when a host swallows packets.
PROBE_TIMEOUT_SECONDS = 3.0


UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "The dependency did not answer in time"}
}


async def within(seconds: float, probe: Coroutine[Any, Any, None]) -> None:
    """Run `probe`, giving up after `seconds` without waiting for it to wind down.

    `asyncio.timeout` would wait for the cancelled probe, and a database driver cancelling a
    query on a stalled server waits up to 10 s more: the promise would be broken.
    """
    task = asyncio.ensure_future(probe)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task not in done:
        task.cancel()
        task.add_done_callback(lambda finished: finished.cancelled() or finished.exception())
        raise TimeoutError
    task.result()


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


class DependencyHealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    name: str


@router.get("")
async def health() -> HealthOut:
    """Liveness: the function answers."""
    return HealthOut()


@router.get("/db", responses=UNAVAILABLE)
async def health_db(context: ContextDep) -> DependencyHealthOut:
    """PostgreSQL answers a query (within 3 s)."""

    async def select_one() -> None:
        async with context.sessions() as session:
            await session.execute(text("select 1"))

    try:
        await within(PROBE_TIMEOUT_SECONDS, select_one())
    except Exception as error:
        raise _unavailable("PostgreSQL", error) from error
    return DependencyHealthOut(name="postgresql")


@router.get("/redis", responses=UNAVAILABLE)
async def health_redis(settings: SettingsDep) -> DependencyHealthOut:
    """Redis answers PING (within 3 s)."""

    async def ping() -> None:
        from shared.kit.redis import create_redis

        redis = create_redis(settings)
        try:
            await redis.ping()
        finally:
            await redis.aclose()

    try:
        await within(PROBE_TIMEOUT_SECONDS, ping())
    except Exception as error:
        raise _unavailable("Redis", error) from error
    return DependencyHealthOut(name="redis")


@router.get("/kafka", responses=UNAVAILABLE)
async def health_kafka(settings: SettingsDep) -> DependencyHealthOut:
    """A Kafka broker answers a metadata request (within 3 s)."""
    try:
        await within(PROBE_TIMEOUT_SECONDS, _fetch_kafka_metadata(settings))
    except Exception as error:
        raise _unavailable("Kafka", error) from error
    return DependencyHealthOut(name="kafka")


async def _fetch_kafka_metadata(settings: Settings) -> None:
    # Imported here: only this probe talks to Kafka, and a cold start should not pay for it.
    from aiokafka.client import AIOKafkaClient

    from shared.kit.kafka import connection_options

    client = AIOKafkaClient(
        **connection_options(settings),
        # Shorter than the probe's timeout, so that the client gives up and closes its
        # connection itself rather than leaving a reader behind on a hung broker.
        request_timeout_ms=int(PROBE_TIMEOUT_SECONDS * 1000) - 500,
    )
    try:
        await client.bootstrap()
    finally:
        await client.close()


def _unavailable(name: str, error: BaseException) -> DependencyUnavailable:
    reason = "no answer in time" if isinstance(error, TimeoutError) else type(error).__name__
    # Read by monitoring and operators, not by people in the app: the same words in both.
    return DependencyUnavailable(
        f"{name} is unavailable: {reason}", en=f"{name} is unavailable: {reason}"
    )
