"""Placing orders through the API: what an employee sees for good and bad requests."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.clock import FixedClock
from shared.models import Order, Role, User
from tests.factories import combo_order, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def test_a_combo_with_a_standalone_dish_and_extras_is_priced_from_the_menu(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    body = combo_order(
        menu,
        items=[
            *combo_order(menu)["items"],
            {
                "type": "standalone",
                "menu_item_id": menu.borscht.id,
                "quantity": 2,
                "options": {"Размер порции": "Большая"},
            },
        ],
        extras=[{"menu_item_id": menu.mors.id, "quantity": 3}],
        notes="  Без лука  ",
    )
    response = await client.post("/orders", json=body, headers=auth(ivan))
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["total_price"] == 450 + 2 * 180 + 3 * 60
    assert order["combo"] == {
        "combo_id": menu.full_combo.id,
        "combo_name": "Салат + Суп + Горячее",
        "combo_price": 450.0,
    }
    assert order["items"][3] | {"menu_item_id": None} == {
        "type": "standalone",
        "category": "soup",
        "menu_item_id": None,
        "menu_item_name": "Борщ",
        "quantity": 2,
        "options": {"Размер порции": "Большая"},
        "option_prices": {},
        "price": 180.0,
        "subtotal": 360.0,
    }
    assert order["extras"][0]["subtotal"] == 180.0
    assert order["notes"] == "Без лука"
    assert order["status"] == "pending"

    # When a manager later renames and reprices the dish and the drink through the API
    olga = await session.run_sync(make_user, 1002, "Ольга Смирнова", role=Role.MANAGER)
    for item_id, changes in (
        (menu.borscht.id, {"name": "Борщ с пампушками", "price": 999}),
        (menu.mors.id, {"price": 99}),
    ):
        edited = await client.patch(
            f"/cafes/{menu.cafe.id}/menu/{item_id}", json=changes, headers=auth(olga)
        )
        assert edited.status_code == 200, edited.text

    # Then the placed order reads as it was placed: names, prices and total
    again = (await client.get(f"/orders/{order['id']}", headers=auth(ivan))).json()
    assert again["total_price"] == 990.0
    assert again["items"][3]["menu_item_name"] == "Борщ"
    assert again["items"][3]["price"] == 180.0
    assert again["extras"][0]["subtotal"] == 180.0


async def test_ordering_after_the_deadline_is_refused_with_the_time_it_closed(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # 11:00 in Moscow
    response = await client.post("/orders", json=combo_order(menu), headers=auth(ivan))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Приём заказов на 24.11 закончился в 11:00",
        "code": "ordering_closed",
    }
    assert await session.scalar(select(func.count()).select_from(Order)) == 0


async def test_combo_picks_must_cover_each_category_once(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    two_salads = combo_order(
        menu,
        items=[
            {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
            {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
            {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
        ],
    )
    response = await client.post("/orders", json=two_salads, headers=auth(ivan))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_order"
    assert "salad, soup, main" in response.json()["detail"]


async def test_a_required_option_must_be_chosen_and_values_must_be_allowed(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    borscht: dict[str, Any] = {"type": "standalone", "menu_item_id": menu.borscht.id}
    missing = combo_order(menu, combo_id=None, items=[borscht])
    response = await client.post("/orders", json=missing, headers=auth(ivan))
    assert response.json()["detail"] == "Для «Борщ» выберите «Размер порции»"
    wrong = combo_order(
        menu, combo_id=None, items=[borscht | {"options": {"Размер порции": "XXL"}}]
    )
    response = await client.post("/orders", json=wrong, headers=auth(ivan))
    assert response.status_code == 400
    assert "Стандартная, Большая" in response.json()["detail"]


async def test_a_second_order_for_the_same_cafe_and_day_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    assert (
        await client.post("/orders", json=combo_order(menu), headers=auth(ivan))
    ).status_code == 201
    response = await client.post("/orders", json=combo_order(menu), headers=auth(ivan))
    assert response.status_code == 409
    assert response.json()["code"] == "order_exists"


async def test_an_order_over_the_weekly_limit_says_how_much_remains(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров", weekly_limit=Decimal("400"))
    response = await client.post("/orders", json=combo_order(menu), headers=auth(ivan))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Заказ на 450 ₽ превышает недельный лимит: осталось 400 ₽ из 400 ₽",
        "code": "budget_exceeded",
    }


async def test_anonymous_callers_and_malformed_bodies_get_clear_errors(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    response = await client.post("/orders", json={})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    response = await client.post(
        "/orders", json={"cafe_id": 1, "order_date": "завтра"}, headers=auth(ivan)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "order_date"


async def test_a_dish_s_required_option_is_asked_inside_a_combo_too(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given Борщ, whose portion size must be chosen, is the soup of Иван's combo
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    picks = [
        {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
        {"type": "combo", "category": "soup", "menu_item_id": menu.borscht.id},
        {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
    ]

    # When he sends it without the size, or with a size the menu does not have, it is refused
    missing = await client.post("/orders", json=combo_order(menu, items=picks), headers=auth(ivan))
    assert missing.status_code == 400
    assert missing.json()["detail"] == "Для «Борщ» выберите «Размер порции»"
    picks[1]["options"] = {"Размер порции": "Огромная"}
    wrong = await client.post("/orders", json=combo_order(menu, items=picks), headers=auth(ivan))
    assert "Стандартная, Большая" in wrong.json()["detail"]

    # Then with the size chosen the order is placed and keeps the choice for the cafe
    picks[1]["options"] = {"Размер порции": "Большая"}
    placed = await client.post("/orders", json=combo_order(menu, items=picks), headers=auth(ivan))
    assert placed.status_code == 201, placed.text
    soup = next(item for item in placed.json()["items"] if item["category"] == "soup")
    assert (soup["menu_item_name"], soup["options"]) == ("Борщ", {"Размер порции": "Большая"})
