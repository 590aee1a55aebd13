from typing import Annotated

from fastapi import APIRouter, Depends, Request
from redis.asyncio import Redis

from functions.api.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from functions.api.errors import ERROR_RESPONSES
from shared.kit.redis import create_redis
from shared.recommendations.errors import NotYourRecommendations, UserNotFound
from shared.recommendations.schemas import RecommendationsOut
from shared.recommendations.service import recommendations_for
from shared.users import repository as users

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
    responses={code: ERROR_RESPONSES[code] for code in (401, 403, 404)},
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
    if tgid != user.tgid and not user.is_manager:
        raise NotYourRecommendations("Рекомендации можно смотреть только свои")
    if tgid != user.tgid and await users.get_user(session, tgid) is None:
        raise UserNotFound(f"Сотрудник с Telegram ID {tgid} не найден")
    return await recommendations_for(session, redis, tgid, settings=settings, now=now)
