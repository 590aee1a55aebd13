"""Cafes, their menus, combos and schedules: what managers change and what employees may see.

Employees see only active cafes and available dishes and combos; anything hidden from them is
answered as if it did not exist. Managers see everything.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.cafes import repository as cafes
from shared.cafes.categories import EXTRA_CATEGORY
from shared.cafes.deadlines import (
    WEEKDAY_NAMES,
    WEEKDAY_NAMES_EN,
    Availability,
    DaySchedule,
    availability,
    next_deadline,
)
from shared.cafes.errors import (
    CafeExists,
    CafeHasOrders,
    ComboExists,
    ExtraNeedsPrice,
    InvalidSchedule,
    OptionExists,
)
from shared.cafes.schemas import (
    AvailabilityOut,
    CafeCreate,
    CafeOut,
    CafeUpdate,
    CafeWeekOut,
    ComboCreate,
    ComboUpdate,
    DayAvailabilityOut,
    MenuItemCreate,
    MenuItemUpdate,
    OptionCreate,
    OptionUpdate,
    ScheduleIn,
    ScheduleOut,
)
from shared.kit.errors import NotFound
from shared.kit.money import to_money
from shared.models import Cafe, Combo, DeadlineSchedule, MenuItem, MenuItemOption, User

DEFAULT_ADVANCE_DAYS = 1


# --- cafes ---------------------------------------------------------------------------------


async def visible_cafe(session: AsyncSession, cafe_id: int, viewer: User) -> Cafe:
    """The cafe, if the viewer may see it: employees never see inactive cafes."""
    cafe = await cafes.get_cafe(session, cafe_id)
    if cafe is None or not (cafe.is_active or viewer.is_manager):
        raise NotFound(f"Кафе #{cafe_id} не найдено", en=f"Cafe #{cafe_id} not found")
    return cafe


async def existing_cafe(session: AsyncSession, cafe_id: int, *, for_update: bool = False) -> Cafe:
    cafe = await cafes.get_cafe(session, cafe_id, for_update=for_update)
    if cafe is None:
        raise NotFound(f"Кафе #{cafe_id} не найдено", en=f"Cafe #{cafe_id} not found")
    return cafe


async def list_cafes(session: AsyncSession, viewer: User, *, active_only: bool) -> Sequence[Cafe]:
    """Cafes by name; only managers may ask for inactive ones too."""
    return await cafes.list_cafes(session, active_only=active_only or not viewer.is_manager)


async def cafes_to_pick(session: AsyncSession, *, limit: int) -> Sequence[Cafe]:
    """The active cafes a chat may ask to be linked to, by name."""
    return await cafes.list_cafes(session, active_only=True, limit=limit)


async def mark_chat_unreachable(session: AsyncSession, chat_id: int, reason: str | None) -> None:
    """Remember why the cafe linked to `chat_id` cannot be written to; None: it can again."""
    await cafes.set_chat_unreachable(session, chat_id, reason)


async def create_cafe(session: AsyncSession, data: CafeCreate) -> Cafe:
    await _check_cafe_name_free(session, data.name)
    cafe = Cafe(name=data.name, description=data.description, address=data.address)
    session.add(cafe)
    await _flush_cafe(session, cafe)
    await session.refresh(cafe, ["created_at"])
    return cafe


async def update_cafe(session: AsyncSession, cafe_id: int, patch: CafeUpdate) -> Cafe:
    cafe = await existing_cafe(session, cafe_id)
    changes = patch.changes()
    if "name" in changes:
        await _check_cafe_name_free(session, changes["name"], except_id=cafe.id)
    for field, value in changes.items():
        setattr(cafe, field, value)
    await _flush_cafe(session, cafe)
    return cafe


async def set_cafe_status(session: AsyncSession, cafe_id: int, *, is_active: bool) -> Cafe:
    """Open or close a cafe for ordering; its menu, schedule and orders stay."""
    cafe = await existing_cafe(session, cafe_id)
    cafe.is_active = is_active
    await session.flush()
    return cafe


async def delete_cafe(session: AsyncSession, cafe_id: int) -> None:
    """Delete a cafe with its menu and schedule; a cafe with orders is kept for their history."""
    cafe = await existing_cafe(session, cafe_id, for_update=True)
    if await cafes.cafe_has_orders(session, cafe.id):
        raise CafeHasOrders(
            f"У «{cafe.name}» есть заказы, поэтому его нельзя удалить: "
            "деактивируйте кафе, чтобы оно пропало из списка у сотрудников",
            en=f"«{cafe.name}» has orders, so it cannot be deleted: "
            "turn off «Takes orders» to hide it from employees",
        )
    await session.delete(cafe)
    await session.flush()


async def _check_cafe_name_free(
    session: AsyncSession, name: str, *, except_id: int | None = None
) -> None:
    if await cafes.cafe_named(session, name, except_id=except_id):
        raise CafeExists(
            f"Кафе «{name}» уже есть: выберите другое название",
            en=f"There is already a cafe «{name}»: choose another name",
            field="name",
        )


async def _flush_cafe(session: AsyncSession, cafe: Cafe) -> None:
    # The unique index decides when two managers create the same name at once.
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise CafeExists(
            f"Кафе «{cafe.name}» уже есть: выберите другое название",
            en=f"There is already a cafe «{cafe.name}»: choose another name",
            field="name",
        ) from None


# --- menu items ----------------------------------------------------------------------------


async def list_menu(
    session: AsyncSession,
    cafe_id: int,
    viewer: User,
    *,
    category: str | None,
    include_unavailable: bool | None,
    labels: Sequence[str] = (),
    exclude_labels: Sequence[str] = (),
) -> Sequence[MenuItem]:
    """The cafe's dishes; unavailable ones only for managers (by default, or when they ask).

    `labels`: only dishes with every one of them; `exclude_labels`: only dishes with none.
    """
    cafe = await visible_cafe(session, cafe_id, viewer)
    show_all = viewer.is_manager and include_unavailable is not False
    return await cafes.list_menu_items(
        session,
        cafe.id,
        category=category,
        available_only=not show_all,
        labels=labels,
        exclude_labels=exclude_labels,
    )


async def visible_menu_item(
    session: AsyncSession, cafe_id: int, item_id: int, viewer: User
) -> MenuItem:
    cafe = await visible_cafe(session, cafe_id, viewer)
    item = await cafes.get_menu_item(session, cafe.id, item_id)
    if item is None or not (item.is_available or viewer.is_manager):
        raise NotFound(
            f"Блюда #{item_id} нет в меню «{cafe.name}»",
            en=f"Dish #{item_id} is not on the menu of «{cafe.name}»",
        )
    return item


async def existing_menu_item(session: AsyncSession, cafe_id: int, item_id: int) -> MenuItem:
    cafe = await existing_cafe(session, cafe_id)
    item = await cafes.get_menu_item(session, cafe.id, item_id)
    if item is None:
        raise NotFound(
            f"Блюда #{item_id} нет в меню «{cafe.name}»",
            en=f"Dish #{item_id} is not on the menu of «{cafe.name}»",
        )
    return item


async def create_menu_item(session: AsyncSession, cafe_id: int, data: MenuItemCreate) -> MenuItem:
    cafe = await existing_cafe(session, cafe_id)
    price = to_money(data.price) if data.price is not None else None
    _check_priced(data.name, data.category, price)
    item = MenuItem(
        cafe_id=cafe.id,
        name=data.name,
        description=data.description,
        category=data.category,
        price=price,
        is_available=data.is_available,
        labels=list(data.labels),
        options=[],
    )
    session.add(item)
    await session.flush()
    return item


async def update_menu_item(
    session: AsyncSession, cafe_id: int, item_id: int, patch: MenuItemUpdate
) -> MenuItem:
    """Change a dish; orders already placed keep the name and price they were placed with."""
    item = await existing_menu_item(session, cafe_id, item_id)
    changes = patch.changes()
    if changes.get("price") is not None:
        changes["price"] = to_money(changes["price"])
    _check_priced(
        changes.get("name", item.name),
        changes.get("category", item.category),
        changes.get("price", item.price),
    )
    for field, value in changes.items():
        setattr(item, field, value)
    await session.flush()
    return item


async def delete_menu_item(session: AsyncSession, cafe_id: int, item_id: int) -> None:
    """Delete a dish and its options; past orders keep their copy of its name and price."""
    item = await existing_menu_item(session, cafe_id, item_id)
    await session.delete(item)
    await session.flush()


def _check_priced(name: str, category: str, price: object) -> None:
    if category == EXTRA_CATEGORY and price is None:
        raise ExtraNeedsPrice(
            f"«{name}» в категории extra продаётся только отдельно: укажите цену",
            en=f"«{name}» is an extra, sold only on its own: enter a price",
            field="price",
        )


# --- options -------------------------------------------------------------------------------


async def list_options(
    session: AsyncSession, cafe_id: int, item_id: int, viewer: User
) -> list[MenuItemOption]:
    item = await visible_menu_item(session, cafe_id, item_id, viewer)
    return list(item.options)


async def create_option(
    session: AsyncSession, cafe_id: int, item_id: int, data: OptionCreate
) -> MenuItemOption:
    item = await existing_menu_item(session, cafe_id, item_id)
    _check_option_name_free(item, data.name)
    option = MenuItemOption(
        menu_item_id=item.id,
        name=data.name,
        values=data.values,
        is_required=data.is_required,
        price=data.price,
    )
    item.options.append(option)
    await session.flush()
    return option


async def update_option(
    session: AsyncSession, cafe_id: int, item_id: int, option_id: int, patch: OptionUpdate
) -> MenuItemOption:
    item = await existing_menu_item(session, cafe_id, item_id)
    option = _option_of(item, option_id)
    changes = patch.changes()
    if "name" in changes:
        _check_option_name_free(item, changes["name"], except_id=option.id)
    for field, value in changes.items():
        setattr(option, field, value)
    await session.flush()
    return option


async def delete_option(session: AsyncSession, cafe_id: int, item_id: int, option_id: int) -> None:
    item = await existing_menu_item(session, cafe_id, item_id)
    item.options.remove(_option_of(item, option_id))
    await session.flush()


def _option_of(item: MenuItem, option_id: int) -> MenuItemOption:
    for option in item.options:
        if option.id == option_id:
            return option
    raise NotFound(
        f"У блюда «{item.name}» нет опции #{option_id}",
        en=f"«{item.name}» has no option #{option_id}",
    )


def _check_option_name_free(item: MenuItem, name: str, *, except_id: int | None = None) -> None:
    for option in item.options:
        if option.id != except_id and option.name.casefold() == name.casefold():
            raise OptionExists(
                f"У блюда «{item.name}» уже есть опция «{option.name}»",
                en=f"«{item.name}» already has an option «{option.name}»",
                field="name",
            )


# --- combos --------------------------------------------------------------------------------


async def list_combos(
    session: AsyncSession, cafe_id: int, viewer: User, *, include_unavailable: bool | None
) -> Sequence[Combo]:
    """The cafe's combos; unavailable ones only for managers."""
    cafe = await visible_cafe(session, cafe_id, viewer)
    show_all = viewer.is_manager and include_unavailable is not False
    return await cafes.list_combos(session, cafe.id, available_only=not show_all)


