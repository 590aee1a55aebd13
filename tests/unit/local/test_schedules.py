"""The local runner fires the template's schedules when AWS would."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from infra.local.schedules import Schedule, ScheduleExpressionError
from shared.kit.settings import Settings

MSK = ZoneInfo("Europe/Moscow")


def test_the_deadline_check_fires_at_the_start_of_every_minute() -> None:
    schedule = Schedule(Settings.model_fields["deadline_check_schedule"].default, "Europe/Moscow")

    fired = schedule.next_after(datetime(2026, 11, 24, 10, 59, 31, tzinfo=UTC))

    assert fired == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def test_the_recommendations_batch_fires_at_three_in_the_company_time_zone() -> None:
    schedule = Schedule(Settings.model_fields["recommendations_schedule"].default, "Europe/Moscow")

    fired = schedule.next_after(datetime(2026, 11, 24, 12, 0, tzinfo=MSK))

    assert fired == datetime(2026, 11, 25, 3, 0, tzinfo=MSK)
    assert schedule.next_after(fired) == datetime(2026, 11, 26, 3, 0, tzinfo=MSK)


def test_cron_weekdays_count_from_sunday_as_in_aws() -> None:
    # 09:30 on weekdays: MON-FRI, or 2-6
    by_name = Schedule("cron(30 9 ? * MON-FRI *)", "Europe/Moscow")
    by_number = Schedule("cron(30 9 ? * 2-6 *)", "Europe/Moscow")
    saturday = datetime(2026, 11, 21, 12, 0, tzinfo=MSK)

    assert by_name.next_after(saturday) == datetime(2026, 11, 23, 9, 30, tzinfo=MSK)
    assert by_number.next_after(saturday) == by_name.next_after(saturday)


@pytest.mark.parametrize("expression", ["every minute", "cron(0 3 * *)", "rate(0 minutes)"])
def test_an_expression_aws_would_refuse_is_refused(expression: str) -> None:
    with pytest.raises(ScheduleExpressionError):
        Schedule(expression, "UTC").next_after(datetime(2026, 1, 1, tzinfo=UTC))
