"""What a cafe sees before the deadline: the orders so far, and a sample after linking."""

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import ItemKind, Order, OrderExtra, OrderItem
from shared.notifications.formatting import PersonOrder, cafe_order_messages
from shared.ordering import repository as orders


async def upcoming_orders(
    session: AsyncSession, cafe_id: int, cafe_name: str, *, today: date
) -> list[str]:
    """The next date with orders, formatted as the cafe will receive it; [] when there is none."""
    day = await orders.next_order_date(session, cafe_id, today)
    if day is None:
        return []
    rows = await orders.orders_with_names(session, cafe_id, day)
    people = [
        PersonOrder(user_name=name, order=order, office=office) for order, name, office in rows
    ]
    return cafe_order_messages(cafe_name, day, people)


def sample_messages(cafe_name: str, day: date) -> list[str]:
    """What the cafe will receive after each deadline, with one made-up order."""
    order = Order(
        combo_name="Салат + Суп + Горячее",
        notes="Без лука, пожалуйста",
        total_price=Decimal("570.00"),
        items=[
            OrderItem(kind=ItemKind.COMBO, category=category, menu_item_name=name, quantity=1)
            for category, name in (
                ("salad", "Салат Цезарь"),
                ("soup", "Борщ"),
                ("main", "Котлета с пюре"),
            )
        ],
        extras=[OrderExtra(menu_item_name="Морс клюквенный", quantity=2, unit_price=Decimal(60))],
    )
    return cafe_order_messages(cafe_name, day, [PersonOrder("Иван Петров (пример)", order)])
