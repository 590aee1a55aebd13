"""Rows for tests: a realistic cafe with a menu, combos and a schedule; employees."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from shared.models import (
    Cafe,
    Combo,
    DeadlineSchedule,
    ItemKind,
    MenuItem,
    MenuItemOption,
    Order,
    OrderExtra,
    OrderItem,
    OrderStatus,
    RequestStatus,
    Role,
    User,
    UserAccessRequest,
)


def make_user(
    session: Session,
    tgid: int,
    name: str,
    *,
    office: str = "Москва, Центральный",
    role: Role = Role.USER,
    weekly_limit: Decimal | None = None,
    is_active: bool = True,
) -> User:
    user = User(
        tgid=tgid,
        name=name,
        office=office,
        role=role,
        weekly_limit=weekly_limit,
        is_active=is_active,
    )
    session.add(user)
    session.flush()
    return user


@dataclass
class CafeMenu:
    cafe: Cafe
    salad: MenuItem
    soup: MenuItem
    main: MenuItem
    borscht: MenuItem  # a soup also sold on its own, with a required size option
    mors: MenuItem  # an extra
    full_combo: Combo  # salad + soup + main


def make_cafe(
    session: Session,
    name: str = "Столовая №1",
    *,
    chat_id: int | None = -1001234567890,
    notifications: bool = True,
    deadline: time = time(11, 0),
    advance_days: int = 1,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
) -> CafeMenu:
    cafe = Cafe(
        name=name,
        description="Домашняя кухня",
        is_active=True,
        tg_chat_id=chat_id,
        tg_username="stolovaya1",
        notifications_enabled=notifications,
    )
    session.add(cafe)
    session.flush()
    salad = MenuItem(cafe_id=cafe.id, name="Салат Цезарь", category="salad", price=None)
    soup = MenuItem(cafe_id=cafe.id, name="Суп дня", category="soup", price=None)
    main = MenuItem(cafe_id=cafe.id, name="Котлета с пюре", category="main", price=None)
    borscht = MenuItem(cafe_id=cafe.id, name="Борщ", category="soup", price=Decimal("180.00"))
    mors = MenuItem(cafe_id=cafe.id, name="Морс клюквенный", category="extra", price=Decimal("60"))
    session.add_all([salad, soup, main, borscht, mors])
    session.flush()
    session.add(
        MenuItemOption(
            menu_item_id=borscht.id,
            name="Размер порции",
            values=["Стандартная", "Большая"],
            is_required=True,
        )
    )
    combo = Combo(
        cafe_id=cafe.id,
        name="Салат + Суп + Горячее",
        categories=["salad", "soup", "main"],
        price=Decimal("450.00"),
    )
    session.add(combo)
    for weekday in weekdays:
        session.add(
            DeadlineSchedule(
                cafe_id=cafe.id, weekday=weekday, deadline_time=deadline, advance_days=advance_days
            )
        )
    session.flush()
    return CafeMenu(cafe, salad, soup, main, borscht, mors, combo)


def make_access_request(
    session: Session,
    tgid: int,
    name: str,
    *,
    username: str | None = None,
    office: str = "",
    status: RequestStatus = RequestStatus.PENDING,
    created_at: datetime | None = None,
) -> UserAccessRequest:
    request = UserAccessRequest(
        tgid=tgid, name=name, username=username, office=office, status=status
    )
    if created_at is not None:
        request.created_at = created_at
    session.add(request)
    session.flush()
    return request


def make_placed_order(
    session: Session,
    user: User,
    cafe: Cafe,
    order_date: date,
    total: Decimal | str,
    *,
    status: OrderStatus = OrderStatus.PENDING,
) -> Order:
    """An order as stored after placing it, reduced to what budgets and reports read."""
    order = Order(
        user_tgid=user.tgid,
        cafe_id=cafe.id,
        order_date=order_date,
        status=status,
        total_price=Decimal(total),
    )
    session.add(order)
    session.flush()
    return order


def make_order(
    session: Session,
    user: User,
    menu: CafeMenu,
    order_date: date,
    *,
    combo: bool = True,
    dishes: Sequence[tuple[MenuItem, int]] = (),
    extras: Sequence[tuple[MenuItem, int]] = (),
    status: OrderStatus = OrderStatus.PENDING,
) -> Order:
    """A complete order at `menu`'s cafe: the full combo's picks, standalone dishes, extras."""
    items: list[OrderItem] = []
    if combo:
        items = [
            OrderItem(
                position=position,
                kind=ItemKind.COMBO,
                category=dish.category,
                menu_item_id=dish.id,
                menu_item_name=dish.name,
                quantity=1,
            )
            for position, dish in enumerate((menu.salad, menu.soup, menu.main))
        ]
    for dish, quantity in dishes:
        items.append(
            OrderItem(
                position=len(items),
                kind=ItemKind.STANDALONE,
                category=dish.category,
                menu_item_id=dish.id,
                menu_item_name=dish.name,
                quantity=quantity,
                unit_price=dish.price,
            )
        )
    added = [
        OrderExtra(
            position=position,
            menu_item_id=dish.id,
            menu_item_name=dish.name,
            quantity=quantity,
            unit_price=dish.price or Decimal(0),
        )
        for position, (dish, quantity) in enumerate(extras)
    ]
    total = (menu.full_combo.price if combo else Decimal(0)) + sum(
        ((item.unit_price or Decimal(0)) * item.quantity for item in items), Decimal(0)
    )
    total += sum((extra.unit_price * extra.quantity for extra in added), Decimal(0))
    order = Order(
        user_tgid=user.tgid,
        cafe_id=menu.cafe.id,
        order_date=order_date,
        status=status,
        combo_id=menu.full_combo.id if combo else None,
        combo_name=menu.full_combo.name if combo else None,
        combo_price=menu.full_combo.price if combo else None,
        total_price=total,
        items=items,
        extras=added,
    )
    session.add(order)
    session.flush()
    return order


def combo_order(menu: CafeMenu, **changes: Any) -> dict[str, Any]:
    """A POST /orders body for Tuesday's full combo (salad, soup, main); `changes` replace keys."""
    body: dict[str, Any] = {
        "cafe_id": menu.cafe.id,
        "order_date": "2026-11-24",
        "combo_id": menu.full_combo.id,
        "items": [
            {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
            {"type": "combo", "category": "soup", "menu_item_id": menu.soup.id},
            {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
        ],
    }
    return body | changes


def full_order(menu: CafeMenu) -> dict[str, Any]:
    """A POST /orders body with every kind of line: a combo, a dish with an option, an extra."""
    combo = combo_order(menu)
    dish = {
        "type": "standalone",
        "menu_item_id": menu.borscht.id,
        "quantity": 1,
        "options": {"Размер порции": "Большая"},
    }
    return combo | {
        "items": [*combo["items"], dish],
        "extras": [{"menu_item_id": menu.mors.id, "quantity": 2}],
        "notes": "Без лука",
    }
