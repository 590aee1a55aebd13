"""An option with an extra price (a large portion +50 ₽): a manager sets it, a refused price says
why beside the field, and orders, the weekly budget, the report and the cafe's message count it."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import MenuItemOption, Role, User
from shared.notifications.formatting import PersonOrder, cafe_order_messages
from shared.ordering import repository as orders
from tests.factories import CafeMenu, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
LARGE = "Большая порция"


async def given_a_priced_option(session: AsyncSession, price: str = "50") -> CafeMenu:
    """Столовая №1, whose borscht (180 ₽, a required size) can also be had large for `price`."""
    menu = await session.run_sync(make_cafe)
    session.add(
        MenuItemOption(
            menu_item_id=menu.borscht.id,
            name=LARGE,
            values=["Да"],
            is_required=False,
            price=Decimal(price),
        )
    )
    await session.flush()
    return menu


def borscht(menu: CafeMenu, quantity: int = 1, *, large: bool = True) -> dict[str, Any]:
    options = {"Размер порции": "Стандартная"} | ({LARGE: "Да"} if large else {})
    return {
        "type": "standalone",
        "menu_item_id": menu.borscht.id,
        "quantity": quantity,
        "options": options,
    }


def combo_with_borscht(menu: CafeMenu, *, large: bool = True) -> dict[str, Any]:
    options = {"Размер порции": "Стандартная"} | ({LARGE: "Да"} if large else {})
    return {
        "cafe_id": menu.cafe.id,
        "order_date": "2026-11-24",
        "combo_id": menu.full_combo.id,
        "items": [
            {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
            {
                "type": "combo",
                "category": "soup",
                "menu_item_id": menu.borscht.id,
                "options": options,
            },
            {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
        ],
    }


async def test_a_manager_sets_an_option_s_price_and_the_menu_shows_it(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given Olga manages Столовая №1's menu
    menu = await session.run_sync(make_cafe)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}/options"

    # When she adds a large portion for 50 ₽, and a sauce the way the original client does
    # (no price at all)
    large = await client.post(
        url, json={"name": LARGE, "values": ["Да"], "price": "50"}, headers=auth(olga)
    )
    sauce = await client.post(
        url, json={"name": "Соус", "values": ["Сметана"], "is_required": False}, headers=auth(olga)
    )

    # Then the large portion costs 50 ₽ and the sauce nothing, every original field still there
    assert large.status_code == 201, large.text
    assert large.json() | {"id": 0} == {
        "id": 0,
        "menu_item_id": menu.borscht.id,
        "name": LARGE,
        "values": ["Да"],
        "is_required": False,
        "price": 50.0,
    }
    assert sauce.status_code == 201, sauce.text
    assert sauce.json()["price"] == 0.0

    # When she raises it to 75.50 ₽, then changes only its name
    option_url = f"{url}/{large.json()['id']}"
    raised = await client.patch(option_url, json={"price": 75.5}, headers=auth(olga))
    renamed = await client.patch(option_url, json={"name": "Двойная"}, headers=auth(olga))

    # Then the employee's menu shows the new price, kept across the rename
    assert raised.status_code == 200, raised.text
    assert raised.json()["price"] == 75.5
    assert renamed.json()["price"] == 75.5
    dish = await client.get(f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}", headers=auth(ivan))
    assert [(o["name"], o["price"]) for o in dish.json()["options"]] == [
        ("Размер порции", 0.0),
        ("Двойная", 75.5),
        ("Соус", 0.0),
    ]

    # And an employee cannot price options
    denied = await client.patch(option_url, json={"price": 0}, headers=auth(ivan))
    assert denied.status_code == 403


async def test_a_bad_option_price_is_refused_beside_the_field_in_the_app_s_language(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await given_a_priced_option(session)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}/options"
    listed = await client.get(url, headers=auth(olga))
    option_id = next(o["id"] for o in listed.json()["items"] if o["name"] == LARGE)

    def refused(response: httpx.Response) -> dict[str, str]:
        assert response.status_code == 422, response.text
        return {item["field"]: item["message"] for item in response.json()["errors"]}

    # A negative price, words instead of a number, a third decimal, a price too large
    for price, message in (
        (-5, "Не меньше 0"),
        ("пятьдесят", "Введите число, например 450 или 450.50"),
        ("10.005", "Не больше 2 знаков после точки"),
        ("123456789012", "Слишком большое число"),
    ):
        response = await client.post(
            url, json={"name": "Соус", "values": ["Да"], "price": price}, headers=auth(olga)
        )
        assert refused(response) == {"price": message}, price
        assert response.json()["detail"] == f"Цена: {message}"

    # The same refusals when changing one, in English for an English-speaking app
    english = {**auth(olga), **ENGLISH}
    negative = await client.patch(f"{url}/{option_id}", json={"price": -1}, headers=english)
    assert refused(negative) == {"price": "Must be at least 0"}
    cleared = await client.patch(f"{url}/{option_id}", json={"price": None}, headers=english)
    assert refused(cleared) == {"price": "This field cannot be cleared"}

    # And nothing was written: the option still costs 50 ₽, no sauce was added
    listed = await client.get(url, headers=auth(olga))
    assert [(o["name"], o["price"]) for o in listed.json()["items"]] == [
        ("Размер порции", 0.0),
        (LARGE, 50.0),
    ]


async def test_a_dish_with_a_priced_option_costs_both_and_the_order_keeps_that_price(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given the borscht (180 ₽) can be had large for 50 ₽ more
    menu = await given_a_priced_option(session)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)

    # When Ivan orders two large borschts and a regular one is ordered by nobody
    body = {
        "cafe_id": menu.cafe.id,
        "order_date": "2026-11-24",
        "items": [borscht(menu, 2)],
        "extras": [{"menu_item_id": menu.mors.id, "quantity": 1}],
    }
    response = await client.post("/orders", json=body, headers=auth(ivan))

    # Then each portion costs 230 ₽, and the line says what the option added
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["items"][0] | {"menu_item_id": None} == {
        "type": "standalone",
        "category": "soup",
        "menu_item_id": None,
        "menu_item_name": "Борщ",
        "quantity": 2,
        "options": {"Размер порции": "Стандартная", LARGE: "Да"},
        "option_prices": {LARGE: 50.0},
        "price": 230.0,
        "subtotal": 460.0,
    }
    assert order["total_price"] == 2 * (180 + 50) + 60

    # When the manager later makes the large portion dearer
    options_url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}/options"
    listed = await client.get(options_url, headers=auth(olga))
    large_id = next(o["id"] for o in listed.json()["items"] if o["name"] == LARGE)
    assert (
        await client.patch(f"{options_url}/{large_id}", json={"price": 90}, headers=auth(olga))
    ).status_code == 200

    # Then Ivan's order, his week's spending and the day's report keep the price he ordered at
    again = (await client.get(f"/orders/{order['id']}", headers=auth(ivan))).json()
    assert (again["items"][0]["price"], again["items"][0]["option_prices"]) == (
        230.0,
        {LARGE: 50.0},
    )
    assert again["total_price"] == 520.0
    balance = (await client.get(f"/users/{ivan.tgid}/balance", headers=auth(ivan))).json()
    assert balance["spent_this_week"] == 520.0
    report = await client.get(
        "/summaries/report",
        params={"cafe_id": menu.cafe.id, "date": "2026-11-24"},
        headers=auth(olga),
    )
    assert report.status_code == 200, report.text
    assert report.json()["total_amount"] == 520.0
    [person] = report.json()["people"]
    assert (person["items"][0]["price"], person["items"][0]["subtotal"]) == (230.0, 460.0)

    # And a borscht ordered without the option costs 180 ₽ and lists no option price
    maria = await session.run_sync(make_user, 1002, "Мария Иванова")
    plain = await client.post(
        "/orders",
        json=body | {"items": [borscht(menu, large=False)], "extras": []},
        headers=auth(maria),
    )
    assert plain.status_code == 201, plain.text
    assert (plain.json()["items"][0]["price"], plain.json()["items"][0]["option_prices"]) == (
        180.0,
        {},
    )
    assert plain.json()["total_price"] == 180.0


async def test_a_priced_option_of_a_dish_in_a_combo_is_added_to_the_combo_price(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given the borscht can be picked as the combo's soup (450 ₽) and had large for 50 ₽
    menu = await given_a_priced_option(session)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")

    # When Ivan takes the combo with a large borscht
    response = await client.post("/orders", json=combo_with_borscht(menu), headers=auth(ivan))

    # Then the combo keeps its price and the large portion is added on top
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["combo"]["combo_price"] == 450.0
    soup = order["items"][1]
    assert (soup["menu_item_name"], soup["option_prices"], soup["options_price"]) == (
        "Борщ",
        {LARGE: 50.0},
        50.0,
    )
    assert order["items"][0]["options_price"] == 0.0
    assert order["total_price"] == 500.0

    # When he changes his mind: the regular portion
    changed = await client.patch(
        f"/orders/{order['id']}",
        json={"items": combo_with_borscht(menu, large=False)["items"]},
        headers=auth(ivan),
    )

    # Then the order is back to the combo's price
    assert changed.status_code == 200, changed.text
    assert changed.json()["total_price"] == 450.0
    assert changed.json()["items"][1]["option_prices"] == {}

    # And once large again, the cafe's message shows what the option added to the picked dish
    again = await client.patch(
        f"/orders/{order['id']}",
        json={"items": combo_with_borscht(menu)["items"]},
        headers=auth(ivan),
    )
    assert again.json()["total_price"] == 500.0
    day = date.fromisoformat(order["order_date"])
    people = [
        PersonOrder(name, placed, office)
        for placed, name, office in await orders.orders_with_names(session, menu.cafe.id, day)
    ]
    [text] = cafe_order_messages("Столовая №1", day, people)
    assert "Борщ (суп): Стандартная, Да +50 ₽" in text
    assert "Итого: 1 заказ, 500 ₽" in text


async def test_the_weekly_limit_counts_the_option_price_when_placing_and_changing(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given Ivan may spend 480 ₽ a week: the combo (450 ₽) fits, with a large borscht it does not
    menu = await given_a_priced_option(session)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров", weekly_limit=Decimal("480"))

    # When he orders the combo with the large borscht
    over = await client.post("/orders", json=combo_with_borscht(menu), headers=auth(ivan))

    # Then he is told the order's real price and what remains
    assert over.status_code == 400
    assert over.json() == {
        "detail": "Заказ на 500 ₽ превышает недельный лимит: осталось 480 ₽ из 480 ₽",
        "code": "budget_exceeded",
    }

    # When he orders the regular one, then tries to make it large
    placed = await client.post(
        "/orders", json=combo_with_borscht(menu, large=False), headers=auth(ivan)
    )
    assert placed.status_code == 201, placed.text
    larger = await client.patch(
        f"/orders/{placed.json()['id']}",
        json={"items": combo_with_borscht(menu)["items"]},
        headers=auth(ivan),
    )

    # Then the change is refused the same way and the order stays as it was
    assert larger.status_code == 400
    assert larger.json()["code"] == "budget_exceeded"
    assert "Заказ на 500 ₽" in larger.json()["detail"]
    kept = await client.get(f"/orders/{placed.json()['id']}", headers=auth(ivan))
    assert kept.json()["total_price"] == 450.0
