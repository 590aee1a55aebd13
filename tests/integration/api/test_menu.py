"""Dishes and their options through the API: employees see what they can order, managers edit."""

from collections.abc import Callable
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import MenuItemOption, OrderItem, Role, User
from tests.factories import CafeMenu, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def given_a_cafe(session: AsyncSession) -> tuple[CafeMenu, User, User]:
    menu = await session.run_sync(make_cafe)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    return menu, olga, ivan


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


async def test_employees_see_available_dishes_and_managers_see_the_whole_menu(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    menu.soup.is_available = False
    await session.flush()
    url = f"/cafes/{menu.cafe.id}/menu"

    assert names(await client.get(url, headers=auth(ivan))) == [
        "Морс клюквенный",
        "Котлета с пюре",
        "Салат Цезарь",
        "Борщ",
    ]
    assert "Суп дня" not in names(
        await client.get(f"{url}?include_unavailable=true", headers=auth(ivan))
    )
    assert "Суп дня" in names(await client.get(url, headers=auth(olga)))
    assert "Суп дня" not in names(
        await client.get(f"{url}?include_unavailable=false", headers=auth(olga))
    )
    assert names(await client.get(f"{url}?category=soup", headers=auth(olga))) == [
        "Борщ",
        "Суп дня",
    ]

    borscht = (await client.get(f"{url}?category=soup", headers=auth(ivan))).json()["items"][0]
    assert borscht == {
        "id": menu.borscht.id,
        "cafe_id": menu.cafe.id,
        "name": "Борщ",
        "description": None,
        "category": "soup",
        "price": 180.0,
        "is_available": True,
        "labels": [],
        "options": [
            {
                "id": borscht["options"][0]["id"],
                "menu_item_id": menu.borscht.id,
                "name": "Размер порции",
                "values": ["Стандартная", "Большая"],
                "is_required": True,
                "price": 0.0,
            }
        ],
    }
    bad = await client.get(f"{url}?category=Супы!", headers=auth(ivan))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "category"
    assert (await client.get("/cafes/999999/menu", headers=auth(ivan))).status_code == 404
    assert (await client.get(url)).status_code == 401


async def test_a_manager_adds_combo_only_dishes_and_priced_extras(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, _ = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/menu"

    soup = await client.post(
        url, json={"name": "Солянка", "category": " Soup ", "price": None}, headers=auth(olga)
    )
    assert soup.status_code == 201, soup.text
    assert soup.json() | {"id": 0} == {
        "id": 0,
        "cafe_id": menu.cafe.id,
        "name": "Солянка",
        "description": None,
        "category": "soup",
        "price": None,
        "is_available": True,
        "labels": [],
        "options": [],
    }
    dessert = await client.post(
        url,
        json={"name": "Чизкейк", "description": "120 г.", "category": "dessert", "price": 210.5},
        headers=auth(olga),
    )
    assert dessert.status_code == 201
    assert (dessert.json()["category"], dessert.json()["price"]) == ("dessert", 210.5)

    unpriced_extra = await client.post(
        url, json={"name": "Фокачча", "category": "extra"}, headers=auth(olga)
    )
    assert unpriced_extra.status_code == 400
    says = "«Фокачча» в категории extra продаётся только отдельно: укажите цену"
    assert unpriced_extra.json() == {
        "detail": says,
        "code": "extra_needs_price",
        "errors": [{"field": "price", "message": says}],
    }
    for bad in (
        {"name": "Фокачча", "category": "extra", "price": 50.555},
        {"name": "Фокачча", "category": "extra", "price": -1},
        {"name": "Фокачча", "category": "1-я выпечка", "price": 50},
        {"name": "", "category": "extra", "price": 50},
    ):
        response = await client.post(url, json=bad, headers=auth(olga))
        assert response.status_code == 422, bad
    assert "Фокачча" not in names(await client.get(url, headers=auth(olga)))


async def test_an_unavailable_dish_is_found_only_by_managers(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    other = await session.run_sync(make_cafe, "Гриль-бар")
    url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}"

    response = await client.get(url, headers=auth(ivan))
    assert response.status_code == 200
    assert response.json()["options"][0]["name"] == "Размер порции"

    response = await client.patch(url, json={"is_available": False}, headers=auth(olga))
    assert response.json()["is_available"] is False
    hidden = await client.get(url, headers=auth(ivan))
    assert hidden.status_code == 404
    assert hidden.json()["detail"] == f"Блюда #{menu.borscht.id} нет в меню «Столовая №1»"
    assert (await client.get(url, headers=auth(olga))).status_code == 200

    elsewhere = f"/cafes/{other.cafe.id}/menu/{menu.borscht.id}"
    assert (await client.get(elsewhere, headers=auth(olga))).status_code == 404


async def test_editing_a_dish_keeps_extras_priced(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/menu"

    response = await client.patch(
        f"{url}/{menu.soup.id}",
        json={"name": "Суп-пюре", "description": "Тыквенный", "price": 150},
        headers=auth(olga),
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["price"]) == ("Суп-пюре", 150.0)
    assert response.json()["category"] == "soup"

    unpriced = await client.patch(f"{url}/{menu.mors.id}", json={"price": None}, headers=auth(olga))
    assert unpriced.status_code == 400
    assert unpriced.json()["code"] == "extra_needs_price"
    moved = await client.patch(
        f"{url}/{menu.salad.id}", json={"category": "extra"}, headers=auth(olga)
    )
    assert moved.status_code == 400
    await session.refresh(menu.mors)
    await session.refresh(menu.salad)
    assert (menu.mors.price, menu.salad.category) == (Decimal(60), "salad")

    combo_only = await client.patch(
        f"{url}/{menu.borscht.id}", json={"price": None}, headers=auth(olga)
    )
    assert combo_only.json()["price"] is None
    assert (
        await client.patch(f"{url}/{menu.soup.id}", json={"category": None}, headers=auth(olga))
    ).status_code == 422
    assert (
        await client.patch(f"{url}/999999", json={"name": "X"}, headers=auth(olga))
    ).status_code == 404
    denied = await client.patch(f"{url}/{menu.soup.id}", json={"name": "X"}, headers=auth(ivan))
    assert denied.status_code == 403


async def test_deleting_a_dish_leaves_past_orders_intact(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    order = {
        "cafe_id": menu.cafe.id,
        "order_date": "2026-11-24",
        "items": [
            {
                "type": "standalone",
                "menu_item_id": menu.borscht.id,
                "options": {"Размер порции": "Большая"},
            }
        ],
    }
    placed = await client.post("/orders", json=order, headers=auth(ivan))
    assert placed.status_code == 201, placed.text
    url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}"

    assert (await client.delete(url, headers=auth(ivan))).status_code == 403
    response = await client.delete(url, headers=auth(olga))

    assert response.status_code == 204
    assert (await client.get(url, headers=auth(olga))).status_code == 404
    assert (await client.delete(url, headers=auth(olga))).status_code == 404
    line = await session.scalar(select(OrderItem).where(OrderItem.order_id == placed.json()["id"]))
    assert line is not None
    assert (line.menu_item_id, line.menu_item_name, line.unit_price) == (None, "Борщ", Decimal(180))
    assert line.options == {"Размер порции": "Большая"}
    assert await session.scalar(select(func.count()).select_from(MenuItemOption)) == 0


async def test_a_manager_manages_the_options_of_a_dish(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}/options"

    spice = {"name": "Острота", "values": ["Без остроты", " Средняя "], "is_required": False}
    created = await client.post(url, json=spice, headers=auth(olga))
    assert created.status_code == 201, created.text
    option = created.json()
    assert option | {"id": 0} == {
        "id": 0,
        "menu_item_id": menu.borscht.id,
        "name": "Острота",
        "values": ["Без остроты", "Средняя"],
        "is_required": False,
        "price": 0.0,
    }
    listed = await client.get(url, headers=auth(ivan))
    assert [item["name"] for item in listed.json()["items"]] == ["Размер порции", "Острота"]

    changed = await client.patch(
        f"{url}/{option['id']}",
        json={"values": ["Без остроты", "Средняя", "Острая"], "is_required": True},
        headers=auth(olga),
    )
    assert changed.status_code == 200
    assert changed.json()["values"] == ["Без остроты", "Средняя", "Острая"]
    assert changed.json()["name"] == "Острота"

    dish = await client.get(f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}", headers=auth(ivan))
    assert dish.json()["options"][1]["is_required"] is True

    assert (await client.delete(f"{url}/{option['id']}", headers=auth(olga))).status_code == 204
    listed = await client.get(url, headers=auth(ivan))
    assert [item["name"] for item in listed.json()["items"]] == ["Размер порции"]
    gone = await client.delete(f"{url}/{option['id']}", headers=auth(olga))
    assert gone.status_code == 404


async def test_option_names_are_unique_per_dish_and_values_must_be_sensible(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/menu/{menu.borscht.id}/options"

    duplicate = await client.post(
        url, json={"name": "размер порции", "values": ["XL"]}, headers=auth(olga)
    )
    assert duplicate.status_code == 409
    assert duplicate.json() == {
        "detail": "У блюда «Борщ» уже есть опция «Размер порции»",
        "code": "option_exists",
        "errors": [{"field": "name", "message": "У блюда «Борщ» уже есть опция «Размер порции»"}],
    }
    for values in ([], ["Да", "да"], [""], ["x" * 101]):
        response = await client.post(
            url, json={"name": "Хлеб", "values": values}, headers=auth(olga)
        )
        assert response.status_code == 422, values
        assert response.json()["errors"][0]["field"].startswith("values")

    added = await client.post(url, json={"name": "Хлеб", "values": ["Да"]}, headers=auth(olga))
    renamed = await client.patch(
        f"{url}/{added.json()['id']}", json={"name": "Размер порции"}, headers=auth(olga)
    )
    assert renamed.status_code == 409

    denied = await client.post(url, json={"name": "Соус", "values": ["Да"]}, headers=auth(ivan))
    assert denied.status_code == 403
    other = await session.run_sync(make_cafe, "Гриль-бар")
    foreign = f"/cafes/{other.cafe.id}/menu/{menu.borscht.id}/options/{added.json()['id']}"
    assert (
        await client.patch(foreign, json={"is_required": True}, headers=auth(olga))
    ).status_code == 404
    assert (await client.get(url)).status_code == 401
