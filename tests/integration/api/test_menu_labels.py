"""Dietary and allergen labels: managers set them, employees filter the menu by them."""

from collections.abc import Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Role, User
from tests.factories import make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def test_managers_label_dishes_and_employees_filter_by_labels(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    # Given a cafe, its manager and an employee
    menu = await session.run_sync(make_cafe)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    url = f"/cafes/{menu.cafe.id}/menu"

    # When the manager adds a spicy vegan dish and labels the borscht (a label sent twice
    # counts once, in the set's order)
    created = await client.post(
        url,
        json={
            "name": "Чечевичный суп",
            "category": "soup",
            "price": 150,
            "labels": ["spicy", "vegan", "spicy"],
        },
        headers=auth(olga),
    )
    assert created.status_code == 201, created.text
    assert created.json()["labels"] == ["vegan", "spicy"]
    changed = await client.patch(
        f"{url}/{menu.borscht.id}", json={"labels": ["gluten", "lactose"]}, headers=auth(olga)
    )
    assert changed.json()["labels"] == ["gluten", "lactose"]

    # Then employees see the labels and can ask for vegan dishes, or for dishes without lactose
    def names(response: httpx.Response) -> list[str]:
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert names(await client.get(f"{url}?label=vegan", headers=auth(ivan))) == ["Чечевичный суп"]
    assert names(await client.get(f"{url}?label=vegan&label=nuts", headers=auth(ivan))) == []
    without_lactose = names(
        await client.get(f"{url}?category=soup&exclude_label=lactose", headers=auth(ivan))
    )
    assert without_lactose == ["Суп дня", "Чечевичный суп"]
    listed = (await client.get(f"{url}?category=soup", headers=auth(ivan))).json()["items"]
    assert {item["name"]: item["labels"] for item in listed} == {
        "Борщ": ["gluten", "lactose"],
        "Суп дня": [],
        "Чечевичный суп": ["vegan", "spicy"],
    }


async def test_an_unknown_label_is_refused_with_the_allowed_ones(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    url = f"/cafes/{menu.cafe.id}/menu"

    refused = await client.patch(
        f"{url}/{menu.borscht.id}", json={"labels": ["halal"]}, headers=auth(olga)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"].startswith("labels")
    assert "vegan" in refused.json()["detail"]
    cleared = await client.patch(
        f"{url}/{menu.borscht.id}", json={"labels": None}, headers=auth(olga)
    )
    assert cleared.status_code == 422
    filtered = await client.get(f"{url}?label=halal", headers=auth(olga))
    assert filtered.status_code == 422
