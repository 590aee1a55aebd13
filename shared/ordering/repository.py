"""Every query about orders."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, CursorResult, ScalarSelect, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shared.models import Cafe, CafeArrival, Order, OrderStatus, User


@dataclass(frozen=True)
class OrderView:
    """An order with what its API view needs beside it."""

    order: Order
    status: OrderStatus
    user_name: str
    cafe_name: str
    # When the cafe reported the lunch delivered ("Привезли"); None until then.
    delivered_at: datetime | None = None


def delivered_at() -> ScalarSelect[datetime]:
    """When the order's cafe reported that day's lunch delivered, if it did."""
    return (
        select(CafeArrival.arrived_at)
        .where(CafeArrival.cafe_id == Order.cafe_id, CafeArrival.order_date == Order.order_date)
        .scalar_subquery()
    )


def _with_names() -> Select[Order, OrderStatus, str, str, datetime | None]:
    return (
        select(Order, Order.status, User.name, Cafe.name, delivered_at())
        .join(User, User.tgid == Order.user_tgid)
        .join(Cafe, Cafe.id == Order.cafe_id)
        .options(selectinload(Order.items), selectinload(Order.extras))
    )


async def get_order(
    session: AsyncSession, order_id: int, *, for_update: bool = False
) -> Order | None:
    statement = (
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.items), selectinload(Order.extras))
    )
    if for_update:
        statement = statement.with_for_update(of=Order)
    return (await session.execute(statement)).scalar_one_or_none()


async def order_view(session: AsyncSession, order_id: int) -> OrderView | None:
    """The order with its status and the employee's and cafe's names."""
    row = (await session.execute(_with_names().where(Order.id == order_id))).one_or_none()
    if row is None:
        return None
    order, status, user_name, cafe_name, delivered = row
    return OrderView(order, OrderStatus(status), user_name, cafe_name, delivered)


async def list_orders(
    session: AsyncSession,
    *,
    user_tgid: int | None,
    order_date: date | None,
    cafe_id: int | None,
    status: OrderStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[OrderView], int]:
    """One page of orders (newest date first) and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if user_tgid is not None:
        conditions.append(Order.user_tgid == user_tgid)
    if order_date is not None:
        conditions.append(Order.order_date == order_date)
    if cafe_id is not None:
        conditions.append(Order.cafe_id == cafe_id)
    if status is not None:
        conditions.append(Order.status == status)
    total = await session.scalar(select(func.count()).select_from(Order).where(*conditions))
    statement = (
        _with_names()
        .where(*conditions)
        .order_by(Order.order_date.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    )
    views = [
        OrderView(order, OrderStatus(shown), user_name, cafe_name, delivered)
        for order, shown, user_name, cafe_name, delivered in (
            await session.execute(statement)
        ).all()
    ]
    return views, total or 0


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
) -> list[tuple[Order, str, str]]:
    """Active orders of a cafe for a date with each employee's name and office, by name."""
    statement = (
        select(Order, User.name, User.office)
        .join(User, User.tgid == Order.user_tgid)
        .where(
            Order.cafe_id == cafe_id,
            Order.order_date == order_date,
            Order.status != OrderStatus.CANCELLED,
        )
        .options(selectinload(Order.items), selectinload(Order.extras))
        .order_by(User.name, Order.id)
    )
    return [
        (order, name, office) for order, name, office in (await session.execute(statement)).all()
    ]


async def next_order_date(session: AsyncSession, cafe_id: int, today: date) -> date | None:
    """The first date from `today` on for which the cafe has active orders."""
    statement = select(func.min(Order.order_date)).where(
        Order.cafe_id == cafe_id,
        Order.order_date >= today,
        Order.status != OrderStatus.CANCELLED,
    )
    return await session.scalar(statement)


async def confirm_pending(session: AsyncSession, cafe_id: int, order_date: date) -> int:
    """Mark the cafe's pending orders for the date confirmed; how many there were."""
    statement = (
        update(Order)
        .where(
            Order.cafe_id == cafe_id,
            Order.order_date == order_date,
            Order.status == OrderStatus.PENDING,
        )
        .values(status=OrderStatus.CONFIRMED)
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)  # an UPDATE answers with a cursor's row count
    return result.rowcount
