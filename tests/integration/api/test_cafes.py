"""Cafes through the API: what employees see, and what managers create, change and remove."""

from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Cafe, MenuItem, Role, User
from tests.factories import make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def manager_and_employee(session: AsyncSession) -> tuple[User, User]:
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    return olga, ivan


async def test_employees_see_only_active_cafes_and_managers_may_ask_for_all(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga, ivan = await manager_and_employee(session)
    stolovaya = await session.run_sync(make_cafe, "Столовая №1")
    grill = await session.run_sync(make_cafe, "Гриль-бар", chat_id=-1009)
    grill.cafe.is_active = False
    await session.flush()

    for query in ("", "?active_only=false"):
        response = await client.get(f"/cafes{query}", headers=auth(ivan))
        assert response.status_code == 200
        assert [cafe["name"] for cafe in response.json()["items"]] == ["Столовая №1"]

    response = await client.get("/cafes?active_only=false", headers=auth(olga))
    assert [cafe["name"] for cafe in response.json()["items"]] == ["Гриль-бар", "Столовая №1"]
    response = await client.get("/cafes", headers=auth(olga))
    assert [cafe["id"] for cafe in response.json()["items"]] == [stolovaya.cafe.id]


async def test_employees_see_a_cafe_without_its_telegram_link(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    _, ivan = await manager_and_employee(session)
    menu = await session.run_sync(make_cafe)
    menu.cafe.chat_unreachable_reason = "Бот удалён из чата"
    await session.flush()

    one = await client.get(f"/cafes/{menu.cafe.id}", headers=auth(ivan))
    [listed] = (await client.get("/cafes", headers=auth(ivan))).json()["items"]

    for cafe in (one.json(), listed):
        assert cafe | {"created_at": None} == {
            "id": menu.cafe.id,
            "name": "Столовая №1",
            "description": "Домашняя кухня",
            "address": None,
            "is_active": True,
            "created_at": None,
        }
    assert "-1001234567890" not in one.text
    assert "stolovaya1" not in one.text


async def test_a_manager_sees_the_cafes_telegram_link(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga, _ = await manager_and_employee(session)
    menu = await session.run_sync(make_cafe)
    menu.cafe.chat_unreachable_reason = "Бот удалён из чата"
    await session.flush()

    response = await client.get(f"/cafes/{menu.cafe.id}", headers=auth(olga))

    assert response.status_code == 200
    cafe = response.json()
    assert cafe | {"created_at": None} == {
        "id": menu.cafe.id,
        "name": "Столовая №1",
        "description": "Домашняя кухня",
        "address": None,
        "is_active": True,
        "tg_chat_id": -1001234567890,
        "tg_username": "stolovaya1",
        "notifications_enabled": True,
        "linked_at": None,
        "chat_unreachable_reason": "Бот удалён из чата",
        "created_at": None,
    }
    assert cafe["created_at"]


async def test_a_manager_adds_a_cafe_and_its_name_must_be_new(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga, _ = await manager_and_employee(session)
    body = {"name": "  Вкусная точка ", "description": "Бизнес-ланчи", "address": "Тверская, 7"}

    response = await client.post("/cafes", json=body, headers=auth(olga))

    assert response.status_code == 201, response.text
    cafe = response.json()
    assert cafe["name"] == "Вкусная точка"
    assert cafe["address"] == "Тверская, 7"
    assert cafe["is_active"] is True
    assert cafe["tg_chat_id"] is None
    assert cafe["notifications_enabled"] is False

    again = await client.post("/cafes", json={"name": "ВКУСНАЯ ТОЧКА"}, headers=auth(olga))
    assert again.status_code == 409
    assert again.json() == {
        "detail": "Кафе «ВКУСНАЯ ТОЧКА» уже есть: выберите другое название",
        "code": "cafe_exists",
        "errors": [
            {"field": "name", "message": "Кафе «ВКУСНАЯ ТОЧКА» уже есть: выберите другое название"}
        ],
    }
    assert await session.scalar(select(func.count()).select_from(Cafe)) == 1

    blank = await client.post("/cafes", json={"name": "   "}, headers=auth(olga))
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "name"


async def test_employees_cannot_change_cafes_and_strangers_must_sign_in(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    _, ivan = await manager_and_employee(session)
    menu = await session.run_sync(make_cafe)
    cafe_url = f"/cafes/{menu.cafe.id}"

    attempts = [
        client.post("/cafes", json={"name": "Моё кафе"}, headers=auth(ivan)),
        client.patch(cafe_url, json={"name": "Моё кафе"}, headers=auth(ivan)),
        client.patch(f"{cafe_url}/status", json={"is_active": False}, headers=auth(ivan)),
        client.delete(cafe_url, headers=auth(ivan)),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 403
        assert response.json()["code"] == "manager_only"
    assert (await client.get("/cafes")).status_code == 401
    assert (await client.get(cafe_url)).status_code == 401
    await session.refresh(menu.cafe)
    assert (menu.cafe.name, menu.cafe.is_active) == ("Столовая №1", True)


async def test_a_deactivated_cafe_disappears_for_employees_until_reactivated(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga, ivan = await manager_and_employee(session)
    menu = await session.run_sync(make_cafe)
    cafe_url = f"/cafes/{menu.cafe.id}"

    response = await client.patch(
        f"{cafe_url}/status", json={"is_active": False}, headers=auth(olga)
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False

    hidden = await client.get(cafe_url, headers=auth(ivan))
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": f"Кафе #{menu.cafe.id} не найдено", "code": "not_found"}
    assert (await client.get(f"{cafe_url}/menu", headers=auth(ivan))).status_code == 404
    assert (await client.get(cafe_url, headers=auth(olga))).json()["is_active"] is False

    await client.patch(f"{cafe_url}/status", json={"is_active": True}, headers=auth(olga))
    assert (await client.get(cafe_url, headers=auth(ivan))).status_code == 200

    missing = await client.patch(
        "/cafes/999999/status", json={"is_active": True}, headers=auth(olga)
    )
    assert missing.status_code == 404


async def test_editing_a_cafe_changes_only_the_fields_sent(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga, _ = await manager_and_employee(session)
    menu = await session.run_sync(make_cafe)
    await session.run_sync(make_cafe, "Гриль-бар")
    cafe_url = f"/cafes/{menu.cafe.id}"

    response = await client.patch(cafe_url, json={"address": "Тверская, 7"}, headers=auth(olga))
    assert response.status_code == 200
    assert (response.json()["description"], response.json()["address"]) == (
        "Домашняя кухня",
        "Тверская, 7",
    )

    response = await client.patch(
        cafe_url, json={"name": "Столовая на Тверской", "description": None}, headers=auth(olga)
    )
    assert response.json()["name"] == "Столовая на Тверской"
    assert response.json()["description"] is None

    taken = await client.patch(cafe_url, json={"name": "гриль-бар"}, headers=auth(olga))
    assert taken.status_code == 409
    assert taken.json()["code"] == "cafe_exists"
    cleared = await client.patch(cafe_url, json={"name": None}, headers=auth(olga))
    assert cleared.status_code == 422
    assert cleared.json()["errors"] == [
        {"field": "name", "message": "Это поле нельзя очистить", "code": "not_null"}
    ]
    await session.refresh(menu.cafe)
    assert menu.cafe.name == "Столовая на Тверской"

    missing = await client.patch("/cafes/999999", json={"name": "X"}, headers=auth(olga))
    assert missing.status_code == 404


async def test_deleting_a_cafe_removes_its_menu_but_a_cafe_with_orders_is_kept(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga, ivan = await manager_and_employee(session)
    unused = await session.run_sync(make_cafe, "Пустое кафе")
    busy = await session.run_sync(make_cafe, "Столовая №1")
    order = {
        "cafe_id": busy.cafe.id,
        "order_date": "2026-11-24",
        "items": [{"type": "standalone", "menu_item_id": busy.mors.id}],
    }
    assert (await client.post("/orders", json=order, headers=auth(ivan))).status_code == 201

    response = await client.delete(f"/cafes/{unused.cafe.id}", headers=auth(olga))
    assert response.status_code == 204
    assert (await client.get(f"/cafes/{unused.cafe.id}", headers=auth(olga))).status_code == 404
    left = select(func.count()).select_from(MenuItem).where(MenuItem.cafe_id == unused.cafe.id)
    assert await session.scalar(left) == 0

    refused = await client.delete(f"/cafes/{busy.cafe.id}", headers=auth(olga))
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "У «Столовая №1» есть заказы, поэтому его нельзя удалить: "
        "деактивируйте кафе, чтобы оно пропало из списка у сотрудников",
        "code": "cafe_has_orders",
    }
    assert (await client.get(f"/cafes/{busy.cafe.id}", headers=auth(olga))).status_code == 200
    assert (await client.delete("/cafes/999999", headers=auth(olga))).status_code == 404
