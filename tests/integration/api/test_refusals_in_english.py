"""Refusals of orders, employees and requests read in English when the app speaks English."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.clock import FixedClock
from shared.models import Order, RequestStatus, Role, User
from tests.factories import combo_order, make_access_request, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9,ru;q=0.5"}


async def test_ordering_after_the_deadline_is_refused_in_english(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Ivan Petrov")
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # 11:00 in Moscow

    response = await client.post("/orders", json=combo_order(menu), headers=auth(ivan) | ENGLISH)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Ordering for 24.11 closed at 11:00",
        "code": "ordering_closed",
    }
    assert await session.scalar(select(func.count()).select_from(Order)) == 0


async def test_a_second_order_and_an_order_over_the_limit_are_refused_in_english(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Ivan Petrov")
    anna = await session.run_sync(make_user, 1002, "Anna Lee", weekly_limit=Decimal("400"))
    placed = await client.post("/orders", json=combo_order(menu), headers=auth(ivan) | ENGLISH)
    assert placed.status_code == 201

    twice = await client.post("/orders", json=combo_order(menu), headers=auth(ivan) | ENGLISH)
    over = await client.post("/orders", json=combo_order(menu), headers=auth(anna) | ENGLISH)

    assert twice.status_code == 409
    assert twice.json() == {
        "detail": f"You already have an order at «{menu.cafe.name}» for 24.11: change it instead",
        "code": "order_exists",
    }
    assert over.status_code == 400
    assert over.json() == {
        "detail": "An order of 450 ₽ exceeds the weekly limit: 400 ₽ of 400 ₽ left",
        "code": "budget_exceeded",
    }


async def test_the_same_refusal_stays_russian_without_english(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe)
    anna = await session.run_sync(make_user, 1002, "Анна Ли", weekly_limit=Decimal("400"))

    over = await client.post(
        "/orders", json=combo_order(menu), headers=auth(anna) | {"Accept-Language": "de-DE"}
    )

    assert over.json()["detail"].startswith("Заказ на 450 ₽ превышает недельный лимит")


async def test_employee_and_request_refusals_in_english(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await session.run_sync(make_user, 9001, "Olga", role=Role.MANAGER)
    await session.run_sync(make_user, 1001, "Ivan Petrov")
    request = await session.run_sync(
        make_access_request, 2002, "Petr", status=RequestStatus.REJECTED
    )

    exists = await client.post(
        "/users", json={"tgid": 1001, "name": "Ivan"}, headers=auth(olga) | ENGLISH
    )
    myself = await client.delete("/users/9001", headers=auth(olga) | ENGLISH)
    decided = await client.post(
        f"/user-requests/{request.id}/approve", headers=auth(olga) | ENGLISH
    )
    anonymous = await client.get("/users", headers=ENGLISH)

    assert exists.status_code == 409
    assert exists.json()["detail"] == "An employee with Telegram ID 1001 already exists"
    assert exists.json()["errors"] == [{"field": "tgid", "message": exists.json()["detail"]}]
    assert myself.status_code == 400
    assert myself.json()["detail"] == "You cannot delete yourself"
    assert decided.status_code == 409
    assert decided.json()["detail"] == (
        f"Request #{request.id} is already rejected: it cannot be changed"
    )
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("Sign in first")


async def test_an_employee_cannot_act_as_a_manager_in_either_language(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    ivan = await session.run_sync(make_user, 1001, "Ivan Petrov")

    english = await client.get("/users", headers=auth(ivan) | ENGLISH)
    russian = await client.get("/users", headers=auth(ivan))

    assert english.status_code == russian.status_code == 403
    assert english.json()["detail"] == "Only a manager can do this"
    assert russian.json()["detail"] == "Это действие доступно только менеджеру"
