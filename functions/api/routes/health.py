"""Health checks: the function itself, and each store it depends on (for probes and alarms)."""

import asyncio
from typing import Any, Literal

from aiokafka.client import AIOKafkaClient
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from functions.api.deps import SessionDep, SettingsDep
from functions.api.errors import ErrorOut
from shared.kit.errors import DomainError
from shared.kit.kafka import connection_options
from shared.kit.redis import create_redis
from shared.kit.settings import Settings

router = APIRouter(prefix="/health", tags=["health"])

# A probe must answer well before API Gateway's 30 s limit, even when a host swallows packets.
PROBE_TIMEOUT_SECONDS = 3.0


class DependencyUnavailable(DomainError):
    status_code = 503
    code = "dependency_unavailable"


UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "The dependency did not answer in time"}
}


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
async def health_db(session: SessionDep) -> DependencyHealthOut:
    """PostgreSQL answers a query."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            await session.execute(text("select 1"))
    except Exception as error:
        raise _unavailable("PostgreSQL", error) from error
    return DependencyHealthOut(name="postgresql")


@router.get("/redis", responses=UNAVAILABLE)
async def health_redis(settings: SettingsDep) -> DependencyHealthOut:
    """Redis answers PING."""
    redis = create_redis(settings)
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            await redis.ping()
    except Exception as error:
        raise _unavailable("Redis", error) from error
    finally:
        await redis.aclose()
    return DependencyHealthOut(name="redis")


@router.get("/kafka", responses=UNAVAILABLE)
async def health_kafka(settings: SettingsDep) -> DependencyHealthOut:
    """A Kafka broker answers a metadata request."""
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            await _fetch_kafka_metadata(settings)
    except Exception as error:
        raise _unavailable("Kafka", error) from error
    return DependencyHealthOut(name="kafka")


async def _fetch_kafka_metadata(settings: Settings) -> None:
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
    return DependencyUnavailable(f"{name} is unavailable: {reason}")
