"""Every query about orders."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    ScalarSelect,
    Select,
    and_,
    exists,
    false,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from shared.cafes.deadlines import DaySchedule
from shared.models import (
    Cafe,
    CafeArrival,
    Combo,
    DeadlineSchedule,
    MenuItem,
    Order,
    OrderStatus,
    User,
)


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


@dataclass(frozen=True)
class PlacementFacts:
    """Everything placing an order reads, fetched in one round trip."""

    cafe: Cafe
    schedule: DaySchedule | None
    combo: Combo | None
    menu: dict[int, MenuItem]
    has_active_order: bool
    spent_this_week: Decimal


async def placement_facts(
    session: AsyncSession,
    *,
    user_tgid: int,
    cafe_id: int,
    order_date: date,
    week: tuple[date, date],
    combo_id: int | None,
    item_ids: Sequence[int],
) -> PlacementFacts | None:
    """The cafe, its schedule for the weekday, the combo, the dishes with their options, whether
    the user already has an active order there that day and what they spent that week.

    One statement instead of six: every round trip is paid on each order. None if no such cafe.
    """
    active = Order.status != OrderStatus.CANCELLED
    has_order = exists().where(
        Order.user_tgid == user_tgid,
        Order.cafe_id == cafe_id,
        Order.order_date == order_date,
        active,
    )
    spent = (
        select(func.coalesce(func.sum(Order.total_price), 0))
        .where(Order.user_tgid == user_tgid, Order.order_date.between(*week), active)
        .scalar_subquery()
    )
    ids = sorted(set(item_ids))
    statement = (
        select(Cafe, DeadlineSchedule, Combo, MenuItem, has_order, spent)
        .select_from(Cafe)
        .outerjoin(
            DeadlineSchedule,
            and_(
                DeadlineSchedule.cafe_id == Cafe.id,
                DeadlineSchedule.weekday == order_date.weekday(),
            ),
        )
        .outerjoin(Combo, Combo.id == combo_id if combo_id is not None else false())
        # Dishes of other cafes are fetched too: the caller refuses them by name.
        .outerjoin(MenuItem, MenuItem.id.in_(ids) if ids else false())
        .where(Cafe.id == cafe_id)
        .options(joinedload(MenuItem.options))
    )
    rows = (await session.execute(statement)).unique().all()
    if not rows:
        return None
    cafe, row, combo, _, has_active, spent_total = rows[0]
    schedule = (
        None
        if row is None
        else DaySchedule(
            deadline_time=row.deadline_time,
            advance_days=row.advance_days,
            is_enabled=row.is_enabled,
        )
    )
    menu = {dish.id: dish for *_, dish, _, _ in rows if dish is not None}
    return PlacementFacts(cafe, schedule, combo, menu, bool(has_active), Decimal(spent_total))


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


async def confirm_pending_many(session: AsyncSession, pairs: Sequence[tuple[int, date]]) -> int:
    """`confirm_pending` for many (cafe_id, order_date) pairs in one statement."""
    if not pairs:
        return 0
    statement = (
        update(Order)
        .where(
            tuple_(Order.cafe_id, Order.order_date).in_(list(pairs)),
            Order.status == OrderStatus.PENDING,
        )
        .values(status=OrderStatus.CONFIRMED)
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)  # an UPDATE answers with a cursor's row count
    return result.rowcount
