from typing import Annotated

from fastapi import APIRouter, Depends, Request
from redis.asyncio import Redis

from functions.api.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from functions.api.errors import error_responses
from shared.kit.redis import create_redis
from shared.recommendations.schemas import RecommendationsOut
from shared.recommendations.service import recommendations_for

router = APIRouter(prefix="/users", tags=["recommendations"])


def get_redis(request: Request) -> Redis:
    """The app's Redis client, made on first use (connections open lazily, once per container)."""
    redis: Redis | None = getattr(request.app.state, "redis", None)
    if redis is None:
        redis = request.app.state.redis = create_redis(request.app.state.context.settings)
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]


@router.get(
    "/{tgid}/recommendations",
    responses=error_responses(401, 403, 404),
)
async def get_recommendations(
    tgid: int,
    user: CurrentUser,
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    now: NowDep,
) -> RecommendationsOut:
    """A user's 30-day stats with their latest nutrition summary and tips (self or manager)."""
    return await recommendations_for(session, redis, user, tgid, settings=settings, now=now)
