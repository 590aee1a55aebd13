"""Linking cafes' Telegram chats: managers' one-time codes and decisions on the bot's requests.

The contract's public `POST /cafes/{cafe_id}/link-request` is gone: anyone could name any chat
there. A request now starts only where the chat is proven (the bot), or with a code a manager
issued here (docs/api.md, "Cafe chat links").
"""

from datetime import datetime
from typing import Annotated

from fastapi import BackgroundTasks, Path, Query, Response, status

from functions.api.deps import (
    AppContext,
    ContextDep,
    Manager,
    NowDep,
    ReadingManager,
    ReadSessionDep,
    SessionDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.cafes.schemas import CafeOut
from shared.links import service
from shared.links.schemas import LinkCodeOut, LinkRequestOut, LinkRequestPage, NotificationsIn
from shared.models import RequestStatus
from shared.models.base import MAX_ID

router = Routes(prefix="", tags=["cafe-links"])

# Ids are PostgreSQL integers: anything larger cannot exist, so it is refused as malformed.
CafeId = Annotated[int, Path(ge=1, le=MAX_ID)]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post(
    "/cafes/{cafe_id}/link-code",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def issue_link_code(
    cafe_id: CafeId, _: Manager, session: SessionDep, now: NowDep, context: ContextDep
) -> LinkCodeOut:
    """A one-time link for the cafe (manager): the chat that opens it is linked to the cafe.

    Valid 24 hours and once; `replaces_chat` names the chat it would replace (which is told).
    """
    settings = context.settings
    return await service.issue_link_code(
        session,
        cafe_id,
        key=settings.jwt_secret.get_secret_value(),
        bot_username=settings.telegram_bot_username,
        now=now,
    )


@router.get("/cafe-requests", responses=error_responses(401, 403, 422))
async def list_link_requests(
    _: ReadingManager,
    session: ReadSessionDep,
    status: RequestStatus | None = None,
    offset: Annotated[int, Query(alias="skip", ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> LinkRequestPage:
    """Cafe link requests, newest first, optionally of one status (manager).

    A waiting request for a cafe that has a chat already names it in `replaces_chat`.
    """
    return await service.list_requests(session, status, offset=offset, limit=limit)


def _tell_cafe_later(
    tasks: BackgroundTasks, context: AppContext, decided: LinkRequestOut, now: datetime
) -> None:
    # A background task runs after the unit of work has committed and the response is out, so
    # the cafe is never told of a decision that then fails to be saved.
    bot = context.telegram_bot()
    if bot is not None:
        # Imported here: it loads python-telegram-bot, which a cold start should not pay for.
        from shared.notifications.link_outcome import tell_cafe_decision

        today = now.astimezone(context.settings.tz).date()
        tasks.add_task(tell_cafe_decision, bot, decided, today=today)


@router.post(
    "/cafe-requests/{request_id}/approve", responses=error_responses(401, 403, 404, 409, 422)
)
async def approve_link_request(
    request_id: RequestId,
    _: Manager,
    session: SessionDep,
    now: NowDep,
    context: ContextDep,
    tasks: BackgroundTasks,
) -> LinkRequestOut:
    """Link the chat to the cafe and turn notifications on; the cafe's chat is told, and so is
    the chat it replaces."""
    decided = await service.approve(session, request_id, now=now)
    _tell_cafe_later(tasks, context, decided, now)
    return decided


@router.post(
    "/cafe-requests/{request_id}/reject", responses=error_responses(401, 403, 404, 409, 422)
)
async def reject_link_request(
    request_id: RequestId,
    _: Manager,
    session: SessionDep,
    now: NowDep,
    context: ContextDep,
    tasks: BackgroundTasks,
) -> LinkRequestOut:
    """Turn a waiting link request down (manager); the cafe's chat is told."""
    decided = await service.reject(session, request_id, now=now)
    _tell_cafe_later(tasks, context, decided, now)
    return decided


@router.patch("/cafes/{cafe_id}/notifications", responses=error_responses(400, 401, 403, 404, 422))
async def set_cafe_notifications(
    cafe_id: CafeId, body: NotificationsIn, _: Manager, session: SessionDep
) -> CafeOut:
    """Pause or resume order messages to the cafe's linked chat (manager)."""
    cafe = await service.set_notifications(session, cafe_id, body.enabled)
    return CafeOut.model_validate(cafe)


@router.delete(
    "/cafes/{cafe_id}/link",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 404, 422),
)
async def unlink_cafe(cafe_id: CafeId, _: Manager, session: SessionDep) -> None:
    """Unlink the cafe's Telegram chat and turn notifications off (manager)."""
    await service.unlink(session, cafe_id)
