"""What the API takes and returns for orders (the shapes of the REST contract)."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from shared.kit.money import Money
from shared.models import ItemKind, Order, OrderStatus

MAX_QUANTITY = 10
MAX_NOTES = 500

Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY, description="1 to 10")]


class ComboPickIn(BaseModel):
    """A dish chosen for one category of the combo."""

    type: Literal["combo"]
    category: str = Field(min_length=1, max_length=50)
    menu_item_id: int
    options: dict[str, str] = Field(
        default_factory=dict, description="The dish's options, as for a dish ordered on its own"
    )


class StandaloneItemIn(BaseModel):
    """A dish ordered on its own, at its own price."""

    type: Literal["standalone"]
    menu_item_id: int
    quantity: Quantity = 1
    options: dict[str, str] = Field(default_factory=dict)


OrderItemIn = Annotated[ComboPickIn | StandaloneItemIn, Field(discriminator="type")]


class ExtraIn(BaseModel):
    menu_item_id: int
    quantity: Quantity = 1


class OrderCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cafe_id": 1,
                    "order_date": "2026-12-08",
                    "combo_id": 2,
                    "items": [
                        {"type": "combo", "category": "salad", "menu_item_id": 10},
                        {"type": "combo", "category": "soup", "menu_item_id": 11},
                        {"type": "combo", "category": "main", "menu_item_id": 12},
                    ],
                    "extras": [{"menu_item_id": 20, "quantity": 1}],
                    "notes": "Без лука",
                }
            ]
        }
    )

    cafe_id: int
    order_date: date
    combo_id: int | None = None
    items: list[OrderItemIn] = Field(default_factory=list, max_length=30)
    extras: list[ExtraIn] = Field(default_factory=list, max_length=30)
    notes: str | None = Field(default=None, max_length=MAX_NOTES)


class OrderUpdate(BaseModel):
    """A change to an order: what is sent replaces what was there, the rest stays."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"type": "combo", "category": "salad", "menu_item_id": 10},
                        {"type": "combo", "category": "soup", "menu_item_id": 11},
                        {"type": "combo", "category": "main", "menu_item_id": 13},
                    ],
                    "extras": [],
                    "notes": "Без лука, пожалуйста",
                }
            ]
        }
    )

    combo_id: int | None = None
    items: list[OrderItemIn] | None = Field(default=None, max_length=30)
    extras: list[ExtraIn] | None = Field(default=None, max_length=30)
    notes: str | None = Field(default=None, max_length=MAX_NOTES)


class OrderComboOut(BaseModel):
    combo_id: int | None
    combo_name: str
    combo_price: Money


OptionPrices = Annotated[
    dict[str, Money],
    Field(
        default_factory=dict,
        description="The extra price per portion of each chosen option that has one, as it was "
        "when the order was placed; options without a price are not listed",
    ),
]


class ComboItemOut(BaseModel):
    type: Literal["combo"] = "combo"
    category: str
    menu_item_id: int | None
    menu_item_name: str
    options: dict[str, str] = Field(default_factory=dict)
    option_prices: OptionPrices
    options_price: Money = Field(
        default=Decimal(0),
        description="What this dish's chosen options add to the combo price (0: nothing)",
    )


class StandaloneItemOut(BaseModel):
    type: Literal["standalone"] = "standalone"
    category: str
    menu_item_id: int | None
    menu_item_name: str
    quantity: int
    options: dict[str, str]
    option_prices: OptionPrices
    price: Money = Field(description="One portion: the dish's price plus its chosen options'")
    subtotal: Money


class OrderExtraOut(BaseModel):
    menu_item_id: int | None
    menu_item_name: str
    quantity: int
    price: Money
    subtotal: Money


StatusText = Literal["pending", "confirmed", "cancelled"]


class OrderOut(BaseModel):
    id: int
    user_tgid: int
    user_name: str
    cafe_id: int
    cafe_name: str
    order_date: date
    status: StatusText
    combo_id: int | None
    combo: OrderComboOut | None
    items: list[Annotated[ComboItemOut | StandaloneItemOut, Field(discriminator="type")]]
    extras: list[OrderExtraOut]
    notes: str | None
    total_price: Money
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None = Field(
        default=None, description="When the cafe reported the lunch delivered; null until then"
    )


class OrderList(BaseModel):
    items: list[OrderOut]
    total: int = Field(description="How many orders match, over all pages")


