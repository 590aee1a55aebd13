"""The "Привезли" button under a cafe's order message, and reading it back from a callback."""

import re
from datetime import date, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

ARRIVED_BUTTON = "🚚 Привезли"
CALLBACK = re.compile(r"^arrived:(\d{1,9}):(\d{8})$")


def arrived_callback(cafe_id: int, order_date: date) -> str:
    return f"arrived:{cafe_id}:{order_date:%Y%m%d}"


def arrived_keyboard(cafe_id: int, order_date: date) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        ARRIVED_BUTTON, callback_data=arrived_callback(cafe_id, order_date)
    )
    return InlineKeyboardMarkup([[button]])


def parse_arrived(data: str) -> tuple[int, date] | None:
    """(cafe_id, order_date) from a button's callback data, or None if it is not ours."""
    match = CALLBACK.match(data)
    if match is None:
        return None
    try:
        day = datetime.strptime(match.group(2), "%Y%m%d").date()  # noqa: DTZ007  # a date only
    except ValueError:
        return None
    return int(match.group(1)), day
