"""After placing: employees list, read, change and cancel their orders until the deadline;
managers see and cancel everyone's."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.kit.clock import FixedClock
from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings
from shared.models import Order, Role, User
from shared.notifications.announcements import announce_deadlines
from tests.factories import CafeMenu, combo_order, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]
AFTER_DEADLINE = datetime(2026, 11, 24, 8, 0, 30, tzinfo=UTC)  # 11:00:30 in Moscow


async def place(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, object]) -> int:
    response = await client.post("/orders", json=body, headers=headers)
    assert response.status_code == 201, response.text
    order_id: int = response.json()["id"]
    return order_id


def borscht(menu: CafeMenu, quantity: int = 1) -> dict[str, object]:
    return {
        "type": "standalone",
        "menu_item_id": menu.borscht.id,
        "quantity": quantity,
        "options": {"Размер порции": "Стандартная"},
    }


async def test_employees_see_only_their_orders_and_managers_see_all_with_filters(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    first = await session.run_sync(make_cafe)
    second = await session.run_sync(make_cafe, "Пельменная")
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    maria = await session.run_sync(make_user, 1002, "Мария Иванова")
    boss = await session.run_sync(make_user, 9001, "Ольга Менеджер", role=Role.MANAGER)
    await place(client, auth(ivan), combo_order(first))
    await place(client, auth(ivan), combo_order(second))
    await place(client, auth(maria), combo_order(first))

    mine = (await client.get("/orders", headers=auth(ivan))).json()
    assert mine["total"] == 2
    assert {order["user_name"] for order in mine["items"]} == {"Иван Петров"}
    assert {order["cafe_name"] for order in mine["items"]} == {"Столовая №1", "Пельменная"}

    everyone = (await client.get("/orders", headers=auth(boss))).json()
    assert everyone["total"] == 3
    at_first = await client.get(
        "/orders",
        params={"cafe_id": first.cafe.id, "date": "2026-11-24", "status": "pending", "limit": 1},
        headers=auth(boss),
    )
    assert at_first.json()["total"] == 2
    assert len(at_first.json()["items"]) == 1
    other_day = await client.get("/orders", params={"date": "2026-11-25"}, headers=auth(boss))
    assert other_day.json() == {"items": [], "total": 0}
    # A page past the end is empty but still says how many there are.
    past_the_end = await client.get("/orders", params={"offset": 3}, headers=auth(boss))
    assert past_the_end.json() == {"items": [], "total": 3}


async def test_someone_elses_order_looks_exactly_like_a_missing_one(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    maria = await session.run_sync(make_user, 1002, "Мария Иванова")
    boss = await session.run_sync(make_user, 9001, "Ольга Менеджер", role=Role.MANAGER)
    order_id = await place(client, auth(ivan), combo_order(menu))

    assert (await client.get(f"/orders/{order_id}", headers=auth(ivan))).status_code == 200
    assert (await client.get(f"/orders/{order_id}", headers=auth(boss))).json()["id"] == order_id
    theirs = await client.get(f"/orders/{order_id}", headers=auth(maria))
    missing = await client.get("/orders/999999", headers=auth(maria))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["code"] == missing.json()["code"] == "not_found"
    patch = await client.patch(f"/orders/{order_id}", json={"notes": "ха"}, headers=auth(maria))
    delete = await client.delete(f"/orders/{order_id}", headers=auth(maria))
    assert patch.status_code == delete.status_code == 404
    stored = await session.get(Order, order_id)
    assert stored is not None
    assert (stored.status, stored.notes) == ("pending", None)


async def test_a_change_is_rechecked_and_repriced_like_a_new_order(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    order_id = await place(client, auth(ivan), combo_order(menu, notes="Без лука"))

    # When Ivan adds a borscht and two drinks, keeping his combo and note
    response = await client.patch(
        f"/orders/{order_id}",
        json={
            "items": [*combo_order(menu)["items"], borscht(menu)],
            "extras": [{"menu_item_id": menu.mors.id, "quantity": 2}],
        },
        headers=auth(ivan),
    )
    assert response.status_code == 200, response.text
    order = response.json()
    assert order["total_price"] == 450 + 180 + 2 * 60
    assert [item["menu_item_name"] for item in order["items"]] == [
        "Салат Цезарь",
        "Суп дня",
        "Котлета с пюре",
        "Борщ",
    ]
    assert order["notes"] == "Без лука"

    # When he drops the combo: its picks cannot stay without it
    response = await client.patch(
        f"/orders/{order_id}", json={"combo_id": None}, headers=auth(ivan)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_order"

    # When he drops the combo and its picks and clears the note
    response = await client.patch(
        f"/orders/{order_id}",
        json={"combo_id": None, "items": [borscht(menu, 2)], "notes": None},
        headers=auth(ivan),
    )
    assert response.status_code == 200, response.text
    order = response.json()
    assert (order["combo"], order["notes"], order["total_price"]) == (None, None, 2 * 180 + 120)
    stored = await session.scalar(select(Order.total_price).where(Order.id == order_id))
    assert stored == Decimal("480.00")


async def test_a_refused_change_leaves_the_order_as_it_was(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    order_id = await place(client, auth(ivan), combo_order(menu))
    response = await client.patch(
        f"/orders/{order_id}",
        json={"combo_id": None, "items": [{"type": "standalone", "menu_item_id": menu.borscht.id}]},
        headers=auth(ivan),
    )
    assert response.json() == {
        "detail": "Для «Борщ» выберите «Размер порции»",
        "code": "invalid_order",
    }
    order = (await client.get(f"/orders/{order_id}", headers=auth(ivan))).json()
    assert len(order["items"]) == 3
    assert order["total_price"] == 450


async def test_the_weekly_limit_counts_the_changed_order_once(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров", weekly_limit=Decimal("500"))
    order_id = await place(client, auth(ivan), combo_order(menu))

    # Re-saving a 450 ₽ order within a 500 ₽ limit is fine: it does not pay for itself twice
    same = await client.patch(f"/orders/{order_id}", json={"notes": "к 13:00"}, headers=auth(ivan))
    assert same.status_code == 200, same.text
    more = await client.patch(
        f"/orders/{order_id}",
        json={"extras": [{"menu_item_id": menu.mors.id, "quantity": 1}]},
        headers=auth(ivan),
    )
    assert more.json() == {
        "detail": "Заказ на 510 ₽ превышает недельный лимит: осталось 500 ₽ из 500 ₽",
        "code": "budget_exceeded",
    }


async def test_a_cancelled_order_stays_in_history_and_the_day_can_be_ordered_again(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    order_id = await place(client, auth(ivan), combo_order(menu))

    response = await client.delete(f"/orders/{order_id}", headers=auth(ivan))
    assert response.status_code == 204
    assert response.content == b""
    cancelled = (await client.get(f"/orders/{order_id}", headers=auth(ivan))).json()
    assert cancelled["status"] == "cancelled"
    # Cancelling twice changes nothing; changing a cancelled order points to a new one
    assert (await client.delete(f"/orders/{order_id}", headers=auth(ivan))).status_code == 204
    change = await client.patch(f"/orders/{order_id}", json={"notes": "!"}, headers=auth(ivan))
    assert change.status_code == 400
    assert change.json()["code"] == "order_cancelled"

    again = await place(client, auth(ivan), combo_order(menu))
    assert again != order_id
    history = (await client.get("/orders", headers=auth(ivan))).json()
    assert [(order["id"], order["status"]) for order in history["items"]] == [
        (again, "pending"),
        (order_id, "cancelled"),
    ]
    only_cancelled = await client.get("/orders", params={"status": "cancelled"}, headers=auth(ivan))
    assert only_cancelled.json()["total"] == 1


async def test_after_the_deadline_employees_cannot_change_or_cancel_but_a_manager_can_cancel(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    boss = await session.run_sync(make_user, 9001, "Ольга Менеджер", role=Role.MANAGER)
    order_id = await place(client, auth(ivan), combo_order(menu))
    clock.set(AFTER_DEADLINE)

    closed = {"detail": "Приём заказов на 24.11 закончился в 11:00", "code": "ordering_closed"}
    change = await client.patch(f"/orders/{order_id}", json={"notes": "!"}, headers=auth(ivan))
    assert (change.status_code, change.json()) == (400, closed)
    cancel = await client.delete(f"/orders/{order_id}", headers=auth(ivan))
    assert (cancel.status_code, cancel.json()) == (400, closed)

    assert (await client.delete(f"/orders/{order_id}", headers=auth(boss))).status_code == 204
    assert (await client.get(f"/orders/{order_id}", headers=auth(ivan))).json()[
        "status"
    ] == "cancelled"


async def test_an_order_is_confirmed_once_its_deadline_is_recorded(
    client: httpx.AsyncClient,
    session: AsyncSession,
    sessions: async_sessionmaker[AsyncSession],
    api_settings: Settings,
    auth: Auth,
    clock: FixedClock,
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    order_id = await place(client, auth(ivan), combo_order(menu))
    assert (await client.get(f"/orders/{order_id}", headers=auth(ivan))).json()[
        "status"
    ] == "pending"
    clock.set(AFTER_DEADLINE)
    # The deadline check records the cafe and date (and then tells the cafe)
    producer = EventProducer(api_settings)
    try:
        run = await announce_deadlines(sessions, producer, api_settings, now=AFTER_DEADLINE)
    finally:
        await producer.close()
    assert run.recorded == 1

    order = (await client.get(f"/orders/{order_id}", headers=auth(ivan))).json()
    assert order["status"] == "confirmed"
    confirmed = await client.get("/orders", params={"status": "confirmed"}, headers=auth(ivan))
    pending = await client.get("/orders", params={"status": "pending"}, headers=auth(ivan))
    assert (confirmed.json()["total"], pending.json()["total"]) == (1, 0)
    assert await session.scalar(select(func.count()).select_from(Order)) == 1
