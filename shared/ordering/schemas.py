"""What the API takes and returns for orders (the shapes of the REST contract)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

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


class OrderOut(BaseModel):
    id: int
    user_tgid: int
    user_name: str
    cafe_id: int
    cafe_name: str
    order_date: date
    status: Literal["pending", "confirmed", "cancelled"]
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


def order_out(
    order: Order,
    *,
    user_name: str,
    cafe_name: str,
    status: OrderStatus | None = None,
    delivered_at: datetime | None = None,
) -> OrderOut:
    """The API view of an order whose items and extras are loaded."""
    items: list[ComboItemOut | StandaloneItemOut] = []
    for item in order.items:
        if item.kind == ItemKind.COMBO:
            items.append(
                ComboItemOut(
                    category=item.category,
                    menu_item_id=item.menu_item_id,
                    menu_item_name=item.menu_item_name,
                    options=dict(item.options),
                    option_prices=_option_prices(item.option_prices),
                    options_price=item.options_price,
                )
            )
        else:
            price = item.unit_price or Decimal(0)
            items.append(
                StandaloneItemOut(
                    category=item.category,
                    menu_item_id=item.menu_item_id,
                    menu_item_name=item.menu_item_name,
                    quantity=item.quantity,
                    options=dict(item.options),
                    option_prices=_option_prices(item.option_prices),
                    price=price,
                    subtotal=price * item.quantity,
                )
            )
    combo = None
    if order.combo_name is not None:
        combo = OrderComboOut(
            combo_id=order.combo_id,
            combo_name=order.combo_name,
            combo_price=order.combo_price or Decimal(0),
        )
    return OrderOut(
        id=order.id,
        user_tgid=order.user_tgid,
        user_name=user_name,
        cafe_id=order.cafe_id,
        cafe_name=cafe_name,
        order_date=order.order_date,
        status=status or order.status,
        combo_id=order.combo_id,
        combo=combo,
        items=items,
        extras=[
            OrderExtraOut(
                menu_item_id=extra.menu_item_id,
                menu_item_name=extra.menu_item_name,
                quantity=extra.quantity,
                price=extra.unit_price,
                subtotal=extra.unit_price * extra.quantity,
            )
            for extra in order.extras
        ],
        notes=order.notes,
        total_price=order.total_price,
        created_at=order.created_at,
        updated_at=order.updated_at,
        delivered_at=delivered_at,
    )


def _option_prices(stored: dict[str, str] | None) -> dict[str, Decimal]:
    return {name: Decimal(price) for name, price in (stored or {}).items()}
