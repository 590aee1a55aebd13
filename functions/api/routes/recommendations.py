import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from functions.api.deps import NowDep, ReadingUser, ReadSessionDep, SettingsDep
from functions.api.errors import error_responses, store_unavailable_error
from functions.api.routing import Routes
from shared.recommendations.schemas import RecommendationsOut

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)

router = Routes(prefix="/users", tags=["recommendations"])


async def get_redis(request: Request) -> AsyncIterator["Redis"]:
    """The app's Redis client, made on first use (connections open lazily, once per container);
    Redis down or stalled during the request is answered 503, like a database that is.

    redis is imported on first use: a cold start of the API does not load it.
    """
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from shared.kit.redis import create_redis

    redis: Redis | None = getattr(request.app.state, "redis", None)
    if redis is None:
        redis = request.app.state.redis = create_redis(request.app.state.context.settings)
    try:
        yield redis
    except (RedisConnectionError, RedisTimeoutError) as error:
        logger.warning("dependency unavailable: %r", error)
        raise store_unavailable_error() from error


# Any, not Redis: FastAPI reads this at import, and the Redis class is only loaded when used.
RedisDep = Annotated[Any, Depends(get_redis, scope="function")]


@router.get(
    "/{tgid}/recommendations",
    responses=error_responses(401, 403, 404),
)
async def get_recommendations(
    tgid: int,
    user: ReadingUser,
    session: ReadSessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    now: NowDep,
) -> RecommendationsOut:
    """A user's 30-day stats with their latest nutrition summary and tips (self or manager)."""
    # No transaction: each figure of the stats is one statement, none is derived from two of
    # them, so an order placed meanwhile can only show in one figure until the next look.
    from shared.recommendations.service import recommendations_for

    return await recommendations_for(session, redis, user, tgid, settings=settings, now=now)
