"""Queries the cafe-facing bot needs besides the ones its domains already have."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Cafe, Order, OrderStatus, Role, User


async def active_managers(session: AsyncSession) -> Sequence[User]:
    """Managers who can be written to in Telegram (their private chat id is their tgid)."""
    statement = (
        select(User).where(User.role == Role.MANAGER, User.is_active.is_(True)).order_by(User.tgid)
    )
    return (await session.execute(statement)).scalars().all()


async def active_cafes(session: AsyncSession, *, limit: int) -> Sequence[Cafe]:
    statement = select(Cafe).where(Cafe.is_active.is_(True)).order_by(Cafe.name).limit(limit)
    return (await session.execute(statement)).scalars().all()


async def next_order_date(session: AsyncSession, cafe_id: int, today: date) -> date | None:
    """The first date from `today` on for which the cafe has active orders."""
    statement = select(func.min(Order.order_date)).where(
        Order.cafe_id == cafe_id,
        Order.order_date >= today,
        Order.status != OrderStatus.CANCELLED,
    )
    return await session.scalar(statement)


async def set_chat_unreachable(session: AsyncSession, chat_id: int, reason: str | None) -> int:
    """Mark (or clear, with None) the cafe linked to `chat_id` as unreachable; how many changed."""
    statement = (
        update(Cafe)
        .where(Cafe.tg_chat_id == chat_id)
        .where(Cafe.chat_unreachable_reason.is_distinct_from(reason))
        .values(chat_unreachable_reason=reason)
    )
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
