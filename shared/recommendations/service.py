"""Recommendations: the nightly jobs, making one user's advice, and what the profile shows."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events import RecommendationJob, publish
from shared.kit.db import unit_of_work
from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings
from shared.models import User
from shared.recommendations import repository
from shared.recommendations.advice import build_prompt, rule_based_advice
from shared.recommendations.errors import GeminiUnavailable, NotYourRecommendations
from shared.recommendations.keypool import KeysExhausted
from shared.recommendations.repository import Window
from shared.recommendations.schemas import (
    Advice,
    CachedRecommendations,
    RecommendationsOut,
    Source,
)
from shared.users import repository as users
from shared.users.service import can_see, get_user

if TYPE_CHECKING:  # the SDK is imported by the consumer only, not by the API
    from shared.recommendations.gemini import GeminiAdvisor

logger = logging.getLogger(__name__)


def cache_key(tgid: int) -> str:
    return f"recommendations:user:{tgid}"


def job_done_key(job: RecommendationJob) -> str:
    """Set, with the advice, when a job is done: a redelivered copy of it finds this and stops."""
    return f"recommendations:done:{job.tgid}:{job.timestamp.isoformat()}"


async def cached_recommendations(redis: Redis, tgid: int) -> CachedRecommendations | None:
    raw = await redis.get(cache_key(tgid))
    if raw is None:
        return None
    return CachedRecommendations.model_validate_json(raw)


async def _cache(
    redis: Redis,
    tgid: int,
    advice: Advice,
    source: Source,
    *,
    now: datetime,
    settings: Settings,
    only_if_absent: bool = False,
    done: str | None = None,
) -> bool:
    value = CachedRecommendations(
        summary=advice.summary, tips=advice.tips, source=source, generated_at=now
    )
    ttl = settings.recommendations_ttl_seconds
    if done is None:
        stored = await redis.set(
            cache_key(tgid), value.model_dump_json(), ex=ttl, nx=only_if_absent
        )
        return bool(stored)
    # The advice and the job's mark in one transaction: a job is done exactly when it is cached.
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(cache_key(tgid), value.model_dump_json(), ex=ttl)
        pipe.set(done, source, ex=ttl)
        stored, _ = await pipe.execute()
    return bool(stored)


def _window(settings: Settings, now: datetime) -> Window:
    return Window.ending(now.astimezone(settings.tz).date())


async def enqueue_recommendation_jobs(
    sessions: async_sessionmaker[AsyncSession],
    producer: EventProducer,
    settings: Settings,
    *,
    now: datetime,
) -> int:
    """One Kafka job per active user with enough orders in the last 30 days; returns how many."""
    window = _window(settings, now)
    async with unit_of_work(sessions) as session:
        tgids = await repository.active_users(
            session, window, min_orders=settings.recommendations_min_orders
        )
    jobs = [RecommendationJob(tgid=tgid, date=window.last, timestamp=now) for tgid in tgids]
    await publish(producer, settings, jobs)
    return len(jobs)


@dataclass(frozen=True)
class Outcome:
    tgid: int
    state: Literal["gemini", "rules", "skipped"]
    reason: str | None = None


async def make_recommendations(
    sessions: async_sessionmaker[AsyncSession],
    redis: Redis,
    advisor: "GeminiAdvisor | None",
    tgid: int,
    *,
    settings: Settings,
    now: datetime,
    job: RecommendationJob | None = None,
) -> Outcome:
    """Build one user's stats, ask Gemini (or the rules without keys) and cache the advice.

    When every key is spent or Gemini keeps failing, rule-based advice is cached if nothing is
    cached yet (so the profile is not empty) and the error propagates: the job is retried later.
    With `job`, a job already done (a redelivered record) asks nothing and changes nothing.
    """
    done = job_done_key(job) if job is not None else None
    if done is not None and await redis.exists(done):
        return Outcome(tgid, "skipped", "already done")
    window = _window(settings, now)
    # The connection goes back to the pool before the (slow) model call.
    async with unit_of_work(sessions) as session:
        user = await users.get_user(session, tgid)
        if user is None or not user.is_active:
            return Outcome(tgid, "skipped", "no such active user")
        stats = await repository.order_stats(session, tgid, window)
        untried = await repository.untried_dishes(session, tgid, window)
    if stats.orders_count == 0:
        return Outcome(tgid, "skipped", "no orders in 30 days")
    if advisor is None:
        advice = rule_based_advice(stats, untried)
        await _cache(redis, tgid, advice, "rules", now=now, settings=settings, done=done)
        return Outcome(tgid, "rules", "no Gemini keys configured")
    try:
        advice = await advisor.advise(build_prompt(stats, untried))
    except (KeysExhausted, GeminiUnavailable) as error:
        fallback = rule_based_advice(stats, untried)
        await _cache(
            redis, tgid, fallback, "rules", now=now, settings=settings, only_if_absent=True
        )
        logger.warning("recommendations postponed", extra={"tgid": tgid, "code": error.code})
        raise
    await _cache(redis, tgid, advice, "gemini", now=now, settings=settings, done=done)
    return Outcome(tgid, "gemini")


async def recommendations_for(
    session: AsyncSession,
    redis: Redis,
    viewer: User,
    tgid: int,
    *,
    settings: Settings,
    now: datetime,
) -> RecommendationsOut:
    """What a profile shows: fresh stats with the cached summary and tips (self or a manager).

    Nothing cached: `summary: null, tips: []` — unless no Gemini keys are configured at all or
    Redis is down, then an active user (enough orders) gets the rule-based advice right away
    (`source: rules`).
    """
    if not can_see(viewer, tgid):
        raise NotYourRecommendations(
            "Рекомендации можно смотреть только свои", en="You can only see your own advice"
        )
    if tgid != viewer.tgid:
        await get_user(session, tgid)  # someone else's profile must exist
    window = _window(settings, now)
    stats = await repository.order_stats(session, tgid, window)
    try:
        cached = await cached_recommendations(redis, tgid)
        cache_down = False
    except (RedisError, OSError) as error:
        # The cache is down: the profile still shows advice, made by the rules and marked so.
        logger.warning("recommendations cache unavailable: %r", error)
        cached, cache_down = None, True
    if cached is not None:
        return RecommendationsOut(
            summary=cached.summary,
            tips=cached.tips,
            stats=stats,
            generated_at=cached.generated_at,
            source=cached.source,
        )
    no_model = cache_down or not settings.gemini_api_keys
    if no_model and stats.orders_count >= settings.recommendations_min_orders:
        advice = rule_based_advice(stats, await repository.untried_dishes(session, tgid, window))
        return RecommendationsOut(
            summary=advice.summary, tips=advice.tips, stats=stats, generated_at=now, source="rules"
        )
    return RecommendationsOut(summary=None, tips=[], stats=stats, generated_at=None, source=None)
