"""Combos through the API: a set of categories for one price, edited by managers."""

from collections.abc import Callable
from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Order, Role, User
from tests.factories import CafeMenu, combo_order, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def given_a_cafe(session: AsyncSession) -> tuple[CafeMenu, User, User]:
    menu = await session.run_sync(make_cafe)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    return menu, olga, ivan


async def test_a_manager_adds_a_combo_and_employees_see_the_available_ones(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/combos"

    created = await client.post(
        url,
        json={"name": "Салат + Суп", "categories": ["salad", "Soup"], "price": 350},
        headers=auth(olga),
    )
    assert created.status_code == 201, created.text
    combo = created.json()
    assert combo | {"id": 0} == {
        "id": 0,
        "cafe_id": menu.cafe.id,
        "name": "Салат + Суп",
        "categories": ["salad", "soup"],
        "price": 350.0,
        "is_available": True,
    }
    listed = await client.get(url, headers=auth(ivan))
    assert [item["name"] for item in listed.json()["items"]] == [
        "Салат + Суп",
        "Салат + Суп + Горячее",
    ]

    await client.patch(f"{url}/{combo['id']}", json={"is_available": False}, headers=auth(olga))
    listed = await client.get(f"{url}?include_unavailable=true", headers=auth(ivan))
    assert [item["name"] for item in listed.json()["items"]] == ["Салат + Суп + Горячее"]
    listed = await client.get(url, headers=auth(olga))
    assert [item["is_available"] for item in listed.json()["items"]] == [False, True]


async def test_a_combo_needs_distinct_categories_a_price_and_a_new_name(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, _ = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/combos"

    for body in (
        {"name": "Пусто", "categories": [], "price": 100},
        {"name": "Два супа", "categories": ["soup", "soup"], "price": 100},
        {"name": "Десерт", "categories": ["-десерт"], "price": 100},
        {"name": "Без цены", "categories": ["soup"]},
        {"name": "Дёшево", "categories": ["soup"], "price": -5},
    ):
        response = await client.post(url, json=body, headers=auth(olga))
        assert response.status_code == 422, body
    twice = await client.post(
        url,
        json={"name": "Два супа", "categories": ["soup", "soup"], "price": 1},
        headers=auth(olga),
    )
    assert twice.json()["detail"] == "Категории: Каждая категория — один раз"

    same = await client.post(
        url,
        json={"name": "салат + суп + горячее", "categories": ["soup"], "price": 100},
        headers=auth(olga),
    )
    assert same.status_code == 409
    assert same.json() == {
        "detail": "В «Столовая №1» уже есть комбо «салат + суп + горячее»",
        "code": "combo_exists",
        "errors": [
            {"field": "name", "message": "В «Столовая №1» уже есть комбо «салат + суп + горячее»"}
        ],
    }
    assert (
        await client.post(
            "/cafes/999999/combos",
            json={"name": "X", "categories": ["soup"], "price": 1},
            headers=auth(olga),
        )
    ).status_code == 404


async def test_editing_a_combo_changes_only_the_fields_sent(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    other = await session.run_sync(make_cafe, "Гриль-бар")
    url = f"/cafes/{menu.cafe.id}/combos/{menu.full_combo.id}"

    response = await client.patch(
        url, json={"price": 480, "categories": ["soup", "main"]}, headers=auth(olga)
    )
    assert response.status_code == 200
    assert response.json() | {"id": 0} == {
        "id": 0,
        "cafe_id": menu.cafe.id,
        "name": "Салат + Суп + Горячее",
        "categories": ["soup", "main"],
        "price": 480.0,
        "is_available": True,
    }
    malformed: list[dict[str, object]] = [{"price": None}, {"categories": []}, {"name": " "}]
    for body in malformed:
        assert (await client.patch(url, json=body, headers=auth(olga))).status_code == 422
    assert (await client.patch(url, json={"price": 1}, headers=auth(ivan))).status_code == 403
    foreign = f"/cafes/{other.cafe.id}/combos/{menu.full_combo.id}"
    assert (await client.patch(foreign, json={"price": 1}, headers=auth(olga))).status_code == 404
    await session.refresh(menu.full_combo)
    assert menu.full_combo.price == 480


async def test_deleting_a_combo_leaves_past_orders_intact(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    placed = await client.post("/orders", json=combo_order(menu), headers=auth(ivan))
    assert placed.status_code == 201, placed.text
    url = f"/cafes/{menu.cafe.id}/combos/{menu.full_combo.id}"

    assert (await client.delete(url, headers=auth(ivan))).status_code == 403
    assert (await client.delete(url, headers=auth(olga))).status_code == 204

    listed = await client.get(f"/cafes/{menu.cafe.id}/combos", headers=auth(olga))
    assert listed.json()["items"] == []
    stored = await session.scalar(select(Order).where(Order.id == placed.json()["id"]))
    assert stored is not None
    await session.refresh(stored)
    assert (stored.combo_id, stored.combo_name, stored.combo_price, stored.total_price) == (
        None,
        "Салат + Суп + Горячее",
        Decimal(450),
        Decimal(450),
    )
    assert (await client.delete(url, headers=auth(olga))).status_code == 404


async def test_employees_never_see_combos_of_an_inactive_cafe(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    menu.cafe.is_active = False
    await session.flush()
    url = f"/cafes/{menu.cafe.id}/combos"

    assert (await client.get(url, headers=auth(ivan))).status_code == 404
    assert len((await client.get(url, headers=auth(olga))).json()["items"]) == 1
    assert (await client.get(url)).status_code == 401
