"""POST /users/{tgid}/recommendations/generate: fresh advice on demand (the original has it)."""

from typing import Annotated, Any

from fastapi import Depends, Request

from functions.api.deps import ContextDep, CurrentUser, NowDep, SessionDep, SettingsDep
from functions.api.errors import ErrorOut, error_responses
from functions.api.routes.recommendations import RedisDep
from functions.api.routing import Routes
from shared.kit.settings import Settings
from shared.recommendations.errors import NotYourRecommendations
from shared.recommendations.schemas import RecommendationsOut
from shared.users.service import can_see, get_user

router = Routes(prefix="/users", tags=["recommendations"])


def get_advisor(request: Request, settings: SettingsDep, redis: RedisDep) -> Any:
    """The app's Gemini advisor over the shared key pool, made on first use; None without keys."""
    if not hasattr(request.app.state, "gemini_advisor"):
        request.app.state.gemini_advisor = _advisor(settings, redis)
    return request.app.state.gemini_advisor


def _advisor(settings: Settings, redis: RedisDep) -> Any:
    if not settings.gemini_api_keys:
        return None
    # Imported here: the SDK is heavy, and only this route of the API needs it.
    from shared.kit.clock import SystemClock
    from shared.recommendations.gemini import GeminiAdvisor
    from shared.recommendations.keypool import KeyPool

    # The same pool, daily limits and per-key pacing as the nightly batch's consumers: an
    # on-demand ask shares the keys with them.
    return GeminiAdvisor(KeyPool.from_settings(redis, settings, SystemClock()), settings)


async def self_or_manager(tgid: int, user: CurrentUser, session: SessionDep) -> int:
    """The person whose advice is asked for: oneself, or anyone for a manager."""
    if not can_see(user, tgid):
        raise NotYourRecommendations(
            "Рекомендации можно обновлять только свои", en="You can only refresh your own advice"
        )
    if tgid != user.tgid:
        await get_user(session, tgid)  # someone else's profile must exist
    return tgid


@router.post(
    "/{tgid}/recommendations/generate",
    responses={
        **error_responses(400, 401, 403, 404),
        429: {"model": ErrorOut, "description": "Asked too often today"},
        503: {"model": ErrorOut, "description": "Gemini cannot answer now (keys spent, down)"},
    },
)
async def generate(
    person: Annotated[int, Depends(self_or_manager)],
    user: CurrentUser,
    context: ContextDep,
    session: SessionDep,
    redis: RedisDep,
    advisor: Annotated[Any, Depends(get_advisor)],
    settings: SettingsDep,
    now: NowDep,
) -> RecommendationsOut:
    """Make the summary and tips now (at least 5 orders in 30 days; a few times a day)."""
    # Imported here: they load redis and the Kafka client, which a cold start should not pay.
    from shared.recommendations.on_demand import generate_recommendations
    from shared.recommendations.service import recommendations_for

    await generate_recommendations(
        context.sessions, session, redis, advisor, person, settings=settings, now=now
    )
    return await recommendations_for(session, redis, user, person, settings=settings, now=now)
