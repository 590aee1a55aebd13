"""Every query about cafes, menus, combos and schedules."""

from collections.abc import Sequence

from sqlalchemy import CursorResult, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shared.cafes.deadlines import DaySchedule
from shared.models import Cafe, Combo, DeadlineSchedule, MenuItem, Order, OrderExtra, OrderItem


async def get_cafe(session: AsyncSession, cafe_id: int, *, for_update: bool = False) -> Cafe | None:
    """The cafe; locked and re-read from the database (not the session's copy) for an update."""
    if not for_update:
        return await session.get(Cafe, cafe_id)
    statement = (
        select(Cafe)
        .where(Cafe.id == cafe_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def list_cafes(
    session: AsyncSession, *, active_only: bool, limit: int | None = None
) -> Sequence[Cafe]:
    statement = select(Cafe).order_by(Cafe.name, Cafe.id).limit(limit)
    if active_only:
        statement = statement.where(Cafe.is_active.is_(True))
    return (await session.execute(statement)).scalars().all()


async def set_chat_unreachable(session: AsyncSession, chat_id: int, reason: str | None) -> int:
    """Mark (or clear, with None) the cafe linked to `chat_id` as unreachable; how many changed."""
    statement = (
        update(Cafe)
        .where(Cafe.tg_chat_id == chat_id)
        .where(Cafe.chat_unreachable_reason.is_distinct_from(reason))
        .values(chat_unreachable_reason=reason)
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)  # an UPDATE answers with a cursor's row count
    return result.rowcount


async def cafe_named(
    session: AsyncSession, name: str, *, except_id: int | None = None
) -> Cafe | None:
    """The cafe with this name, ignoring case (two cafes told apart only by case confuse people)."""
    # Compared in Python: PostgreSQL's lower() folds Cyrillic only under a UTF-8 collation.
    # There are tens of cafes, not thousands.
    for cafe in (await session.execute(select(Cafe))).scalars():
        if cafe.id != except_id and cafe.name.casefold() == name.casefold():
            return cafe
    return None


async def cafe_has_orders(session: AsyncSession, cafe_id: int) -> bool:
    return bool(await session.scalar(select(exists().where(Order.cafe_id == cafe_id))))


async def list_menu_items(
    session: AsyncSession,
    cafe_id: int,
    *,
    category: str | None,
    available_only: bool,
    labels: Sequence[str] = (),
    exclude_labels: Sequence[str] = (),
) -> Sequence[MenuItem]:
    statement = (
        select(MenuItem)
        .where(MenuItem.cafe_id == cafe_id)
        .options(selectinload(MenuItem.options))
        .order_by(MenuItem.category, MenuItem.name, MenuItem.id)
    )
    if category is not None:
        statement = statement.where(MenuItem.category == category)
    if available_only:
        statement = statement.where(MenuItem.is_available.is_(True))
    if labels:
        statement = statement.where(MenuItem.labels.contains(list(labels)))
    if exclude_labels:
        statement = statement.where(~MenuItem.labels.overlap(list(exclude_labels)))
    return (await session.execute(statement)).scalars().all()


async def get_menu_item(session: AsyncSession, cafe_id: int, item_id: int) -> MenuItem | None:
    """The cafe's dish with its options loaded."""
    statement = (
        select(MenuItem)
        .where(MenuItem.id == item_id, MenuItem.cafe_id == cafe_id)
        .options(selectinload(MenuItem.options))
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def list_combos(
    session: AsyncSession, cafe_id: int, *, available_only: bool
) -> Sequence[Combo]:
    statement = select(Combo).where(Combo.cafe_id == cafe_id).order_by(Combo.price, Combo.id)
    if available_only:
        statement = statement.where(Combo.is_available.is_(True))
    return (await session.execute(statement)).scalars().all()


async def combo_named(
    session: AsyncSession, cafe_id: int, name: str, *, except_id: int | None = None
) -> Combo | None:
    """The cafe's combo with this name, ignoring case (compared in Python, as for cafes)."""
    for combo in await list_combos(session, cafe_id, available_only=False):
        if combo.id != except_id and combo.name.casefold() == name.casefold():
            return combo
    return None


async def schedule_rows(session: AsyncSession, cafe_id: int) -> dict[int, DeadlineSchedule]:
    """The cafe's schedule rows by weekday (days never set up are missing)."""
    statement = select(DeadlineSchedule).where(DeadlineSchedule.cafe_id == cafe_id)
    return {row.weekday: row for row in (await session.execute(statement)).scalars()}


async def week_schedule(session: AsyncSession, cafe_id: int) -> dict[int, DaySchedule]:
    return {
        weekday: _as_day_schedule(row)
        for weekday, row in (await schedule_rows(session, cafe_id)).items()
    }


async def week_schedules(
    session: AsyncSession, cafe_ids: Sequence[int]
) -> dict[int, dict[int, DaySchedule]]:
    """Several cafes' schedules in one query: cafe id -> weekday -> schedule."""
    found: dict[int, dict[int, DaySchedule]] = {cafe_id: {} for cafe_id in cafe_ids}
    if not cafe_ids:
        return found
    statement = select(DeadlineSchedule).where(DeadlineSchedule.cafe_id.in_(cafe_ids))
    for row in (await session.execute(statement)).scalars():
        found[row.cafe_id][row.weekday] = _as_day_schedule(row)
    return found


async def get_combo(session: AsyncSession, combo_id: int) -> Combo | None:
    return await session.get(Combo, combo_id)


async def menu_items_by_id(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, MenuItem]:
    if not item_ids:
        return {}
    statement = (
        select(MenuItem)
        .where(MenuItem.id.in_(set(item_ids)))
        .options(selectinload(MenuItem.options))
    )
    return {item.id: item for item in (await session.execute(statement)).scalars()}


async def day_schedule(session: AsyncSession, cafe_id: int, weekday: int) -> DaySchedule | None:
    statement = select(DeadlineSchedule).where(
        DeadlineSchedule.cafe_id == cafe_id, DeadlineSchedule.weekday == weekday
    )
    row = (await session.execute(statement)).scalar_one_or_none()
    return _as_day_schedule(row) if row else None


async def enabled_schedules(session: AsyncSession) -> list[tuple[int, int, DaySchedule]]:
    """(cafe_id, weekday, schedule) for every active cafe's enabled weekday."""
    statement = (
        select(DeadlineSchedule)
        .join(Cafe, Cafe.id == DeadlineSchedule.cafe_id)
        .where(Cafe.is_active.is_(True), DeadlineSchedule.is_enabled.is_(True))
    )
    rows = (await session.execute(statement)).scalars()
    return [(row.cafe_id, row.weekday, _as_day_schedule(row)) for row in rows]


def _as_day_schedule(row: DeadlineSchedule) -> DaySchedule:
    return DaySchedule(
        deadline_time=row.deadline_time, advance_days=row.advance_days, is_enabled=row.is_enabled
    )


async def dish_labels(session: AsyncSession, placed: Sequence[Order]) -> dict[int, list[str]]:
    """The current dietary labels of the dishes in these orders, by menu item id."""
    lines: list[OrderItem | OrderExtra] = []
    for order in placed:
        lines += [*order.items, *order.extras]
    ids = {line.menu_item_id for line in lines if line.menu_item_id is not None}
    if not ids:
        return {}
    statement = select(MenuItem.id, MenuItem.labels).where(
        MenuItem.id.in_(ids), func.cardinality(MenuItem.labels) > 0
    )
    return {item_id: list(labels) for item_id, labels in (await session.execute(statement)).all()}