async def create_combo(session: AsyncSession, cafe_id: int, data: ComboCreate) -> Combo:
    cafe = await existing_cafe(session, cafe_id)
    await _check_combo_name_free(session, cafe, data.name)
    combo = Combo(
        cafe_id=cafe.id,
        name=data.name,
        categories=data.categories,
        price=to_money(data.price),
        is_available=data.is_available,
    )
    session.add(combo)
    await session.flush()
    return combo


async def update_combo(
    session: AsyncSession, cafe_id: int, combo_id: int, patch: ComboUpdate
) -> Combo:
    """Change a combo; orders already placed keep the name and price they were placed with."""
    cafe, combo = await _existing_combo(session, cafe_id, combo_id)
    changes = patch.changes()
    if "name" in changes:
        await _check_combo_name_free(session, cafe, changes["name"], except_id=combo.id)
    if "price" in changes:
        changes["price"] = to_money(changes["price"])
    for field, value in changes.items():
        setattr(combo, field, value)
    await session.flush()
    return combo


async def delete_combo(session: AsyncSession, cafe_id: int, combo_id: int) -> None:
    """Delete a combo; past orders keep their copy of its name and price."""
    _, combo = await _existing_combo(session, cafe_id, combo_id)
    await session.delete(combo)
    await session.flush()


