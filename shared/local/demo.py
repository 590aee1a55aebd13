"""Demo data for the local runner: cafes with Russian menus, combos, extras, schedules, people."""

from datetime import time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Cafe, Combo, DeadlineSchedule, MenuItem, MenuItemOption, Role, User

MANAGER_TGID = 100001
EMPLOYEE_TGID = 100002

PEOPLE = [
    (MANAGER_TGID, "Ольга Смирнова", Role.MANAGER, Decimal("5000")),
    (EMPLOYEE_TGID, "Иван Петров", Role.USER, Decimal("3000")),
    (100003, "Мария Сидорова", Role.USER, Decimal("3000")),
    (100004, "Алексей Козлов", Role.USER, None),
]

PORTIONS = ["Стандарт", "Большая"]
SPICINESS = ["Без остроты", "Средняя", "Острая"]
KHINKALI = ["3 шт", "5 шт"]

# name, description, address, dishes [(name, category, price, options)], combos, deadline
CAFES = [
    (
        "Столовая №1",
        "Домашняя кухня в соседнем здании",
        "ул. Льва Толстого, 16",
        [
            ("Салат Цезарь", "salad", None, []),
            ("Винегрет", "salad", None, []),
            (
                "Борщ с курицей",
                "soup",
                Decimal("180"),
                [("Размер порции", ["Стандарт", "Большая"], True)],
            ),
            ("Куриная лапша", "soup", None, []),
            ("Котлета по-киевски с пюре", "main", Decimal("290"), []),
            ("Гречка с грибами", "main", None, []),
            ("Морс клюквенный", "extra", Decimal("60"), []),
            ("Фокачча с пряным маслом", "extra", Decimal("50"), []),
        ],
        [
            ("Салат + Суп", ["salad", "soup"], Decimal("350")),
            ("Салат + Суп + Горячее", ["salad", "soup", "main"], Decimal("450")),
        ],
        time(11, 0),
    ),
    (
        "Грузинский дворик",
        "Хинкали и пхали к обеду",
        "Садовническая ул., 9",
        [
            ("Пхали ассорти", "salad", None, []),
            (
                "Харчо",
                "soup",
                Decimal("260"),
                [("Острота", ["Без остроты", "Средняя", "Острая"], False)],
            ),
            (
                "Хинкали с говядиной",
                "main",
                Decimal("320"),
                [("Количество", ["3 шт", "5 шт"], True)],
            ),
            ("Чахохбили", "main", None, []),
            ("Лимонад тархун", "extra", Decimal("120"), []),
        ],
        [("Суп + Горячее", ["soup", "main"], Decimal("520"))],
        time(10, 30),
    ),
]


async def load_demo_data(session: AsyncSession) -> bool:
    """Fill an empty database; leaves a database that has cafes alone. True if it loaded."""
    if await session.scalar(select(func.count()).select_from(Cafe)):
        return False
    for tgid, name, role, limit in PEOPLE:
        session.add(
            User(tgid=tgid, name=name, office="Москва, Центральный", role=role, weekly_limit=limit)
        )
    for name, description, address, dishes, combos, deadline in CAFES:
        cafe = Cafe(name=name, description=description, address=address, is_active=True)
        session.add(cafe)
        await session.flush()
        for dish_name, category, price, options in dishes:
            dish = MenuItem(cafe_id=cafe.id, name=dish_name, category=category, price=price)
            session.add(dish)
            await session.flush()
            for option_name, values, required in options:
                session.add(
                    MenuItemOption(
                        menu_item_id=dish.id, name=option_name, values=values, is_required=required
                    )
                )
        for combo_name, categories, price in combos:
            session.add(Combo(cafe_id=cafe.id, name=combo_name, categories=categories, price=price))
        for weekday in range(5):
            session.add(
                DeadlineSchedule(
                    cafe_id=cafe.id, weekday=weekday, deadline_time=deadline, advance_days=2
                )
            )
    await session.flush()
    return True
