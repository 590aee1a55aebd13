"""Refusals a manager can act on: each problem beside its field, in the language of the app."""

from collections.abc import Callable
from decimal import Decimal

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Role, User
from tests.factories import make_cafe, make_user

Auth = Callable[[User], dict[str, str]]
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


async def given_a_manager(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)


async def test_a_dish_with_a_bad_price_and_no_name_is_refused_beside_each_field_in_russian(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await given_a_manager(session)
    menu = await session.run_sync(make_cafe)

    response = await client.post(
        f"/cafes/{menu.cafe.id}/menu",
        json={"name": "  ", "category": "soup", "price": "сто"},
        headers=auth(olga),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {item["field"]: item["message"] for item in body["errors"]} == {
        "name": "Заполните это поле",
        "price": "Введите число, например 450 или 450.50",
    }
    assert body["detail"] == "Название: Заполните это поле"


async def test_the_same_refusal_in_english_when_the_app_speaks_english(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await given_a_manager(session)
    menu = await session.run_sync(make_cafe)

    response = await client.post(
        f"/cafes/{menu.cafe.id}/combos",
        json={"name": "Обед", "categories": [], "price": "1.234"},
        headers={**auth(olga), **ENGLISH},
    )

    assert response.status_code == 422
    assert {item["field"]: item["message"] for item in response.json()["errors"]} == {
        "categories": "Choose at least one",
        "price": "At most 2 digits after the point",
    }


async def test_a_schedule_time_and_a_duplicate_name_point_at_their_fields(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await given_a_manager(session)
    menu = await session.run_sync(make_cafe)

    bad_time = await client.put(
        f"/cafes/{menu.cafe.id}/deadlines",
        json={"schedules": [{"weekday": 5, "is_enabled": True, "deadline_time": "25:00"}]},
        headers={**auth(olga), **ENGLISH},
    )
    assert bad_time.status_code == 422
    assert bad_time.json()["errors"][0]["field"] == "schedules.0.deadline_time"
    assert bad_time.json()["errors"][0]["message"].startswith("Time as HH:MM")

    taken = await client.post("/cafes", json={"name": menu.cafe.name}, headers=auth(olga))
    assert taken.status_code == 409
    assert taken.json()["errors"] == [{"field": "name", "message": taken.json()["detail"]}]
    assert "уже есть" in taken.json()["detail"]
    taken_en = await client.post(
        "/cafes", json={"name": menu.cafe.name}, headers={**auth(olga), **ENGLISH}
    )
    assert taken_en.json()["detail"] == (
        f"There is already a cafe «{menu.cafe.name}»: choose another name"
    )


async def test_a_custom_category_may_be_a_russian_word(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await given_a_manager(session)
    menu = await session.run_sync(make_cafe)

    response = await client.post(
        f"/cafes/{menu.cafe.id}/menu",
        json={"name": "Компот", "category": "Напитки", "price": 50},
        headers=auth(olga),
    )

    assert response.status_code == 201, response.text
    assert response.json()["category"] == "напитки"
    bad = await client.post(
        f"/cafes/{menu.cafe.id}/menu",
        json={"name": "Морс", "category": "1!", "price": 50},
        headers=auth(olga),
    )
    assert bad.json()["errors"][0] == {
        "field": "category",
        "message": "Начните с буквы; дальше буквы, цифры, пробел или дефис",
        "code": "string_pattern_mismatch",
    }


async def test_an_employee_s_name_and_limit_are_saved_by_one_request(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await given_a_manager(session)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")

    refused = await client.patch(
        f"/users/{ivan.tgid}", json={"name": "Иван П.", "weekly_limit": -1}, headers=auth(olga)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "weekly_limit"
    await session.refresh(ivan)
    assert ivan.name == "Иван Петров"

    saved = await client.patch(
        f"/users/{ivan.tgid}", json={"name": "Иван П.", "weekly_limit": 2500}, headers=auth(olga)
    )
    assert saved.status_code == 200, saved.text
    await session.refresh(ivan)
    assert (ivan.name, ivan.weekly_limit) == ("Иван П.", Decimal("2500.00"))

    cleared = await client.patch(
        f"/users/{ivan.tgid}", json={"weekly_limit": None}, headers=auth(olga)
    )
    assert cleared.status_code == 200
    await session.refresh(ivan)
    assert (ivan.name, ivan.weekly_limit) == ("Иван П.", None)


async def test_a_manager_gets_the_cafe_s_link_to_the_bot_to_share(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await given_a_manager(session)
    menu = await session.run_sync(make_cafe)

    response = await client.get(f"/cafes/{menu.cafe.id}/bot-link", headers=auth(olga))

    assert response.status_code == 200
    link = response.json()
    assert link["url"].endswith(f"?start=cafe_{menu.cafe.id}")
    assert link["share_url"].startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")
    assert menu.cafe.name in link["text"]
