"""Ordering "as last time": the same order for another date, and the dishes a person orders most.

A repeated order goes through `place_order` like any new one (open date, one per cafe and date,
budget, today's prices and options). Before that, every dish and the combo are looked up on
today's menu, so that a refusal names everything that is gone at once instead of the first.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.cafes import repository as cafes
from shared.kit.errors import Conflict
from shared.kit.settings import Settings
from shared.models import Combo, MenuItem, Order, OrderExtra, OrderItem, OrderStatus, User
from shared.ordering import repository as orders
from shared.ordering.schemas import OrderCreate
from shared.ordering.service import (
    _extras_as_sent,
    _items_as_sent,
    _not_found,
    place_order,
)

FAVOURITES_WINDOW_DAYS = 90


class DishesGone(Conflict):
    code = "dishes_gone"


@dataclass(frozen=True)
class FavouriteDish:
    menu_item_id: int
    name: str
    category: str
    cafe_id: int
    count: int


async def repeat_order(
    session: AsyncSession,
    user: User,
    order_id: int,
    order_date: date,
    settings: Settings,
    *,
    now: datetime,
) -> Order:
    """Place the same order (combo, dishes, options, extras, note) for `order_date`."""
    source = await orders.get_order(session, order_id)
    if source is None or source.user_tgid != user.tgid:
        raise _not_found(order_id)
    gone = await _gone_from_menu(session, source)
    if gone:
        listed = ", ".join(f"«{name}»" for name in gone)
        raise DishesGone(
            f"Повторить заказ нельзя: больше нет в меню {listed}. Соберите заказ заново",
            en=f"The order cannot be repeated: {listed} are no longer on the menu. "
            "Put the order together again",
        )
    request = OrderCreate(
        cafe_id=source.cafe_id,
        order_date=order_date,
        combo_id=source.combo_id,
        items=_items_as_sent(source),
        extras=_extras_as_sent(source),
        notes=source.notes,
    )
    return await place_order(session, user, request, settings, now=now)


async def _gone_from_menu(session: AsyncSession, order: Order) -> list[str]:
    """Names of the order's combo and dishes that are deleted, moved or unavailable now."""
    gone: list[str] = []
    if order.combo_name is not None:
        combo = await session.get(Combo, order.combo_id) if order.combo_id is not None else None
        if combo is None or combo.cafe_id != order.cafe_id or not combo.is_available:
            gone.append(order.combo_name)
    lines: list[OrderItem | OrderExtra] = [*order.items, *order.extras]
    ids = [line.menu_item_id for line in lines if line.menu_item_id is not None]
    menu = await cafes.menu_items_by_id(session, ids)
    for line in lines:
        dish = menu.get(line.menu_item_id) if line.menu_item_id is not None else None
        missing = dish is None or dish.cafe_id != order.cafe_id or not dish.is_available
        if missing and line.menu_item_name not in gone:
            gone.append(line.menu_item_name)
    return gone


async def favourite_dishes(
    session: AsyncSession,
    tgid: int,
    *,
    today: date,
    cafe_id: int | None = None,
    limit: int = 10,
) -> list[FavouriteDish]:
    """The dishes still on the menu that the person ordered most in 90 days, most first."""
    portions = func.sum(OrderItem.quantity).label("portions")
    statement = (
        select(MenuItem.id, MenuItem.name, MenuItem.category, MenuItem.cafe_id, portions)
        .join(OrderItem, OrderItem.menu_item_id == MenuItem.id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(
            Order.user_tgid == tgid,
            Order.status != OrderStatus.CANCELLED,
            Order.order_date > today - timedelta(days=FAVOURITES_WINDOW_DAYS),
            MenuItem.is_available.is_(True),
        )
        .group_by(MenuItem.id)
        .order_by(portions.desc(), MenuItem.name, MenuItem.id)
        .limit(limit)
    )
    if cafe_id is not None:
        statement = statement.where(MenuItem.cafe_id == cafe_id)
    return [
        FavouriteDish(item_id, name, category, dish_cafe, int(count))
        for item_id, name, category, dish_cafe, count in (await session.execute(statement)).all()
    ]
