"""Demo data for the local runner: cafes with Russian menus, combos, extras, schedules, people,
chats linked to the cafes (their messages show on the runner's dev page) and two weeks of orders."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shared.kit.errors import DomainError
from shared.kit.settings import Settings
from shared.models import Cafe, Combo, DeadlineSchedule, MenuItem, MenuItemOption, Role, User
from shared.ordering.schemas import ComboPickIn, ExtraIn, OrderCreate, StandaloneItemIn
from shared.ordering.service import place_order

MANAGER_TGID = 100001
# Telegram group chats (negative ids) the demo cafes are linked to.
CAFE_CHAT_BASE = -1001000000000
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

# name, description, address, dishes [(name, category, price, options)], combos, deadline;
# an option is (name, values, required, extra price)
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
                [("Размер порции", ["Стандарт", "Большая"], True, Decimal(0))],
            ),
            ("Куриная лапша", "soup", None, []),
            (
                "Котлета по-киевски с пюре",
                "main",
                Decimal("290"),
                # A priced option: chosen, it adds 50 ₽ (in a combo too).
                [("Большая порция", ["Да"], False, Decimal("50"))],
            ),
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
                [("Острота", ["Без остроты", "Средняя", "Острая"], False, Decimal(0))],
            ),
            (
                "Хинкали с говядиной",
                "main",
                Decimal("320"),
                [("Количество", ["3 шт", "5 шт"], True, Decimal(0))],
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
    for number, (name, description, address, dishes, combos, deadline) in enumerate(CAFES, 1):
        cafe = Cafe(
            name=name,
            description=description,
            address=address,
            is_active=True,
            # Linked as if each cafe's manager had followed the bot's link and been approved.
            tg_chat_id=CAFE_CHAT_BASE - number,
            tg_username=f"cafe_{number}_orders",
            notifications_enabled=True,
            linked_at=datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
        )
        session.add(cafe)
        await session.flush()
        for dish_name, category, price, options in dishes:
            dish = MenuItem(cafe_id=cafe.id, name=dish_name, category=category, price=price)
            session.add(dish)
            await session.flush()
            for option_name, values, required, option_price in options:
                session.add(
                    MenuItemOption(
                        menu_item_id=dish.id,
                        name=option_name,
                        values=values,
                        is_required=required,
                        price=option_price,
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


async def load_order_history(session: AsyncSession, settings: Settings, *, today: date) -> int:
    """Orders for the ten working days before `today`, placed through the ordering rules."""
    cafes = list(await session.scalars(select(Cafe).order_by(Cafe.id)))
    people = list(await session.scalars(select(User).order_by(User.tgid)))
    zone = ZoneInfo(settings.company_timezone)
    placed = 0
    day = today
    for _ in range(10):
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        morning = datetime.combine(day, time(9, 0), tzinfo=zone)
        for index, person in enumerate(people):
            cafe = cafes[(index + day.toordinal()) % len(cafes)]
            request = await _demo_order(session, cafe, day, variant=index + day.day)
            try:
                await place_order(session, person, request, settings, now=morning)
            except DomainError:
                continue  # e.g. over the weekly limit: the rules say no, as they would in the app
            placed += 1
    await session.flush()
    return placed


async def _demo_order(session: AsyncSession, cafe: Cafe, day: date, *, variant: int) -> OrderCreate:
    dishes = list(
        await session.scalars(
            select(MenuItem)
            .where(MenuItem.cafe_id == cafe.id)
            .options(selectinload(MenuItem.options))
            .order_by(MenuItem.id)
        )
    )
    combos = list(
        await session.scalars(select(Combo).where(Combo.cafe_id == cafe.id).order_by(Combo.id))
    )
    combo = combos[variant % len(combos)]
    picks: list[ComboPickIn | StandaloneItemIn] = []
    for category in combo.categories:
        choices = [d for d in dishes if d.category == category]
        chosen = choices[variant % len(choices)]
        # Required options are asked inside a combo too: take each one's first value.
        options = {o.name: o.values[0] for o in chosen.options if o.is_required}
        picks.append(
            ComboPickIn(type="combo", category=category, menu_item_id=chosen.id, options=options)
        )
    drinks = [d for d in dishes if d.category == "extra"]
    extras = [ExtraIn(menu_item_id=drinks[0].id, quantity=1)] if variant % 2 and drinks else []
    notes = "Без лука, пожалуйста" if variant % 5 == 0 else None
    return OrderCreate(
        cafe_id=cafe.id, order_date=day, combo_id=combo.id, items=picks, extras=extras, notes=notes
    )
