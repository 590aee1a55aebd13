"""The requests that used to answer 500 now get a clear 4xx a person can act on."""

import json
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.init_data import sign_init_data
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import Order, User, UserAccessRequest
from tests.factories import make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_the_calendars_ends_are_closed_for_ordering_not_a_500(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, day: str
) -> None:
    menu = await session.run_sync(make_cafe, weekdays=(0, 1, 2, 3, 4, 5, 6))
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")

    availability = await client.get(
        f"/orders/availability/{day}", params={"cafe_id": menu.cafe.id}, headers=auth(ivan)
    )
    order = await client.post(
        "/orders",
        headers=auth(ivan),
        json={
            "cafe_id": menu.cafe.id,
            "order_date": day,
            "combo_id": menu.full_combo.id,
            "items": [
                {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
                {"type": "combo", "category": "soup", "menu_item_id": menu.soup.id},
                {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
            ],
        },
    )

    assert availability.status_code == 200, availability.text
    assert availability.json()["can_order"] is False
    assert order.status_code == 400, order.text
    assert order.json()["code"] == "ordering_closed"
    stored = await session.execute(select(func.count()).select_from(Order))
    assert stored.scalar_one() == 0


@pytest.mark.parametrize(
    "user",
    [
        '{"id": 1001, "first_name": "Иван", "last_name": 5}',
        '{"id": 1001, "first_name": "Иван", "username": {"nested": "object"}}',
        '{"id": "1001", "first_name": "Иван"}',
        '{"id": 1001, "first_name": ["Иван"]}',
        "[1001]",
    ],
)
async def test_signed_init_data_with_fields_of_the_wrong_type_is_a_401(
    client: httpx.AsyncClient,
    session: AsyncSession,
    api_settings: Settings,
    clock: FixedClock,
    user: str,
) -> None:
    fields = {"user": user, "auth_date": str(int(clock.now().timestamp()))}
    init_data = sign_init_data(fields, api_settings.telegram_bot_token.get_secret_value())

    response = await client.post("/auth/telegram", json={"init_data": init_data})

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "not_authenticated"
    requests = await session.execute(select(func.count()).select_from(UserAccessRequest))
    assert requests.scalar_one() == 0


async def test_an_auth_date_beyond_any_calendar_is_a_401(
    client: httpx.AsyncClient, api_settings: Settings
) -> None:
    fields = {
        "user": json.dumps({"id": 1001, "first_name": "Иван"}),
        "auth_date": "99999999999999999999",
    }
    init_data = sign_init_data(fields, api_settings.telegram_bot_token.get_secret_value())

    response = await client.post("/auth/telegram", json={"init_data": init_data})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_a_strangers_access_request_is_stored_with_the_403_although_errors_never_commit(
    client: httpx.AsyncClient, session: AsyncSession, api_settings: Settings, clock: FixedClock
) -> None:
    fields = {
        "user": json.dumps({"id": 777000, "first_name": "Ольга"}),
        "auth_date": str(int((clock.now() - timedelta(seconds=5)).timestamp())),
    }
    init_data = sign_init_data(fields, api_settings.telegram_bot_token.get_secret_value())

    response = await client.post("/auth/telegram", json={"init_data": init_data})

    assert response.status_code == 403
    assert response.json()["code"] == "access_request_pending"
    stored = await session.execute(select(UserAccessRequest.tgid))
    assert stored.scalars().all() == [777000]
