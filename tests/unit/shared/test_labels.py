"""Dietary labels: their icons in the cafe's message, and the «Привезли» button's data."""

from datetime import date
from decimal import Decimal

from shared.cafes.labels import LABELS, icons
from shared.models import ItemKind, Order, OrderItem
from shared.notifications.arrival_button import arrived_callback, arrived_keyboard, parse_arrived
from shared.notifications.formatting import PersonOrder, cafe_order_messages

DAY = date(2026, 11, 24)


def order() -> Order:
    return Order(
        combo_name="Салат + Суп",
        combo_price=Decimal("450"),
        total_price=Decimal("630"),
        notes=None,
        items=[
            OrderItem(
                kind=ItemKind.COMBO,
                category="soup",
                menu_item_id=11,
                menu_item_name="Том ям",
                quantity=1,
                options={},
            ),
            OrderItem(
                kind=ItemKind.STANDALONE,
                category="main",
                menu_item_id=12,
                menu_item_name="Фалафель",
                quantity=1,
                options={},
                unit_price=Decimal("180"),
            ),
            OrderItem(
                kind=ItemKind.STANDALONE,
                category="main",
                menu_item_id=13,
                menu_item_name="Котлета",
                quantity=1,
                options={},
                unit_price=Decimal("150"),
            ),
        ],
        extras=[],
    )


def test_the_cafe_sees_each_dishs_label_icons_in_the_sets_order() -> None:
    labels = {11: ["fish", "spicy"], 12: ["vegan"]}
    [message] = cafe_order_messages("Столовая", DAY, [PersonOrder("Иван", order(), labels=labels)])
    assert "- Том ям 🌶🐟 (суп)" in message
    assert "• Фалафель 🌱" in message
    assert "• Котлета\n" in message  # a dish without labels has no icons


def test_without_labels_the_message_is_as_before() -> None:
    [plain] = cafe_order_messages("Столовая", DAY, [PersonOrder("Иван", order())])
    assert "🌱" not in plain
    assert "- Том ям (суп)" in plain


def test_every_label_has_an_icon() -> None:
    assert icons(LABELS) == "🥦🌱🌶🥜🌾🥛🐟"


def test_the_arrived_button_carries_the_cafe_and_date_and_reads_back() -> None:
    data = arrived_callback(12, DAY)
    assert data == "arrived:12:20261124"
    assert len(data.encode()) <= 64  # Telegram's limit for callback data
    assert parse_arrived(data) == (12, DAY)
    assert parse_arrived("arrived:12:20261341") is None
    assert parse_arrived("unlink:12") is None
    [[button]] = arrived_keyboard(12, DAY).inline_keyboard
    assert (button.text, button.callback_data) == ("🚚 Привезли", data)
