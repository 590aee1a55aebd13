"""Every query about orders."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shared.models import Order, OrderStatus, User


async def get_order(session: AsyncSession, order_id: int) -> Order | None:
    statement = (
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.items), selectinload(Order.extras))
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def active_order_id(
    session: AsyncSession, user_tgid: int, cafe_id: int, order_date: date
) -> int | None:
    statement = select(Order.id).where(
        Order.user_tgid == user_tgid,
        Order.cafe_id == cafe_id,
        Order.order_date == order_date,
        Order.status != OrderStatus.CANCELLED,
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def spent_between(
    session: AsyncSession, user_tgid: int, first: date, last: date, *, exclude_order: int | None
) -> Decimal:
    """What the user's active orders for dates first..last cost in total."""
    statement = select(func.coalesce(func.sum(Order.total_price), 0)).where(
        Order.user_tgid == user_tgid,
        Order.order_date.between(first, last),
        Order.status != OrderStatus.CANCELLED,
    )
    if exclude_order is not None:
        statement = statement.where(Order.id != exclude_order)
    return Decimal((await session.execute(statement)).scalar_one())


async def orders_with_names(
    session: AsyncSession, cafe_id: int, order_date: date
) -> list[tuple[Order, str]]:
    """Active orders of a cafe for a date with each employee's name, in the order placed."""
    statement = (
        select(Order, User.name)
        .join(User, User.tgid == Order.user_tgid)
        .where(
            Order.cafe_id == cafe_id,
            Order.order_date == order_date,
            Order.status != OrderStatus.CANCELLED,
        )
        .options(selectinload(Order.items), selectinload(Order.extras))
        .order_by(User.name, Order.id)
    )
    return [(order, name) for order, name in (await session.execute(statement)).all()]
