"""When ordering for a date is open: the one rule every part of the system uses.

A cafe's schedule has one row per weekday of the *order date*. For a date D whose weekday row is
enabled, ordering opens at 00:00 on D - advance_days and closes at `deadline_time` on D itself,
all in the company time zone. So "Monday 10:00, advance 1" means: lunch for Monday can be ordered
from Sunday 00:00 until Monday 10:00.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = (
    "Понедельник",
    "Вторник",
    "Среда",
    "Четверг",
    "Пятница",
    "Суббота",
    "Воскресенье",
)

WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ClosedReason(StrEnum):
    CAFE_INACTIVE = "cafe_inactive"
    NOT_SERVED = "not_served"
    NOT_OPEN_YET = "not_open_yet"
    DEADLINE_PASSED = "deadline_passed"


@dataclass(frozen=True)
class DaySchedule:
    deadline_time: time
    advance_days: int
    is_enabled: bool = True


@dataclass(frozen=True)
class Availability:
    order_date: date
    can_order: bool
    deadline: datetime | None  # in the company time zone
    opens_at: datetime | None
    reason: ClosedReason | None
    message: str | None
    message_en: str | None = None  # the same sentence for English speakers

    def time_remaining(self, now: datetime) -> timedelta | None:
        if not self.can_order or self.deadline is None:
            return None
        return self.deadline - now


def deadline_on(order_date: date, schedule: DaySchedule, tz: ZoneInfo) -> datetime:
    """The instant ordering for `order_date` closes."""
    return datetime.combine(order_date, schedule.deadline_time, tzinfo=tz)


def availability(
    order_date: date,
    schedule: DaySchedule | None,
    *,
    now: datetime,
    tz: ZoneInfo,
    cafe_active: bool = True,
) -> Availability:
    """Whether an order for `order_date` may be placed, changed or cancelled at `now`."""
    day = order_date.strftime("%d.%m")
    if not cafe_active:
        return _closed(
            order_date,
            ClosedReason.CAFE_INACTIVE,
            "Кафе сейчас не принимает заказы",
            "The cafe is not taking orders now",
        )
    if schedule is None or not schedule.is_enabled:
        weekday = WEEKDAY_NAMES[order_date.weekday()].lower()
        weekday_en = WEEKDAY_NAMES_EN[order_date.weekday()]
        message = f"Кафе не принимает заказы на {day} ({weekday})"
        message_en = f"The cafe takes no orders for {day} ({weekday_en})"
        return _closed(order_date, ClosedReason.NOT_SERVED, message, message_en)
    deadline = deadline_on(order_date, schedule, tz)
    opens_at = _opens_at(order_date, schedule.advance_days, tz)
    if order_date < now.astimezone(tz).date():
        # A day already gone: its deadline (on that day) has passed. Decided before comparing
        # instants, which overflow near date.min (0001-01-01 in Moscow is before year 1 in UTC).
        return _deadline_passed(order_date, deadline, opens_at)
    if opens_at is not None and now < opens_at:
        message = f"Заказы на {day} откроются {opens_at:%d.%m} в {opens_at:%H:%M}"
        message_en = f"Orders for {day} open on {opens_at:%d.%m} at {opens_at:%H:%M}"
        return Availability(
            order_date, False, deadline, opens_at, ClosedReason.NOT_OPEN_YET, message, message_en
        )
    if now >= deadline:
        return _deadline_passed(order_date, deadline, opens_at)
    return Availability(order_date, True, deadline, opens_at, None, None)


def _opens_at(order_date: date, advance_days: int, tz: ZoneInfo) -> datetime | None:
    """00:00 on `order_date - advance_days`, or None when that is before the calendar starts."""
    if order_date.toordinal() - advance_days < 2:  # keep a day for the zone's offset
        return None
    return datetime.combine(order_date - timedelta(days=advance_days), time(0, 0), tzinfo=tz)


def _closed(order_date: date, reason: ClosedReason, message: str, message_en: str) -> Availability:
    return Availability(order_date, False, None, None, reason, message, message_en)


def _deadline_passed(
    order_date: date, deadline: datetime, opens_at: datetime | None
) -> Availability:
    day = order_date.strftime("%d.%m")
    message = f"Приём заказов на {day} закончился в {deadline:%H:%M}"
    message_en = f"Ordering for {day} closed at {deadline:%H:%M}"
    return Availability(
        order_date, False, deadline, opens_at, ClosedReason.DEADLINE_PASSED, message, message_en
    )


def next_deadline(
    week: Mapping[int, DaySchedule], *, after: datetime, tz: ZoneInfo
) -> datetime | None:
    """The first deadline after `after` in a cafe's week (weekday -> schedule), if any."""
    today = after.astimezone(tz).date()
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        schedule = week.get(day.weekday())
        if schedule is None or not schedule.is_enabled:
            continue
        deadline = deadline_on(day, schedule, tz)
        if deadline > after:
            return deadline
    return None
