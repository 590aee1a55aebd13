"""Linking cafes' Telegram chats: the bot's public request, the manager's decisions."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from functions.api.deps import AppContext, ContextDep, Manager, NowDep, SessionDep
from functions.api.errors import ErrorOut, error_responses
from shared.cafes.schemas import CafeOut
from shared.links import service
from shared.links.schemas import LinkRequestIn, LinkRequestOut, LinkRequestPage, NotificationsIn
from shared.models import RequestStatus
from shared.notifications.link_outcome import tell_cafe_decision

router = APIRouter(prefix="", tags=["cafe-links"])

# Ids are PostgreSQL integers: anything larger cannot exist, so it is refused as malformed.
MAX_ID = 2**31 - 1
CafeId = Annotated[int, Path(ge=1, le=MAX_ID)]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


TOO_MANY: dict[int | str, dict[str, object]] = {
    429: {"model": ErrorOut, "description": "Too many requests are already waiting"}
}


@router.post(
    "/cafes/{cafe_id}/link-request",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 404, 409, 422) | TOO_MANY,
)
async def request_link(
    cafe_id: CafeId, body: LinkRequestIn, session: SessionDep, now: NowDep
) -> LinkRequestOut:
    """Ask to link a Telegram chat to a cafe (public: the bot calls it for a cafe's chat).

    It links nothing by itself: the request waits until a manager approves it. Asking again
    returns the same waiting request. A chat can be linked to one cafe only.
    """
    return await service.request_link(session, cafe_id, body.tg_chat_id, body.tg_username, now=now)


@router.get("/cafe-requests", responses=error_responses(401, 403, 422))
async def list_link_requests(
    _: Manager,
    session: SessionDep,
    status: RequestStatus | None = None,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> LinkRequestPage:
    """Cafe link requests, newest first, optionally of one status (manager)."""
    return await service.list_requests(session, status, skip=skip, limit=limit)


async def _commit_and_tell_cafe(
    session: AsyncSession, context: AppContext, decided: LinkRequestOut, now: datetime
) -> None:
    # Commit first: the cafe is never told of a decision that then fails to be saved. The
    # bot's Approve / Reject buttons tell it the same way.
    await session.commit()
    if context.telegram is not None:
        today = now.astimezone(context.settings.tz).date()
        await tell_cafe_decision(context.telegram, decided, today=today)


@router.post(
    "/cafe-requests/{request_id}/approve", responses=error_responses(401, 403, 404, 409, 422)
)
async def approve_link_request(
    request_id: RequestId, _: Manager, session: SessionDep, now: NowDep, context: ContextDep
) -> LinkRequestOut:
    """Link the chat to the cafe and turn notifications on; the cafe's chat is told."""
    decided = await service.approve(session, request_id, now=now)
    await _commit_and_tell_cafe(session, context, decided, now)
    return decided


@router.post(
    "/cafe-requests/{request_id}/reject", responses=error_responses(401, 403, 404, 409, 422)
)
async def reject_link_request(
    request_id: RequestId, _: Manager, session: SessionDep, now: NowDep, context: ContextDep
) -> LinkRequestOut:
    """Turn a waiting link request down (manager); the cafe's chat is told."""
    decided = await service.reject(session, request_id, now=now)
    await _commit_and_tell_cafe(session, context, decided, now)
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
