from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query

from functions.api.deps import (
    Manager,
    NowDep,
    ReadingManager,
    ReadSessionDep,
    SessionDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.models import RequestStatus
from shared.models.base import MAX_ID
from shared.users import service
from shared.users.schemas import AccessRequestList, AccessRequestOut, ApproveIn

router = Routes(prefix="/user-requests", tags=["user-requests"])

RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="The access request's id")]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Access requests are a manager's business: every route can answer 401 and 403."""
    return error_responses(401, 403, *codes)


@router.get("", responses=errors(422))
async def list_requests(
    _: ReadingManager,
    session: ReadSessionDep,
    status: Literal["pending", "approved", "rejected"] | None = None,
    # `skip` on the wire, as the published contract names it; `offset` everywhere inside.
    offset: Annotated[int, Query(alias="skip", ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AccessRequestList:
    """Access requests of people who opened the app without an account, newest first."""
    wanted = RequestStatus(status) if status else None
    found, total = await service.list_access_requests(session, wanted, offset=offset, limit=limit)
    return AccessRequestList(
        items=[AccessRequestOut.model_validate(request) for request in found], total=total
    )


# 400: a body that is not JSON at all.
@router.post("/{request_id}/approve", responses=errors(400, 404, 409, 422))
async def approve_request(
    request_id: RequestId,
    _: Manager,
    session: SessionDep,
    now: NowDep,
    body: Annotated[ApproveIn | None, Body()] = None,
) -> AccessRequestOut:
    """Approve a pending request: the person gets an account and can sign in."""
    office = body.office if body else None
    request = await service.approve_request(session, request_id, office=office, now=now)
    return AccessRequestOut.model_validate(request)


@router.post("/{request_id}/reject", responses=errors(404, 409, 422))
async def reject_request(
    request_id: RequestId, _: Manager, session: SessionDep, now: NowDep
) -> AccessRequestOut:
    """Reject a pending request: signing in again tells the person so."""
    request = await service.reject_request(session, request_id, now=now)
    return AccessRequestOut.model_validate(request)
