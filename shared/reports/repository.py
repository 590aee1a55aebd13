"""The report's queries: totals and breakdowns are aggregated by PostgreSQL; the per-person lines
come back as plain rows (orders, their dishes, their extras) folded together by order id."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import ItemKind, Order, OrderExtra, OrderItem, OrderStatus, Summary, User


class ItemRow(NamedTuple):
    kind: str
    category: str
    name: str
    quantity: int
    options: dict[str, Any] | None
    price: Decimal | None


class ExtraRow(NamedTuple):
    name: str
    quantity: int
    price: Decimal


@dataclass(frozen=True, slots=True)
class PersonRow:
    order_id: int
    order_date: date
    user_tgid: int
    user_name: str
    combo_name: str | None
    combo_price: Decimal | None
    notes: str | None
    total: Decimal
    items: list[ItemRow]
    extras: list[ExtraRow]


def _active(cafe_id: int, first: date, last: date) -> list[ColumnElement[bool]]:
    return [
        Order.cafe_id == cafe_id,
        Order.order_date.between(first, last),
        Order.status != OrderStatus.CANCELLED,
    ]


async def totals(
    session: AsyncSession, cafe_id: int, first: date, last: date
) -> tuple[int, Decimal]:
    """How many active orders and what they cost together."""
    statement = select(func.count(), func.coalesce(func.sum(Order.total_price), 0)).where(
        *_active(cafe_id, first, last)
    )
    count, amount = (await session.execute(statement)).one()
    return int(count), Decimal(amount)


async def combo_counts(
    session: AsyncSession, cafe_id: int, first: date, last: date
) -> Sequence[tuple[str, int, Decimal]]:
    """Each combo by name: how many and at what total (at the prices copied into the orders)."""
    quantity = func.count().label("quantity")
    statement = (
        select(Order.combo_name, quantity, func.sum(Order.combo_price))
        .where(*_active(cafe_id, first, last), Order.combo_name.is_not(None))
        .group_by(Order.combo_name)
        .order_by(quantity.desc(), Order.combo_name)
    )
    return [
        (str(name), int(count), Decimal(total or 0))
        for name, count, total in (await session.execute(statement)).all()
    ]


async def dish_counts(
    session: AsyncSession, cafe_id: int, first: date, last: date
) -> Sequence[tuple[str, str, int]]:
    """Each dish by category: portions to cook, combo picks and standalone orders together."""
    quantity = func.sum(OrderItem.quantity).label("quantity")
    statement = (
        select(OrderItem.category, OrderItem.menu_item_name, quantity)
        .join(Order, Order.id == OrderItem.order_id)
        .where(*_active(cafe_id, first, last))
        .group_by(OrderItem.category, OrderItem.menu_item_name)
        .order_by(OrderItem.category, quantity.desc(), OrderItem.menu_item_name)
    )
    return [(str(c), str(n), int(q)) for c, n, q in (await session.execute(statement)).all()]


async def extra_counts(
    session: AsyncSession, cafe_id: int, first: date, last: date
) -> Sequence[tuple[str, int, Decimal]]:
    """Each extra by name: how many and at what total."""
    quantity = func.sum(OrderExtra.quantity).label("quantity")
    statement = (
        select(
            OrderExtra.menu_item_name,
            quantity,
            func.sum(OrderExtra.quantity * OrderExtra.unit_price),
        )
        .join(Order, Order.id == OrderExtra.order_id)
        .where(*_active(cafe_id, first, last))
        .group_by(OrderExtra.menu_item_name)
        .order_by(quantity.desc(), OrderExtra.menu_item_name)
    )
    return [(str(n), int(q), Decimal(t)) for n, q, t in (await session.execute(statement)).all()]


async def person_rows(
    session: AsyncSession,
    cafe_id: int,
    first: date,
    last: date,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[PersonRow]:
    """Active orders with their lines, by date and name (a page of them from `offset`, at most
    `limit`): three flat queries, no ORM objects."""
    active = _active(cafe_id, first, last)
    orders = (
        select(
            Order.id,
            Order.order_date,
            Order.user_tgid,
            User.name,
            Order.combo_name,
            Order.combo_price,
            Order.notes,
            Order.total_price,
        )
        .join(User, User.tgid == Order.user_tgid)
        .where(*active)
        .order_by(Order.order_date, User.name, Order.id)
        .offset(offset)
        .limit(limit)
    )
    order_rows = (await session.execute(orders)).all()
    if not order_rows:
        return []
    # The page's orders only: its lines are fetched by id, never the whole period's.
    page_ids = [row[0] for row in order_rows]
    items = (
        select(
            OrderItem.order_id,
            OrderItem.kind,
            OrderItem.category,
            OrderItem.menu_item_name,
            OrderItem.quantity,
            # Combo picks carry no options: not sending their '{}' spares decoding it per row.
            case((OrderItem.kind == ItemKind.STANDALONE, OrderItem.options)),
            OrderItem.unit_price,
        )
        .where(OrderItem.order_id.in_(page_ids))
        .order_by(OrderItem.order_id, OrderItem.position)
    )
    extras = (
        select(
            OrderExtra.order_id,
            OrderExtra.menu_item_name,
            OrderExtra.quantity,
            OrderExtra.unit_price,
        )
        .where(OrderExtra.order_id.in_(page_ids))
        .order_by(OrderExtra.order_id, OrderExtra.position)
    )
    lines: dict[int, list[ItemRow]] = defaultdict(list)
    for order_id, *item in (await session.execute(items)).all():
        lines[order_id].append(ItemRow(*item))
    extra_lines: dict[int, list[ExtraRow]] = defaultdict(list)
    for order_id, name, quantity, price in (await session.execute(extras)).all():
        extra_lines[order_id].append(ExtraRow(name, quantity, price))
    return [
        PersonRow(*row, items=lines.get(row[0], []), extras=extra_lines.get(row[0], []))
        for row in order_rows
    ]


async def save_summary(session: AsyncSession, cafe_id: int, day: date, created_by: int) -> bool:
    """Record the summary for a cafe and date; False when it was already there."""
    statement = (
        insert(Summary)
        .values(cafe_id=cafe_id, order_date=day, created_by=created_by)
        .on_conflict_do_nothing(index_elements=["cafe_id", "order_date"])
        .returning(Summary.id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def summary_for(session: AsyncSession, cafe_id: int, day: date) -> Summary | None:
    statement = select(Summary).where(Summary.cafe_id == cafe_id, Summary.order_date == day)
    return (await session.execute(statement)).scalar_one_or_none()


async def get_summary(session: AsyncSession, summary_id: int) -> Summary | None:
    return await session.get(Summary, summary_id)


async def list_summaries(
    session: AsyncSession, *, cafe_id: int | None, first: date | None, last: date | None
) -> Sequence[Summary]:
    statement = select(Summary).order_by(Summary.order_date.desc(), Summary.cafe_id)
    if cafe_id is not None:
        statement = statement.where(Summary.cafe_id == cafe_id)
    if first is not None:
        statement = statement.where(Summary.order_date >= first)
    if last is not None:
        statement = statement.where(Summary.order_date <= last)
    return (await session.execute(statement)).scalars().all()


async def delete_summary(session: AsyncSession, summary_id: int) -> bool:
    result = await session.execute(
        delete(Summary).where(Summary.id == summary_id).returning(Summary.id)
    )
    return result.scalar_one_or_none() is not None
