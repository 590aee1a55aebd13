"""The report's query: totals and breakdowns are aggregated by PostgreSQL, and so are each
order's dishes and extras into the per-person lines (one statement per page, figures and all)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Summary


class Figures(NamedTuple):
    """A period's figures: active orders and their sum, then each combo by name (count and total),
    each dish by category (portions, combo picks and standalone together) and each extra by name
    (count and total), biggest first."""

    orders: int
    amount: Decimal
    combos: list[tuple[str, int, Decimal]]
    dishes: list[tuple[str, str, int]]
    extras: list[tuple[str, int, Decimal]]


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
                    # Compact, in the order jsonb keeps the keys (what json.loads of it gives);
                    # anything but an object (a JSON null) is sent as {}, as it always was.
                    "coalesce((SELECT '{' || string_agg(to_json(o.key)::text || ':' || "
                    "o.value::text, ',' ORDER BY o.n) || '}' FROM jsonb_each(CASE WHEN "
                    "jsonb_typeof(i.options) = 'object' THEN i.options END) "
                    "WITH ORDINALITY AS o(key, value, n)), '{}')",
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

# The period's active orders, as every part of the report selects them.
_PERIOD = "o.cafe_id = :cafe AND o.order_date BETWEEN :first AND :last AND o.status <> 'cancelled'"

# A page of people lines, each written by PostgreSQL as the JSON the API sends (PersonLine,
# compact, numbers as the Money type writes them): Python splices the text into the body rather
# than building, validating and serialising some ten objects per line.
_PAGE = f"""
    page AS (
        SELECT o.id, o.order_date, o.user_tgid, u.name AS user_name, o.combo_name,
               o.combo_price, o.notes, o.total_price,
               row_number() OVER (ORDER BY o.order_date, u.name, o.id) AS seq
          FROM orders o JOIN users u ON u.tgid = o.user_tgid
         WHERE {_PERIOD}
         ORDER BY o.order_date, u.name, o.id
        OFFSET :offset LIMIT :limit
    )"""
_PEOPLE = f"""
    SELECT 4, NULL, p.user_name, NULL, NULL, p.seq, p.notes, {_PERSON} FROM page AS p"""
# Rows: (part, category, name, quantity, amount, seq, notes, line). Part 0 is the count and
# sum of the orders, 1 each combo, 2 each dish, 3 each extra (biggest first), 4 the page's
# people lines in order.
_ORDER = "ORDER BY 1, 6, 2, 4 DESC, 3"
_COLUMNS = "NULL::bigint, NULL::text, NULL::text"

# The whole report in one statement, so in one snapshot: the figures cover exactly the orders
# the page is cut from (separate statements, even in one READ COMMITTED transaction, could
# count an order placed between them in one and not the other). The four aggregates read the
# period's orders once.
REPORT = text(
    f"""
    WITH o AS MATERIALIZED (
        SELECT o.id, o.combo_name, o.combo_price, o.total_price FROM orders o WHERE {_PERIOD}
    ), {_PAGE}
    SELECT 0, NULL, NULL, count(*), coalesce(sum(o.total_price), 0), {_COLUMNS} FROM o
    UNION ALL
    SELECT 1, NULL, o.combo_name, count(*), coalesce(sum(o.combo_price), 0), {_COLUMNS}
      FROM o WHERE o.combo_name IS NOT NULL GROUP BY o.combo_name
    UNION ALL
    SELECT 2, i.category, i.menu_item_name, sum(i.quantity), NULL, {_COLUMNS}
      FROM order_items i JOIN o ON o.id = i.order_id GROUP BY i.category, i.menu_item_name
    UNION ALL
    SELECT 3, NULL, e.menu_item_name, sum(e.quantity), sum(e.quantity * e.unit_price), {_COLUMNS}
      FROM order_extras e JOIN o ON o.id = e.order_id GROUP BY e.menu_item_name
    UNION ALL {_PEOPLE}
    {_ORDER}
    """
)

# The same without the breakdowns, for answers that have none (the CSV): aggregating every
# line of a long period is most of a page's time, and each page would pay it again.
PAGE_AND_COUNT = text(
    f"""
    WITH {_PAGE}
    SELECT 0, NULL, NULL, count(*), coalesce(sum(o.total_price), 0), {_COLUMNS}
      FROM orders o WHERE {_PERIOD}
    UNION ALL {_PEOPLE}
    {_ORDER}
    """
)


class PersonRow(NamedTuple):
    """An order as the cafe packs it: who, their note, and the whole line as JSON text."""

    user_name: str
    notes: str | None
    json: str


async def report_rows(
    session: AsyncSession,
    cafe_id: int,
    first: date,
    last: date,
    *,
    offset: int = 0,
    limit: int | None = None,
    breakdowns: bool = True,
) -> tuple[Figures, list[PersonRow]]:
    """The figures of a cafe's active orders for the dates first..last, and a page of them
    with their lines, by date and name: from `offset`, at most `limit` (None: all).

    Without `breakdowns`, the combos, dishes and extras of the figures are left empty.
    """
    params = {"cafe": cafe_id, "first": first, "last": last, "offset": offset, "limit": limit}
    statement = REPORT if breakdowns else PAGE_AND_COUNT
    figures = Figures(0, Decimal(0), [], [], [])
    people: list[PersonRow] = []
    for part, category, name, quantity, amount, _, notes, line in (
        await session.execute(statement, params)
    ).all():
        if part == 0:
            figures = figures._replace(orders=int(quantity), amount=Decimal(amount))
        elif part == 1:
            figures.combos.append((str(name), int(quantity), Decimal(amount)))
        elif part == 2:
            figures.dishes.append((str(category), str(name), int(quantity)))
        elif part == 3:
            figures.extras.append((str(name), int(quantity), Decimal(amount)))
        else:
            people.append(PersonRow(name, notes, line))
    return figures, people


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
