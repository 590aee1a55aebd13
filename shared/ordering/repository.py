"""Every query about orders."""

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Numeric,
    ScalarSelect,
    Select,
    SQLColumnExpression,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from shared.cafes.deadlines import DaySchedule
from shared.models import (
    Cafe,
    CafeArrival,
    Combo,
    DeadlineSchedule,
    MenuItem,
    Order,
    OrderExtra,
    OrderItem,
    OrderStatus,
    User,
)
from shared.ordering.schemas import (
    EXTRA_COLUMNS,
    ITEM_COLUMNS,
    ORDER_COLUMNS,
    OrderOut,
    answer,
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


def _placement_statement() -> Select[Cafe, DeadlineSchedule, Combo, MenuItem, bool, Decimal]:
    active = Order.status != OrderStatus.CANCELLED
    has_order = exists().where(
        Order.user_tgid == bindparam("user_tgid"),
        Order.cafe_id == bindparam("cafe_id"),
        Order.order_date == bindparam("order_date"),
        active,
    )
    spent = (
        select(func.coalesce(func.sum(Order.total_price), 0))
        .where(
            Order.user_tgid == bindparam("user_tgid"),
            Order.order_date.between(bindparam("week_first"), bindparam("week_last")),
            active,
        )
        .scalar_subquery()
    )
    return (
        select(Cafe, DeadlineSchedule, Combo, MenuItem, has_order, spent)
        .select_from(Cafe)
        .outerjoin(
            DeadlineSchedule,
            and_(
                DeadlineSchedule.cafe_id == Cafe.id,
                DeadlineSchedule.weekday == bindparam("weekday"),
            ),
        )
        # No combo asked for: combo_id is NULL and matches nothing.
        .outerjoin(Combo, Combo.id == bindparam("combo_id"))
        # Dishes of other cafes are fetched too: the caller refuses them by name.
        .outerjoin(MenuItem, MenuItem.id.in_(bindparam("item_ids", expanding=True)))
        .where(Cafe.id == bindparam("cafe_id"))
        .options(joinedload(MenuItem.options))
    )


# Built once: constructing this statement per order cost more than running it.
_PLACEMENT = _placement_statement()


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
    parameters = {
        "user_tgid": user_tgid,
        "cafe_id": cafe_id,
        "order_date": order_date,
        "week_first": week[0],
        "week_last": week[1],
        "weekday": order_date.weekday(),
        "combo_id": combo_id,
        "item_ids": sorted(set(item_ids)),
    }
    rows = (await session.execute(_PLACEMENT, parameters)).unique().all()
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


# One statement writes the order and all its lines: each line kind goes in as parallel arrays
# (unnest), so the text is the same for every order and is prepared once per connection.
_INSERT_ORDER = text(
    """
    WITH placed AS (
        INSERT INTO orders (user_tgid, cafe_id, order_date, status, combo_id, combo_name,
                            combo_price, notes, total_price)
        VALUES (:user_tgid, :cafe_id, :order_date, :status, :combo_id, :combo_name,
                :combo_price, :notes, :total_price)
        RETURNING id, created_at, updated_at
    ), lines AS (
        INSERT INTO order_items (order_id, position, kind, category, menu_item_id,
                                 menu_item_name, quantity, options, option_prices, unit_price)
        SELECT placed.id, line.*
        FROM placed, unnest(
            CAST(:item_positions AS integer[]), CAST(:item_kinds AS varchar[]),
            CAST(:item_categories AS varchar[]), CAST(:item_menu_ids AS integer[]),
            CAST(:item_names AS varchar[]), CAST(:item_quantities AS integer[]),
            CAST(CAST(:item_options AS text[]) AS jsonb[]),
            CAST(CAST(:item_option_prices AS text[]) AS jsonb[]), CAST(:item_prices AS numeric[])
        ) AS line
    ), extras AS (
        INSERT INTO order_extras (order_id, position, menu_item_id, menu_item_name, quantity,
                                  unit_price)
        SELECT placed.id, extra.*
        FROM placed, unnest(
            CAST(:extra_positions AS integer[]), CAST(:extra_menu_ids AS integer[]),
            CAST(:extra_names AS varchar[]), CAST(:extra_quantities AS integer[]),
            CAST(:extra_prices AS numeric[])
        ) AS extra
    )
    SELECT id, created_at, updated_at FROM placed
    """
)


async def insert_order(session: AsyncSession, order: Order) -> None:
    """Write a new order with its items and extras in one round trip, without the ORM's
    unit of work; the order gets its id and the database's timestamps, and stays detached."""
    items, extras = order.items, order.extras
    row = (
        await session.execute(
            _INSERT_ORDER,
            {
                "user_tgid": order.user_tgid,
                "cafe_id": order.cafe_id,
                "order_date": order.order_date,
                "status": str(order.status),
                "combo_id": order.combo_id,
                "combo_name": order.combo_name,
                "combo_price": order.combo_price,
                "notes": order.notes,
                "total_price": order.total_price,
                "item_positions": [item.position for item in items],
                "item_kinds": [str(item.kind) for item in items],
                "item_categories": [item.category for item in items],
                "item_menu_ids": [item.menu_item_id for item in items],
                "item_names": [item.menu_item_name for item in items],
                "item_quantities": [item.quantity for item in items],
                "item_options": [json.dumps(item.options) for item in items],
                "item_option_prices": [json.dumps(item.option_prices or {}) for item in items],
                "item_prices": [item.unit_price for item in items],
                "extra_positions": [extra.position for extra in extras],
                "extra_menu_ids": [extra.menu_item_id for extra in extras],
                "extra_names": [extra.menu_item_name for extra in extras],
                "extra_quantities": [extra.quantity for extra in extras],
                "extra_prices": [extra.unit_price for extra in extras],
            },
        )
    ).one()
    order.id, order.created_at, order.updated_at = row


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


# What GET /orders may filter by, and GET /orders/{id}: each bound by its own name.
_FILTERS: dict[str, InstrumentedAttribute[Any]] = {
    "user_tgid": Order.user_tgid,
    "order_date": Order.order_date,
    "cafe_id": Order.cafe_id,
    "status": Order.status,
    "id": Order.id,
}


def _filtered(filters: tuple[str, ...]) -> list[ColumnElement[bool]]:
    return [_FILTERS[name] == bindparam(name) for name in filters]


def _lines_json(
    table: type[OrderItem] | type[OrderExtra],
    names: tuple[str, ...],
    *,
    position: SQLColumnExpression[int],
) -> Any:
    """A line table's rows of one order as a JSON array of its `names`, by position ([] if
    none)."""
    pairs: list[Any] = []
    for name in names:
        column = getattr(table, name)
        # Money travels as text inside JSON: a JSON number would come back as a float.
        value = cast(column, Text) if isinstance(column.type, Numeric) else column
        pairs += [literal_column(f"'{name}'"), value]
    return func.coalesce(
        func.json_agg(aggregate_order_by(func.json_build_object(*pairs), position)),
        literal_column("'[]'::json"),
    )


@cache
def _orders_out_statement(filters: tuple[str, ...]) -> Select[Any]:
    """A page of orders with names, lines and extras (JSON) and the total: one statement.

    Built once per set of filters (values, limit and offset are bound): building it per request
    cost a tenth of a page's time.
    """
    conditions = _filtered(filters)
    page = (
        select(
            *(getattr(Order, name) for name in ORDER_COLUMNS),
            User.name.label("user_name"),
            Cafe.name.label("cafe_name"),
            delivered_at().label("delivered_at"),
        )
        .join(User, User.tgid == Order.user_tgid)
        .join(Cafe, Cafe.id == Order.cafe_id)
        .where(*conditions)
        .order_by(Order.order_date.desc(), Order.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("page")
    )
    # The lines as JSON objects keyed as `answer` reads them.
    items = (
        select(_lines_json(OrderItem, ITEM_COLUMNS, position=OrderItem.position))
        .where(OrderItem.order_id == page.c.id)
        .scalar_subquery()
    )
    extras = (
        select(_lines_json(OrderExtra, EXTRA_COLUMNS, position=OrderExtra.position))
        .where(OrderExtra.order_id == page.c.id)
        .scalar_subquery()
    )
    # Evaluated once for the statement (an uncorrelated subquery), not per row.
    total = select(func.count()).select_from(Order).where(*conditions).scalar_subquery()
    return select(
        page, items.label("items"), extras.label("extras"), total.label("total")
    ).order_by(page.c.order_date.desc(), page.c.id.desc())


async def list_orders(
    session: AsyncSession,
    *,
    user_tgid: int | None,
    order_date: date | None,
    cafe_id: int | None,
    status: OrderStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[OrderOut], int]:
    """One page of orders (newest date first) as the API shows them, and how many match in all.

    One statement, straight from rows to the API's shapes: no ORM objects for a page of 100.
    """
    given = {"user_tgid": user_tgid, "order_date": order_date, "cafe_id": cafe_id, "status": status}
    values = {name: value for name, value in given.items() if value is not None}
    statement = _orders_out_statement(tuple(values))
    rows = (await session.execute(statement, {**values, "limit": limit, "offset": offset})).all()
    if rows:
        return [answer(row._mapping) for row in rows], rows[0].total
    # A page past the end has no row to carry the total.
    count = select(func.count()).select_from(Order).where(*_filtered(tuple(values)))
    total = await session.scalar(count, values)
    return [], total or 0


async def order_out(session: AsyncSession, order_id: int) -> OrderOut | None:
    """One order as the API shows it, in one statement; None if there is none."""
    parameters = {"id": order_id, "limit": 1, "offset": 0}
    row = (await session.execute(_orders_out_statement(("id",)), parameters)).one_or_none()
    return None if row is None else answer(row._mapping)


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
    return (await orders_with_names_many(session, [(cafe_id, order_date)]))[cafe_id, order_date]


async def orders_with_names_many(
    session: AsyncSession, pairs: Collection[tuple[int, date]]
) -> dict[tuple[int, date], list[tuple[Order, str, str]]]:
    """Active orders with each employee's name and office, by name, for each (cafe_id,
    order_date) pair asked for: one statement for a whole batch of cafes."""
    found: dict[tuple[int, date], list[tuple[Order, str, str]]] = {pair: [] for pair in pairs}
    if not pairs:
        return found
    statement = (
        select(Order, User.name, User.office)
        .join(User, User.tgid == Order.user_tgid)
        .where(
            tuple_(Order.cafe_id, Order.order_date).in_(list(pairs)),
            Order.status != OrderStatus.CANCELLED,
        )
        .options(selectinload(Order.items), selectinload(Order.extras))
        .order_by(User.name, Order.id)
    )
    for order, name, office in (await session.execute(statement)).all():
        found[order.cafe_id, order.order_date].append((order, name, office))
    return found


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
