"""Every query about cafes, menus, combos and schedules."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shared.cafes.deadlines import DaySchedule
from shared.models import Cafe, Combo, DeadlineSchedule, MenuItem


async def get_cafe(session: AsyncSession, cafe_id: int) -> Cafe | None:
    return await session.get(Cafe, cafe_id)


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
