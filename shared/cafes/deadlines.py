"""When ordering for a date is open: the one rule every part of the system uses.

A cafe's schedule has one row per weekday of the *order date*. For a date D whose weekday row is
enabled, ordering opens at 00:00 on D - advance_days and closes at `deadline_time` on D itself,
all in the company time zone. So "Monday 10:00, advance 1" means: lunch for Monday can be ordered
from Sunday 00:00 until Monday 10:00.
"""

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
        return _closed(order_date, ClosedReason.CAFE_INACTIVE, "Кафе сейчас не принимает заказы")
    if schedule is None or not schedule.is_enabled:
        weekday = WEEKDAY_NAMES[order_date.weekday()].lower()
        message = f"Кафе не принимает заказы на {day} ({weekday})"
        return _closed(order_date, ClosedReason.NOT_SERVED, message)
    deadline = deadline_on(order_date, schedule, tz)
    opens_at = datetime.combine(
        order_date - timedelta(days=schedule.advance_days), time(0, 0), tzinfo=tz
    )
    if now < opens_at:
        message = f"Заказы на {day} откроются {opens_at:%d.%m} в {opens_at:%H:%M}"
        return Availability(
            order_date, False, deadline, opens_at, ClosedReason.NOT_OPEN_YET, message
        )
    if now >= deadline:
        message = f"Приём заказов на {day} закончился в {deadline:%H:%M}"
        return Availability(
            order_date, False, deadline, opens_at, ClosedReason.DEADLINE_PASSED, message
        )
    return Availability(order_date, True, deadline, opens_at, None, None)


def _closed(order_date: date, reason: ClosedReason, message: str) -> Availability:
    return Availability(order_date, False, None, None, reason, message)