# The one mapping from an order to its answer. An order reaches it as named values: an ORM
# order's attributes (`order_out`), or a row the read path built in SQL, whose columns and JSON
# keys are selected by these same names (shared/ordering/repository.py). A field that is an
# orders column is added here and to OrderOut; both paths then carry it.
ORDER_COLUMNS = (
    "id",
    "user_tgid",
    "cafe_id",
    "order_date",
    "status",
    "combo_id",
    "combo_name",
    "combo_price",
    "notes",
    "total_price",
    "created_at",
    "updated_at",
)
ITEM_COLUMNS = (
    "kind",
    "category",
    "menu_item_id",
    "menu_item_name",
    "quantity",
    "options",
    "option_prices",
    "unit_price",
)
EXTRA_COLUMNS = ("menu_item_id", "menu_item_name", "quantity", "unit_price")
# Answered as they are stored: every column but those `answer` reshapes.
_AS_STORED = tuple(
    name for name in ORDER_COLUMNS if name not in {"status", "combo_name", "combo_price"}
)


def answer(order: Mapping[str, Any]) -> OrderOut:
    """The API view of an order given as named values: ORDER_COLUMNS, `user_name`,
    `cafe_name`, `delivered_at`, and `items` and `extras` as mappings of ITEM_COLUMNS and
    EXTRA_COLUMNS (money as Decimal, or as its text from JSON).

    Not validated again: every value comes typed from the database or from pricing, and
    validating a page of 100 orders cost a fifth of the request.
    """
    lines: list[ComboItemOut | StandaloneItemOut] = []
    for item in order["items"]:
        option_prices = _option_prices(item["option_prices"])
        if item["kind"] == ItemKind.COMBO:
            lines.append(
                ComboItemOut.model_construct(
                    category=item["category"],
                    menu_item_id=item["menu_item_id"],
                    menu_item_name=item["menu_item_name"],
                    options=item["options"],
                    option_prices=option_prices,
                    options_price=sum(option_prices.values(), Decimal(0)),
                )
            )
        else:
            price = Decimal(item["unit_price"] or 0)
            lines.append(
                StandaloneItemOut.model_construct(
                    category=item["category"],
                    menu_item_id=item["menu_item_id"],
                    menu_item_name=item["menu_item_name"],
                    quantity=item["quantity"],
                    options=item["options"],
                    option_prices=option_prices,
                    price=price,
                    subtotal=price * item["quantity"],
                )
            )
    extras = []
    for extra in order["extras"]:
        price = Decimal(extra["unit_price"])
        extras.append(
            OrderExtraOut.model_construct(
                menu_item_id=extra["menu_item_id"],
                menu_item_name=extra["menu_item_name"],
                quantity=extra["quantity"],
                price=price,
                subtotal=price * extra["quantity"],
            )
        )
    combo = None
    if order["combo_name"] is not None:
        combo = OrderComboOut.model_construct(
            combo_id=order["combo_id"],
            combo_name=order["combo_name"],
            combo_price=order["combo_price"] or Decimal(0),
        )
    return OrderOut.model_construct(
        **{name: order[name] for name in _AS_STORED},
        # The text of the status, whether it came as OrderStatus or as the column's string.
        status=cast(StatusText, str(order["status"])),
        user_name=order["user_name"],
        cafe_name=order["cafe_name"],
        combo=combo,
        items=lines,
        extras=extras,
        delivered_at=order["delivered_at"],
    )


def order_out(
    order: Order,
    *,
    user_name: str,
    cafe_name: str,
    status: OrderStatus | None = None,
    delivered_at: datetime | None = None,
) -> OrderOut:
    """The API view of an ORM order whose items and extras are loaded (see `answer`)."""
    values: dict[str, Any] = {name: getattr(order, name) for name in ORDER_COLUMNS}
    values |= {
        "status": status or order.status,
        "user_name": user_name,
        "cafe_name": cafe_name,
        "delivered_at": delivered_at,
        "items": [{name: getattr(item, name) for name in ITEM_COLUMNS} for item in order.items],
        "extras": [{name: getattr(line, name) for name in EXTRA_COLUMNS} for line in order.extras],
    }
    return answer(values)


def _option_prices(stored: dict[str, str] | None) -> dict[str, Decimal]:
    return {name: Decimal(price) for name, price in (stored or {}).items()}
