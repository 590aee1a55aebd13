"""The report's queries: totals and breakdowns are aggregated by PostgreSQL, and so are each
order's dishes and extras into the per-person lines (one statement per page)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Order, OrderExtra, OrderItem, OrderStatus, Summary


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


# One statement for a page of people lines: PostgreSQL folds each order's dishes and extras into
# JSON lists already shaped as the API sends them (the driver parses them in C), so Python does
# no per-dish work. Numbers keep their numeric text ("180.00"), which parses to the same float
# the API's Money serialiser writes.
PEOPLE_PAGE = text(
    """
    SELECT p.id, p.order_date, p.user_tgid, p.user_name, p.combo_name, p.combo_price, p.notes,
           p.total_price,
           (SELECT json_agg(json_build_object(
                       'category', i.category, 'menu_item_name', i.menu_item_name)
                       ORDER BY i.position)
              FROM order_items i WHERE i.order_id = p.id AND i.kind = 'combo') AS combo_items,
           (SELECT json_agg(json_build_object(
                       'category', i.category, 'menu_item_name', i.menu_item_name,
                       'quantity', i.quantity,
                       'options', coalesce(i.options, CAST('{}' AS jsonb)),
                       'price', CAST(coalesce(i.unit_price, 0) AS numeric(10, 2)),
                       'subtotal', CAST(coalesce(i.unit_price, 0) AS numeric(10, 2)) * i.quantity)
                       ORDER BY i.position)
              FROM order_items i WHERE i.order_id = p.id AND i.kind <> 'combo') AS items,
           (SELECT json_agg(json_build_object(
                       'menu_item_name', e.menu_item_name, 'quantity', e.quantity,
                       'price', e.unit_price, 'subtotal', e.unit_price * e.quantity)
                       ORDER BY e.position)
              FROM order_extras e WHERE e.order_id = p.id) AS extras
      FROM (SELECT o.id, o.order_date, o.user_tgid, u.name AS user_name, o.combo_name,
                   o.combo_price, o.notes, o.total_price
              FROM orders o JOIN users u ON u.tgid = o.user_tgid
             WHERE o.cafe_id = :cafe AND o.order_date BETWEEN :first AND :last
               AND o.status <> 'cancelled'
             ORDER BY o.order_date, u.name, o.id
            OFFSET :offset LIMIT :limit) AS p
     ORDER BY p.order_date, p.user_name, p.id
    """
)


class PersonRow(NamedTuple):
    """An order as the cafe packs it; the lists are JSON-ready (numbers as floats)."""

    order_id: int
    order_date: date
    user_tgid: int
    user_name: str
    combo_name: str | None
    combo_price: Decimal | None
    notes: str | None
    total: Decimal
    combo_items: list[dict[str, Any]] | None
    items: list[dict[str, Any]] | None
    extras: list[dict[str, Any]] | None


async def person_rows(
    session: AsyncSession,
    cafe_id: int,
    first: date,
    last: date,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[PersonRow]:
    """Active orders with their lines, by date and name: a page of them from `offset`, at most
    `limit` (None: all)."""
    params = {"cafe": cafe_id, "first": first, "last": last, "offset": offset, "limit": limit}
    result = await session.execute(PEOPLE_PAGE, params)
    return [PersonRow(*row) for row in result.all()]


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
