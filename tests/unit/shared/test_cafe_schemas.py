"""The shapes managers send for menus and schedules, and how time left is shown."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from shared.cafes.schemas import (
    ComboCreate,
    MenuItemCreate,
    MenuItemUpdate,
    OptionCreate,
    ScheduleIn,
    ScheduleWeekIn,
)
from shared.cafes.service import format_duration


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("soup", "soup"),
        (" Salad ", "salad"),
        ("hot_dishes", "hot_dishes"),
        ("kids-menu", "kids-menu"),
        # A manager's own category, in the words of the menu
        ("Напитки", "напитки"),
        ("hot dishes", "hot dishes"),
    ],
)
def test_categories_are_stored_lowercase(sent: str, stored: str) -> None:
    assert MenuItemCreate(name="Блюдо", category=sent).category == stored


@pytest.mark.parametrize("sent", ["", "1st", "-супы", "супы!", "a" * 51, "_x", "a\nb"])
def test_other_categories_are_refused(sent: str) -> None:
    with pytest.raises(ValidationError):
        MenuItemCreate(name="Блюдо", category=sent)


def test_prices_have_at_most_two_decimals_and_are_not_negative() -> None:
    assert MenuItemCreate(name="Морс", category="extra", price="60.5").price == Decimal("60.5")
    for price in ("60.555", "-0.01"):
        with pytest.raises(ValidationError):
            MenuItemCreate(name="Морс", category="extra", price=price)


def test_option_values_are_trimmed_and_distinct_ignoring_case() -> None:
    option = OptionCreate(name=" Размер ", values=[" S ", "M"])
    assert (option.name, option.values, option.is_required) == ("Размер", ["S", "M"], False)
    with pytest.raises(ValidationError, match="listed twice"):
        OptionCreate(name="Размер", values=["S", "s"])


def test_a_combo_lists_each_category_once() -> None:
    with pytest.raises(ValidationError, match="once"):
        ComboCreate(name="Два супа", categories=["soup", "SOUP"], price=Decimal(100))


def test_a_patch_knows_which_fields_were_sent_and_refuses_clearing_required_ones() -> None:
    assert MenuItemUpdate(price=None).changes() == {"price": None}
    assert MenuItemUpdate().changes() == {}
    with pytest.raises(ValidationError, match="category cannot be null"):
        MenuItemUpdate(category=None)


def test_a_deadline_is_whole_minutes_and_each_weekday_is_sent_once() -> None:
    assert ScheduleIn(weekday=0, deadline_time="10:00", is_enabled=True).deadline_time == time(10)
    with pytest.raises(ValidationError, match="HH:MM"):
        ScheduleIn(weekday=0, deadline_time="10:00:30", is_enabled=True)
    with pytest.raises(ValidationError, match="once"):
        ScheduleWeekIn(
            schedules=[
                ScheduleIn(weekday=2, is_enabled=True),
                ScheduleIn(weekday=2, is_enabled=False),
            ]
        )


@pytest.mark.parametrize(
    ("left", "shown"),
    [
        (timedelta(hours=1, minutes=45), "01:45:00"),
        (timedelta(seconds=1, microseconds=999_999), "00:00:01"),
        (timedelta(days=1, hours=1, minutes=45), "25:45:00"),
        (timedelta(seconds=-1), "00:00:00"),
    ],
)
def test_time_remaining_is_hours_minutes_seconds(left: timedelta, shown: str) -> None:
    assert format_duration(left) == shown