async def _existing_combo(session: AsyncSession, cafe_id: int, combo_id: int) -> tuple[Cafe, Combo]:
    cafe = await existing_cafe(session, cafe_id)
    combo = await cafes.get_combo(session, combo_id)
    if combo is None or combo.cafe_id != cafe.id:
        raise NotFound(
            f"Комбо #{combo_id} нет в меню «{cafe.name}»",
            en=f"Combo #{combo_id} is not on the menu of «{cafe.name}»",
        )
    return cafe, combo


async def _check_combo_name_free(
    session: AsyncSession, cafe: Cafe, name: str, *, except_id: int | None = None
) -> None:
    if await cafes.combo_named(session, cafe.id, name, except_id=except_id):
        raise ComboExists(
            f"В «{cafe.name}» уже есть комбо «{name}»",
            en=f"«{cafe.name}» already has a combo «{name}»",
            field="name",
        )


# --- schedules -----------------------------------------------------------------------------


async def week_schedules(session: AsyncSession, cafe_id: int) -> list[ScheduleOut]:
    """All seven weekdays, Monday first; a day never set up is shown as disabled."""
    cafe = await existing_cafe(session, cafe_id)
    return _as_week(await cafes.schedule_rows(session, cafe.id))


async def set_schedules(
    session: AsyncSession, cafe_id: int, entries: Sequence[ScheduleIn]
) -> list[ScheduleOut]:
    """Change the weekdays sent (others stay as they are) and return the whole week."""
    # Locking the cafe serialises two managers saving its schedule at once.
    cafe = await existing_cafe(session, cafe_id, for_update=True)
    rows = await cafes.schedule_rows(session, cafe.id)
    for index, entry in enumerate(entries):
        if entry.weekday not in rows and entry.is_enabled and entry.deadline_time is None:
            day = WEEKDAY_NAMES[entry.weekday]
            raise InvalidSchedule(
                f"{day}: укажите время, до которого принимаются заказы",
                en=f"{WEEKDAY_NAMES_EN[entry.weekday]}: enter the time orders are taken until",
                field=f"schedules.{index}.deadline_time",
            )
    for entry in entries:
        row = rows.get(entry.weekday)
        if row is None:
            if entry.deadline_time is None:
                continue  # disabling a day that was never set up: nothing to store
            row = DeadlineSchedule(
                cafe_id=cafe.id,
                weekday=entry.weekday,
                deadline_time=entry.deadline_time,
                advance_days=DEFAULT_ADVANCE_DAYS,
            )
            session.add(row)
            rows[entry.weekday] = row
        row.is_enabled = entry.is_enabled
        if entry.deadline_time is not None:
            row.deadline_time = entry.deadline_time
        if entry.advance_days is not None:
            row.advance_days = entry.advance_days
    await session.flush()
    return _as_week(rows)


