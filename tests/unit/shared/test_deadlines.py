from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.cafes.deadlines import ClosedReason, DaySchedule, availability, deadline_on

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = date(2026, 11, 24)
ELEVEN = DaySchedule(deadline_time=time(11, 0), advance_days=1)


def at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=MSK)


def test_ordering_is_open_until_one_second_before_the_deadline() -> None:
    verdict = availability(TUESDAY, ELEVEN, now=at(TUESDAY, 10, 59, 59), tz=MSK)
    assert verdict.can_order
    assert verdict.deadline == at(TUESDAY, 11)
    assert verdict.time_remaining(at(TUESDAY, 10, 59, 59)) == timedelta(seconds=1)


def test_ordering_closes_at_the_deadline_itself() -> None:
    verdict = availability(TUESDAY, ELEVEN, now=at(TUESDAY, 11), tz=MSK)
    assert not verdict.can_order
    assert verdict.reason == ClosedReason.DEADLINE_PASSED
    assert verdict.message == "Приём заказов на 24.11 закончился в 11:00"


def test_ordering_opens_at_midnight_advance_days_before() -> None:
    monday = TUESDAY - timedelta(days=1)
    assert availability(TUESDAY, ELEVEN, now=at(monday, 0, 0), tz=MSK).can_order
    early = availability(TUESDAY, ELEVEN, now=at(monday, 0, 0) - timedelta(seconds=1), tz=MSK)
    assert early.reason == ClosedReason.NOT_OPEN_YET
    assert early.message == "Заказы на 24.11 откроются 23.11 в 00:00"


def test_deadline_is_judged_in_the_company_time_zone() -> None:
    # 07:59:59 UTC is 10:59:59 in Moscow: still open; 08:00 UTC is the deadline.
    utc = ZoneInfo("UTC")
    assert availability(
        TUESDAY, ELEVEN, now=datetime(2026, 11, 24, 7, 59, 59, tzinfo=utc), tz=MSK
    ).can_order
    assert not availability(
        TUESDAY, ELEVEN, now=datetime(2026, 11, 24, 8, 0, tzinfo=utc), tz=MSK
    ).can_order
    assert deadline_on(TUESDAY, ELEVEN, MSK).utcoffset() == timedelta(hours=3)


def test_days_the_cafe_does_not_serve_and_inactive_cafes_are_closed() -> None:
    now = at(TUESDAY, 9)
    assert availability(TUESDAY, None, now=now, tz=MSK).reason == ClosedReason.NOT_SERVED
    disabled = DaySchedule(time(11, 0), 1, is_enabled=False)
    assert availability(TUESDAY, disabled, now=now, tz=MSK).message == (
        "Кафе не принимает заказы на 24.11 (вторник)"
    )
    assert (
        availability(TUESDAY, ELEVEN, now=now, tz=MSK, cafe_active=False).reason
        == ClosedReason.CAFE_INACTIVE
    )


def test_the_first_and_last_days_of_the_calendar_are_answered_not_overflowed() -> None:
    # 0001-01-01 00:00 in Moscow is before year 1 in UTC: comparing it used to raise
    first = availability(date.min, DaySchedule(time(11, 0), 7), now=at(TUESDAY, 9), tz=MSK)
    assert not first.can_order
    assert first.reason == ClosedReason.DEADLINE_PASSED
    assert first.message == "Приём заказов на 01.01 закончился в 11:00"
    last = availability(date.max, DaySchedule(time(11, 0), 7), now=at(TUESDAY, 9), tz=MSK)
    assert not last.can_order
    assert last.reason == ClosedReason.NOT_OPEN_YET
