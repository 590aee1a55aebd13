"""Every query about cafe link requests and the chats linked to cafes."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, text, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Cafe, CafeLinkRequest, RequestStatus


async def cafe_linked_to(session: AsyncSession, chat_id: int) -> Cafe | None:
    statement = select(Cafe).where(Cafe.tg_chat_id == chat_id).order_by(Cafe.id).limit(1)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_chat(session: AsyncSession, chat_id: int) -> None:
    """Serialise decisions about one chat until the transaction ends (it links to one cafe)."""
    await session.execute(select(func.pg_advisory_xact_lock(chat_id)))


async def get_request(
    session: AsyncSession, request_id: int, *, for_update: bool = False
) -> CafeLinkRequest | None:
    statement = select(CafeLinkRequest).where(CafeLinkRequest.id == request_id)
    if for_update:
        # Re-read under the lock: a row loaded earlier in this session may be out of date.
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def pending_request(
    session: AsyncSession, cafe_id: int, chat_id: int
) -> CafeLinkRequest | None:
    statement = select(CafeLinkRequest).where(
        CafeLinkRequest.cafe_id == cafe_id,
        CafeLinkRequest.tg_chat_id == chat_id,
        CafeLinkRequest.status == RequestStatus.PENDING,
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def add_pending_request(
    session: AsyncSession, cafe_id: int, chat_id: int, username: str | None, *, now: datetime
) -> None:
    """Insert a pending request unless the chat already has one for the cafe (even concurrently)."""
    statement = (
        insert(CafeLinkRequest)
        .values(
            cafe_id=cafe_id,
            tg_chat_id=chat_id,
            tg_username=username,
            status=RequestStatus.PENDING,
            created_at=now,
        )
        .on_conflict_do_nothing(
            index_elements=["cafe_id", "tg_chat_id"], index_where=text("status = 'pending'")
        )
    )
    await session.execute(statement)


async def count_pending(
    session: AsyncSession, *, cafe_id: int | None = None, chat_id: int | None = None
) -> int:
    statement = select(func.count()).where(CafeLinkRequest.status == RequestStatus.PENDING)
    if cafe_id is not None:
        statement = statement.where(CafeLinkRequest.cafe_id == cafe_id)
    if chat_id is not None:
        statement = statement.where(CafeLinkRequest.tg_chat_id == chat_id)
    return (await session.execute(statement)).scalar_one()


async def reject_pending(
    session: AsyncSession, *, cafe_id: int, chat_id: int, keep: int, now: datetime
) -> None:
    """Reject the other pending requests for the cafe, and the chat's requests for other cafes."""
    statement = (
        update(CafeLinkRequest)
        .where(
            CafeLinkRequest.status == RequestStatus.PENDING,
            CafeLinkRequest.id != keep,
            (CafeLinkRequest.cafe_id == cafe_id) | (CafeLinkRequest.tg_chat_id == chat_id),
        )
        .values(status=RequestStatus.REJECTED, processed_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(statement)


async def pending_for_chat(
    session: AsyncSession, chat_id: int
) -> Sequence[tuple[CafeLinkRequest, Cafe]]:
    statement = (
        select(CafeLinkRequest, Cafe)
        .join(Cafe, Cafe.id == CafeLinkRequest.cafe_id)
        .where(
            CafeLinkRequest.tg_chat_id == chat_id,
            CafeLinkRequest.status == RequestStatus.PENDING,
        )
        .order_by(CafeLinkRequest.created_at, CafeLinkRequest.id)
    )
    return [(request, cafe) for request, cafe in (await session.execute(statement)).all()]


async def list_requests(
    session: AsyncSession, status: RequestStatus | None, *, offset: int, limit: int
) -> tuple[Sequence[tuple[CafeLinkRequest, Cafe]], int]:
    """A page of requests, newest first, with each cafe's name; and how many match in all."""
    condition: ColumnElement[bool] = (
        CafeLinkRequest.status == status if status is not None else true()
    )
    total_statement = select(func.count()).select_from(CafeLinkRequest).where(condition)
    total = (await session.execute(total_statement)).scalar_one()
    statement = (
        select(CafeLinkRequest, Cafe)
        .join(Cafe, Cafe.id == CafeLinkRequest.cafe_id)
        .where(condition)
        .order_by(CafeLinkRequest.created_at.desc(), CafeLinkRequest.id.desc())
        .offset(offset)
        .limit(limit)
    )
    rows = [(request, cafe) for request, cafe in (await session.execute(statement)).all()]
    return rows, total


async def add_approved_request(
    session: AsyncSession, cafe_id: int, chat_id: int, username: str | None, *, now: datetime
) -> CafeLinkRequest:
    """Record a link made with a manager's one-time code, for the requests' history."""
    request = CafeLinkRequest(
        cafe_id=cafe_id,
        tg_chat_id=chat_id,
        tg_username=username,
        status=RequestStatus.APPROVED,
        created_at=now,
        processed_at=now,
    )
    session.add(request)
    await session.flush()
    return request