def _as_week(rows: dict[int, DeadlineSchedule]) -> list[ScheduleOut]:
    week = []
    for weekday, name in enumerate(WEEKDAY_NAMES):
        row = rows.get(weekday)
        week.append(
            ScheduleOut(
                weekday=weekday,
                weekday_name=name,
                deadline_time=f"{row.deadline_time:%H:%M}" if row else None,
                is_enabled=row.is_enabled if row else False,
                advance_days=row.advance_days if row else DEFAULT_ADVANCE_DAYS,
            )
        )
    return week


# --- availability --------------------------------------------------------------------------


async def availability_on(
    session: AsyncSession, cafe_id: int, order_date: date, *, now: datetime, tz: ZoneInfo
) -> AvailabilityOut:
    """Whether an order for the date can be placed, changed or cancelled now, and until when."""
    cafe = await existing_cafe(session, cafe_id)
    schedule = await cafes.day_schedule(session, cafe.id, order_date.weekday())
    verdict = availability(order_date, schedule, now=now, tz=tz, cafe_active=cafe.is_active)
    remaining = verdict.time_remaining(now)
    return AvailabilityOut(
        can_order=verdict.can_order,
        deadline=verdict.deadline,
        time_remaining=format_duration(remaining) if remaining is not None else None,
        seconds_remaining=_seconds(remaining),
        now=now.astimezone(tz),
        reason=verdict.message,
        reason_code=verdict.reason,
    )


