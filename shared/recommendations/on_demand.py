"""Recommendations made when a person asks (the original's `generate`), within a daily limit.

The same rules as the nightly batch (at least `recommendations_min_orders` orders in 30 days),
the same key pool, the same cache. The limit is a Redis counter per person and company day,
taken before Gemini is asked and given back when Gemini could not answer.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.kit.errors import DomainError, InvalidRequest
from shared.kit.settings import Settings
from shared.recommendations import repository
from shared.recommendations.errors import GeminiUnavailable
from shared.recommendations.keypool import KeysExhausted
from shared.recommendations.repository import Window
from shared.recommendations.service import Outcome, make_recommendations

if TYPE_CHECKING:
    from shared.recommendations.gemini import GeminiAdvisor


class NotEnoughOrders(InvalidRequest):
    code = "not_enough_orders"


class TooManyRequests(DomainError):
    status_code: ClassVar[int] = 429
    code: ClassVar[str] = "too_many_requests"


def limit_key(tgid: int, day: str) -> str:
    return f"recommendations:generate:{tgid}:{day}"


async def generate_recommendations(
    sessions: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    redis: Redis,
    advisor: "GeminiAdvisor | None",
    tgid: int,
    *,
    settings: Settings,
    now: datetime,
) -> Outcome:
    """Make and cache the person's advice now, if they have enough orders and asks left today."""
    today = now.astimezone(settings.tz).date()
    stats = await repository.order_stats(session, tgid, Window.ending(today))
    needed = settings.recommendations_min_orders
    if stats.orders_count < needed:
        raise NotEnoughOrders(
            f"Для рекомендаций нужно хотя бы {needed} заказов за 30 дней, "
            f"а сейчас их {stats.orders_count}",
            en=f"Advice needs at least {needed} orders in 30 days; you have {stats.orders_count}",
        )
    key = limit_key(tgid, today.isoformat())
    used = int(await redis.incr(key))
    if used == 1:
        await redis.expire(key, timedelta(days=2))
    allowed = settings.recommendations_generate_per_day
    if used > allowed:
        raise TooManyRequests(
            f"Рекомендации можно обновлять {allowed} раза в день: попробуйте завтра",
            en=f"Advice can be refreshed {allowed} times a day: try again tomorrow",
        )
    try:
        return await make_recommendations(
            sessions, redis, advisor, tgid, settings=settings, now=now
        )
    except (KeysExhausted, GeminiUnavailable):
        await redis.decr(key)  # not the person's fault: the ask does not count
        raise
