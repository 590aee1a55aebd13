"""Weekly budgets: what an employee has spent this week and what is left, and setting the limit."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.clock import FixedClock
from shared.models import OrderStatus, Role, User
from tests.factories import CafeMenu, make_cafe, make_placed_order, make_user

Auth = Callable[[User], dict[str, str]]


@pytest.fixture
async def boss(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)


@pytest.fixture
async def ivan(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 1001, "Иван Петров", weekly_limit=Decimal(3000))


@pytest.fixture
async def menu(session: AsyncSession) -> CafeMenu:
    return await session.run_sync(make_cafe)


async def test_an_employee_sees_what_they_spent_this_week_and_what_is_left(
    client: httpx.AsyncClient, auth: Auth, session: AsyncSession, ivan: User, menu: CafeMenu
) -> None:
    # Today is Tuesday 24.11; the week runs Monday 23.11 to Sunday 29.11
    for day, total in [(23, "450"), (24, "630.50"), (27, "450"), (29, "100")]:
        await session.run_sync(make_placed_order, ivan, menu.cafe, date(2026, 11, day), total)
    # Neither last week's order nor a cancelled one counts
    await session.run_sync(make_placed_order, ivan, menu.cafe, date(2026, 11, 22), "900")
    await session.run_sync(
        make_placed_order,
        ivan,
        menu.cafe,
        date(2026, 11, 25),
        "700",
        status=OrderStatus.CANCELLED,
    )
    response = await client.get(f"/users/{ivan.tgid}/balance", headers=auth(ivan))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "weekly_limit": 3000.0,
        "spent_this_week": 1630.5,
        "remaining": 1369.5,
        "balance": 1369.5,
        "week_start": "2026-11-23",
        "week_end": "2026-11-29",
    }


async def test_the_week_is_the_companys_calendar_week(
    client: httpx.AsyncClient,
    auth: Auth,
    session: AsyncSession,
    ivan: User,
    menu: CafeMenu,
    clock: FixedClock,
) -> None:
    await session.run_sync(make_placed_order, ivan, menu.cafe, date(2026, 11, 30), "450")
    # Sunday 22:30 UTC is already Monday 01:30 in Moscow: the new week has begun
    clock.set(datetime(2026, 11, 29, 22, 30, tzinfo=UTC))
    response = await client.get(f"/users/{ivan.tgid}/balance", headers=auth(ivan))
    body = response.json()
    assert (body["week_start"], body["week_end"]) == ("2026-11-30", "2026-12-06")
    assert body["spent_this_week"] == 450.0


async def test_overspending_shows_nothing_left_rather_than_a_negative_balance(
    client: httpx.AsyncClient, auth: Auth, session: AsyncSession, ivan: User, menu: CafeMenu
) -> None:
    await session.run_sync(make_placed_order, ivan, menu.cafe, date(2026, 11, 24), "3200")
    body = (await client.get(f"/users/{ivan.tgid}/balance", headers=auth(ivan))).json()
    assert (body["spent_this_week"], body["remaining"], body["balance"]) == (3200.0, 0.0, 0.0)


async def test_without_a_limit_there_is_no_remaining_amount(
    client: httpx.AsyncClient, auth: Auth, session: AsyncSession, menu: CafeMenu
) -> None:
    free = await session.run_sync(make_user, 1002, "Пётр Без Лимита")
    await session.run_sync(make_placed_order, free, menu.cafe, date(2026, 11, 24), "450")
    body = (await client.get(f"/users/{free.tgid}/balance", headers=auth(free))).json()
    assert body["weekly_limit"] is None
    assert body["remaining"] is None
    assert body["balance"] is None
    assert body["spent_this_week"] == 450.0


async def test_a_manager_sees_anyones_balance_but_an_employee_only_their_own(
    client: httpx.AsyncClient, auth: Auth, session: AsyncSession, ivan: User, boss: User
) -> None:
    by_manager = await client.get(f"/users/{ivan.tgid}/balance", headers=auth(boss))
    assert by_manager.status_code == 200
    assert by_manager.json()["weekly_limit"] == 3000.0

    someone_else = await client.get(f"/users/{boss.tgid}/balance", headers=auth(ivan))
    assert someone_else.status_code == 403
    assert someone_else.json()["code"] == "access_denied"
    nobody = await client.get("/users/424242/balance", headers=auth(ivan))
    assert nobody.status_code == 403

    assert (await client.get(f"/users/{ivan.tgid}/balance")).status_code == 401
    unknown = await client.get("/users/424242/balance", headers=auth(boss))
    assert unknown.status_code == 404


async def test_a_manager_sets_and_removes_a_weekly_limit(
    client: httpx.AsyncClient, auth: Auth, session: AsyncSession, ivan: User, boss: User
) -> None:
    url = f"/users/{ivan.tgid}/balance/limit"
    changed = await client.patch(url, json={"weekly_limit": "2500.50"}, headers=auth(boss))
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"weekly_limit": 2500.5}
    balance = (await client.get(f"/users/{ivan.tgid}/balance", headers=auth(ivan))).json()
    assert balance["remaining"] == 2500.5

    removed = await client.patch(url, json={"weekly_limit": None}, headers=auth(boss))
    assert removed.json() == {"weekly_limit": None}
    await session.refresh(ivan)
    assert ivan.weekly_limit is None

    zero = await client.patch(url, json={"weekly_limit": 0}, headers=auth(boss))
    assert zero.json() == {"weekly_limit": 0.0}


@pytest.mark.parametrize("limit", [-1, "1.005", "abc", 10**9])
async def test_a_limit_must_be_a_non_negative_amount_in_kopecks(
    client: httpx.AsyncClient,
    auth: Auth,
    session: AsyncSession,
    ivan: User,
    boss: User,
    limit: object,
) -> None:
    url = f"/users/{ivan.tgid}/balance/limit"
    response = await client.patch(url, json={"weekly_limit": limit}, headers=auth(boss))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "weekly_limit"
    await session.refresh(ivan)
    assert ivan.weekly_limit == Decimal("3000.00")


async def test_the_limit_field_is_required_and_the_user_must_exist(
    client: httpx.AsyncClient, auth: Auth, boss: User
) -> None:
    missing = await client.patch("/users/1001/balance/limit", json={}, headers=auth(boss))
    assert missing.status_code == 422
    unknown = await client.patch(
        "/users/424242/balance/limit", json={"weekly_limit": 100}, headers=auth(boss)
    )
    assert unknown.status_code == 404
