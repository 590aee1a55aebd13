"""Every query about users and access requests."""

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.models import Order, OrderStatus, RequestStatus, Role, User, UserAccessRequest


async def get_user(session: AsyncSession, tgid: int, *, for_update: bool = False) -> User | None:
    statement = select(User).where(User.tgid == tgid)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def active_managers(session: AsyncSession) -> Sequence[User]:
    """Managers who can be written to in Telegram (their private chat id is their tgid)."""
    statement = (
        select(User).where(User.role == Role.MANAGER, User.is_active.is_(True)).order_by(User.tgid)
    )
    return (await session.execute(statement)).scalars().all()


async def users_by_tgid(session: AsyncSession, tgids: Iterable[int]) -> dict[int, User]:
    wanted = list(set(tgids))
    if not wanted:
        return {}
    statement = select(User).where(User.tgid.in_(wanted)).with_for_update()
    return {user.tgid: user for user in (await session.execute(statement)).scalars()}


# PostgreSQL's lower() folds only ASCII under the C locale (as the test cluster runs); folding
# Cyrillic explicitly makes search and name order the same on every server. Ё sorts as Е.
_UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё"
_LOWER = "абвгдеежзийклмнопрстуфхцчшщъыьэюяе"


def _folded(column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[str]:
    return func.translate(func.lower(column), _UPPER, _LOWER)


def fold(text: str) -> str:
    """The Python side of `_folded`."""
    return text.lower().replace("ё", "е")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matching(search: str | None) -> ColumnElement[bool] | None:
    """A name containing `search` (any case), or exactly the tgid it spells."""
    text = (search or "").strip()
    if not text:
        return None
    by_name = _folded(User.name).like(f"%{_escape_like(fold(text))}%", escape="\\")
    if text.isdigit() and len(text) < 19:
        return or_(by_name, User.tgid == int(text))
    return by_name


async def search_users(
    session: AsyncSession, search: str | None, *, limit: int, offset: int
) -> tuple[list[User], int]:
    """A page of users in name order, and how many match in all."""
    condition = _matching(search)
    page = select(User).order_by(_folded(User.name), User.tgid)
    count = select(func.count()).select_from(User)
    if condition is not None:
        page = page.where(condition)
        count = count.where(condition)
    users = list((await session.execute(page.limit(limit).offset(offset))).scalars())
    return users, (await session.execute(count)).scalar_one()


async def count_active_orders(session: AsyncSession, tgid: int) -> int:
    statement = select(func.count()).where(
        Order.user_tgid == tgid, Order.status != OrderStatus.CANCELLED
    )
    return (await session.execute(statement)).scalar_one()


async def delete_user(session: AsyncSession, tgid: int) -> None:
    """The user, their (cancelled) orders by cascade, and their access request."""
    await session.execute(delete(UserAccessRequest).where(UserAccessRequest.tgid == tgid))
    await session.execute(delete(User).where(User.tgid == tgid))


async def get_access_request(
    session: AsyncSession, tgid: int, *, for_update: bool = False
) -> UserAccessRequest | None:
    statement = select(UserAccessRequest).where(UserAccessRequest.tgid == tgid)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def get_access_request_by_id(
    session: AsyncSession, request_id: int, *, for_update: bool = False
) -> UserAccessRequest | None:
    statement = select(UserAccessRequest).where(UserAccessRequest.id == request_id)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def pending_requests_by_tgid(
    session: AsyncSession, tgids: Iterable[int]
) -> list[UserAccessRequest]:
    wanted = list(set(tgids))
    if not wanted:
        return []
    statement = select(UserAccessRequest).where(
        UserAccessRequest.tgid.in_(wanted), UserAccessRequest.status == RequestStatus.PENDING
    )
    return list((await session.execute(statement)).scalars())


async def list_access_requests(
    session: AsyncSession, status: RequestStatus | None, *, offset: int, limit: int
) -> tuple[list[UserAccessRequest], int]:
    """Newest first, optionally only those with `status`, and how many there are in all."""
    page = select(UserAccessRequest).order_by(
        UserAccessRequest.created_at.desc(), UserAccessRequest.id.desc()
    )
    count = select(func.count()).select_from(UserAccessRequest)
    if status is not None:
        page = page.where(UserAccessRequest.status == status)
        count = count.where(UserAccessRequest.status == status)
    requests = list((await session.execute(page.limit(limit).offset(offset))).scalars())
    return requests, (await session.execute(count)).scalar_one()
