"""One mapping from an order to its API answer, whether the order is an ORM object (placing,
changing) or the named values the read path builds in SQL (listing, reading one)."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from shared.models import ItemKind, Order, OrderExtra, OrderItem, OrderStatus
from shared.ordering.repository import _orders_out_statement
from shared.ordering.schemas import (
    EXTRA_COLUMNS,
    ITEM_COLUMNS,
    ORDER_COLUMNS,
    OrderOut,
    answer,
    order_out,
)

CREATED = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)


def placed() -> Order:
    """An order as placing builds it: a combo with an option, a dish on its own, an extra."""
    return Order(
        id=7,
        user_tgid=1001,
        cafe_id=3,
        order_date=date(2026, 11, 24),
        status=OrderStatus.PENDING,
        combo_id=5,
        combo_name="Салат + Суп",
        combo_price=Decimal("450.00"),
        notes="Без лука",
        total_price=Decimal("750.00"),
        created_at=CREATED,
        updated_at=CREATED,
        items=[
            OrderItem(
                position=0,
                kind=ItemKind.COMBO,
                category="salad",
                menu_item_id=11,
                menu_item_name="Цезарь",
                quantity=1,
                options={"Соус": "Острый"},
                option_prices={"Соус": "30.00"},
                unit_price=None,
            ),
            OrderItem(
                position=1,
                kind=ItemKind.STANDALONE,
                category="soup",
                menu_item_id=12,
                menu_item_name="Борщ",
                quantity=1,
                options={},
                option_prices=None,
                unit_price=Decimal("180.00"),
            ),
        ],
        extras=[
            OrderExtra(
                position=0,
                menu_item_id=13,
                menu_item_name="Морс",
                quantity=2,
                unit_price=Decimal("45.00"),
            )
        ],
    )


def as_read(order: Order) -> dict[str, Any]:
    """The same order as the read path's row: the status as text, lines as JSON objects."""
    row: dict[str, Any] = {name: getattr(order, name) for name in ORDER_COLUMNS}
    row |= {"status": str(order.status), "user_name": "Иван", "cafe_name": "Столовая"}
    row["delivered_at"] = None

    def line(source: Any, names: tuple[str, ...]) -> dict[str, Any]:
        values = {name: getattr(source, name) for name in names}
        parsed: dict[str, Any] = json.loads(json.dumps(values, default=str))  # money as text
        return parsed

    row["items"] = [line(item, ITEM_COLUMNS) for item in order.items]
    row["extras"] = [line(extra, EXTRA_COLUMNS) for extra in order.extras]
    return row


def test_an_order_answers_alike_from_the_orm_and_from_the_read_path() -> None:
    order = placed()

    written = order_out(order, user_name="Иван", cafe_name="Столовая")
    read = answer(as_read(order))

    # Every field of the answer is set, on either path (none is left to a default by mistake).
    assert written.model_fields_set == set(OrderOut.model_fields)
    assert read.model_fields_set == set(OrderOut.model_fields)
    assert written.model_dump_json() == read.model_dump_json()
    body = json.loads(written.model_dump_json())
    assert body["status"] == "pending"
    assert body["combo"] == {"combo_id": 5, "combo_name": "Салат + Суп", "combo_price": 450.0}
    assert body["items"][0]["options_price"] == 30.0
    assert (body["items"][1]["price"], body["items"][1]["option_prices"]) == (180.0, {})
    assert body["extras"][0]["subtotal"] == 90.0


def test_the_read_statement_selects_every_name_the_answer_reads() -> None:
    selected = set(_orders_out_statement(("id",)).selected_columns.keys())

    assert {*ORDER_COLUMNS, "user_name", "cafe_name", "delivered_at"} <= selected
    assert {"items", "extras"} <= selected
