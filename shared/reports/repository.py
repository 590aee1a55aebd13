"""The report's queries: totals and breakdowns are aggregated by PostgreSQL, and so are each
order's dishes and extras into the per-person lines (one statement per page)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

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


def _number(value: str) -> str:
    """SQL for a numeric(10, 2) written as Python writes float(value) in JSON ("180.0",
    "60.5"): the shortest form, which for two places is the decimal without trailing zeros."""
    return (
        f"CASE WHEN ({value}) = trunc({value}) THEN trunc({value})::text || '.0' "
        f"ELSE rtrim(({value})::text, '0') END"
    )


def _string(value: str) -> str:
    return f"to_json({value}::text)::text"


def _object(*fields: tuple[str, str]) -> str:
    """SQL concatenating a compact JSON object: `fields` are (key, SQL of its JSON text)."""
    parts = " || ',' || ".join(f"'\"{key}\":' || {sql}" for key, sql in fields)
    return f"'{{' || {parts} || '}}'"


def _list(element: str, source: str) -> str:
    """SQL for a compact JSON list of `element` over the rows of `source` (FROM ... WHERE ...),
    in the order the lines were written."""
    return (
        f"coalesce((SELECT '[' || string_agg({element}, ',' ORDER BY position) || ']' "
        f"{source}), '[]')"
    )


_PRICE = "CAST(coalesce(i.unit_price, 0) AS numeric(10, 2))"
_PERSON = _object(
    ("order_id", "p.id::text"),
    ("order_date", "'\"' || to_char(p.order_date, 'YYYY-MM-DD') || '\"'"),
    ("user_tgid", "p.user_tgid::text"),
    ("user_name", _string("p.user_name")),
    ("combo_name", f"coalesce({_string('p.combo_name')}, 'null')"),
    ("combo_price", f"coalesce({_number('p.combo_price')}, 'null')"),
    (
        "combo_items",
        _list(
            _object(
                ("category", _string("i.category")),
                ("menu_item_name", _string("i.menu_item_name")),
            ),
            "FROM order_items i WHERE i.order_id = p.id AND i.kind = 'combo'",
        ),
    ),
    (
        "items",
        _list(
            _object(
                ("category", _string("i.category")),
                ("menu_item_name", _string("i.menu_item_name")),
                ("quantity", "i.quantity::text"),
                (
                    "options",
                    # Compact, in the order jsonb keeps the keys (what json.loads of it gives).
                    "coalesce((SELECT '{' || string_agg(to_json(o.key)::text || ':' || "
                    "o.value::text, ',' ORDER BY o.n) || '}' "
                    "FROM jsonb_each(i.options) WITH ORDINALITY AS o(key, value, n)), '{}')",
                ),
                ("price", _number(_PRICE)),
                ("subtotal", _number(f"{_PRICE} * i.quantity")),
            ),
            "FROM order_items i WHERE i.order_id = p.id AND i.kind <> 'combo'",
        ),
    ),
    (
        "extras",
        _list(
            _object(
                ("menu_item_name", _string("e.menu_item_name")),
                ("quantity", "e.quantity::text"),
                ("price", _number("e.unit_price")),
                ("subtotal", _number("e.unit_price * e.quantity")),
            ),
            "FROM order_extras e WHERE e.order_id = p.id",
        ),
    ),
    ("notes", f"coalesce({_string('p.notes')}, 'null')"),
    ("total", _number("p.total_price")),
)

# One statement for a page of people lines, each written by PostgreSQL as the JSON the API sends
# (PersonLine, compact, numbers as the Money type writes them): Python splices the text into the
# body rather than building, validating and serialising some ten objects per line.
PEOPLE_PAGE = text(
    f"""
    SELECT p.user_name, p.notes, {_PERSON}
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
    """An order as the cafe packs it: who, their note, and the whole line as JSON text."""

    user_name: str
    notes: str | None
    json: str


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