async def week_availability(
    session: AsyncSession, cafe_id: int, *, now: datetime, tz: ZoneInfo
) -> list[DayAvailabilityOut]:
    """The seven days from today (in the company time zone) and whether each can be ordered."""
    cafe = await existing_cafe(session, cafe_id)
    schedules = await cafes.week_schedule(session, cafe.id)
    return _week(cafe, schedules, now=now, tz=tz)


async def open_weeks(session: AsyncSession, *, now: datetime, tz: ZoneInfo) -> list[CafeWeekOut]:
    """Every active cafe's seven days from today, in one answer for the home screen."""
    active = await cafes.list_cafes(session, active_only=True)
    schedules = await cafes.week_schedules(session, [cafe.id for cafe in active])
    return [
        CafeWeekOut(
            cafe=CafeOut.model_validate(cafe),
            days=_week(cafe, schedules[cafe.id], now=now, tz=tz),
        )
        for cafe in active
    ]


def _week(
    cafe: Cafe, schedules: dict[int, DaySchedule], *, now: datetime, tz: ZoneInfo
) -> list[DayAvailabilityOut]:
    today = now.astimezone(tz).date()
    days = []
    for offset in range(7):
        order_date = today + timedelta(days=offset)
        verdict = availability(
            order_date,
            schedules.get(order_date.weekday()),
            now=now,
            tz=tz,
            cafe_active=cafe.is_active,
        )
        days.append(_day_out(verdict, now))
    return days


def _day_out(verdict: Availability, now: datetime) -> DayAvailabilityOut:
    return DayAvailabilityOut(
        date=verdict.order_date,
        weekday=WEEKDAY_NAMES[verdict.order_date.weekday()],
        can_order=verdict.can_order,
        deadline=f"{verdict.deadline:%H:%M}" if verdict.deadline else None,
        deadline_at=verdict.deadline,
        opens_at=verdict.opens_at,
        seconds_remaining=_seconds(verdict.time_remaining(now)),
        reason=verdict.message,
        reason_code=verdict.reason,
    )


async def upcoming_deadlines(
    session: AsyncSession, *, now: datetime, tz: ZoneInfo
) -> list[tuple[Cafe, datetime]]:
    """Each active cafe's next ordering deadline after `now`, soonest first."""
    weeks: dict[int, dict[int, DaySchedule]] = {}
    for cafe_id, weekday, schedule in await cafes.enabled_schedules(session):
        weeks.setdefault(cafe_id, {})[weekday] = schedule
    upcoming = [
        (cafe, deadline)
        for cafe in await cafes.list_cafes(session, active_only=True)
        if (deadline := next_deadline(weeks.get(cafe.id, {}), after=now, tz=tz)) is not None
    ]
    return sorted(upcoming, key=lambda pair: (pair[1], pair[0].name))


def _seconds(delta: timedelta | None) -> int | None:
    return None if delta is None else max(int(delta.total_seconds()), 0)


def format_duration(delta: timedelta) -> str:
    """`HH:MM:SS`, whole seconds rounded down; hours go past 24 when ordering opens days ahead."""
    seconds = max(int(delta.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
