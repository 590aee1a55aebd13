"""Every query behind recommendations: a user's 30-day stats and who gets recommendations."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from shared.cafes.categories import EXTRA_CATEGORY
from shared.models import MenuItem, Order, OrderExtra, OrderItem, OrderStatus, User
from shared.recommendations.schemas import CategoryShare, FavoriteDish, OrderStats

WINDOW_DAYS = 30
FAVORITES = 5


@dataclass(frozen=True)
class Window:
    """The last 30 days up to and including `today` (company time zone)."""

    first: date
    last: date

    @classmethod
    def ending(cls, today: date) -> "Window":
        return cls(today - timedelta(days=WINDOW_DAYS - 1), today)


@dataclass(frozen=True)
class MenuDish:
    name: str
    category: str


def _orders_in(window: Window, tgid: int) -> Select[int, int]:
    return select(Order.id, Order.cafe_id).where(
        Order.user_tgid == tgid,
        Order.status != OrderStatus.CANCELLED,
        Order.order_date.between(window.first, window.last),
    )


async def order_stats(session: AsyncSession, tgid: int, window: Window) -> OrderStats:
    """Order count, category shares, variety and favourites, all computed by PostgreSQL."""
    orders = _orders_in(window, tgid).cte("recent_orders")
    orders_count = await session.scalar(select(func.count()).select_from(orders)) or 0

    # Every dish the user ate: combo picks and standalone dishes, then extras (category from the
    # menu, "extra" when the dish has since been deleted), each weighted by its quantity.
    dishes = union_all(
        select(
            OrderItem.menu_item_name.label("name"),
            OrderItem.category.label("category"),
            OrderItem.quantity.label("quantity"),
        ).join(orders, orders.c.id == OrderItem.order_id),
        select(
            OrderExtra.menu_item_name.label("name"),
            func.coalesce(MenuItem.category, literal(EXTRA_CATEGORY)).label("category"),
            OrderExtra.quantity.label("quantity"),
        )
        .join(orders, orders.c.id == OrderExtra.order_id)
        .outerjoin(MenuItem, MenuItem.id == OrderExtra.menu_item_id),
    ).cte("dishes")

    by_category = (
        await session.execute(
            select(dishes.c.category, func.sum(dishes.c.quantity))
            .group_by(dishes.c.category)
            .order_by(func.sum(dishes.c.quantity).desc(), dishes.c.category)
        )
    ).all()
    portions = sum(int(amount) for _, amount in by_category)
    categories = {
        category: CategoryShare(count=int(amount), percent=round(100 * int(amount) / portions, 1))
        for category, amount in by_category
    }

    unique_dishes = await session.scalar(select(func.count(func.distinct(dishes.c.name)))) or 0
    favorites = (
        await session.execute(
            select(dishes.c.name, func.sum(dishes.c.quantity).label("portions"))
            .group_by(dishes.c.name)
            .order_by(func.sum(dishes.c.quantity).desc(), dishes.c.name)
            .limit(FAVORITES)
        )
    ).all()

    cafes = select(orders.c.cafe_id).distinct()
    available = (
        await session.scalar(
            select(func.count())
            .select_from(MenuItem)
            .where(MenuItem.cafe_id.in_(cafes), MenuItem.is_available.is_(True))
        )
        or 0
    )
    return OrderStats(
        orders_count=orders_count,
        categories=categories,
        unique_dishes=unique_dishes,
        total_dishes_available=available,
        favorite_dishes=[FavoriteDish(name=name, count=int(count)) for name, count in favorites],
    )


async def untried_dishes(
    session: AsyncSession, tgid: int, window: Window, *, limit: int = 25
) -> list[MenuDish]:
    """Available dishes on the user's cafes' menus that the user has not ordered in the window."""
    orders = _orders_in(window, tgid).cte("recent_orders")
    eaten = union_all(
        select(OrderItem.menu_item_name.label("name")).join(
            orders, orders.c.id == OrderItem.order_id
        ),
        select(OrderExtra.menu_item_name.label("name")).join(
            orders, orders.c.id == OrderExtra.order_id
        ),
    ).cte("eaten")
    rows = (
        await session.execute(
            select(MenuItem.name, MenuItem.category)
            .where(
                MenuItem.cafe_id.in_(select(orders.c.cafe_id)),
                MenuItem.is_available.is_(True),
                MenuItem.name.not_in(select(eaten.c.name)),
            )
            .distinct()
            .order_by(MenuItem.category, MenuItem.name)
            .limit(limit)
        )
    ).all()
    return [MenuDish(name, category) for name, category in rows]


async def active_users(session: AsyncSession, window: Window, *, min_orders: int) -> list[int]:
    """Active users with at least `min_orders` orders in the window, by tgid."""
    rows = await session.scalars(
        select(Order.user_tgid)
        .join(User, User.tgid == Order.user_tgid)
        .where(
            User.is_active.is_(True),
            Order.status != OrderStatus.CANCELLED,
            Order.order_date.between(window.first, window.last),
        )
        .group_by(Order.user_tgid)
        .having(func.count() >= min_orders)
        .order_by(Order.user_tgid)
    )
    return list(rows)
