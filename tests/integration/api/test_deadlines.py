"""A cafe's weekly schedule through the API: which days take orders, until when, how far ahead."""

from collections.abc import Callable
from datetime import time

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import DeadlineSchedule, Role, User
from tests.factories import CafeMenu, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def given_a_cafe(session: AsyncSession) -> tuple[CafeMenu, User, User]:
    menu = await session.run_sync(make_cafe)  # Mon–Fri until 11:00, a day ahead
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    return menu, olga, ivan


def weekday(
    number: int, name: str, deadline: str | None, enabled: bool, advance: int = 1
) -> dict[str, object]:
    return {
        "weekday": number,
        "weekday_name": name,
        "deadline_time": deadline,
        "is_enabled": enabled,
        "advance_days": advance,
    }


async def test_a_manager_sees_the_whole_week_with_unset_days_disabled(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, _ = await given_a_cafe(session)

    response = await client.get(f"/cafes/{menu.cafe.id}/deadlines", headers=auth(olga))

    assert response.status_code == 200
    assert response.json() == {
        "schedules": [
            weekday(0, "Понедельник", "11:00", True),
            weekday(1, "Вторник", "11:00", True),
            weekday(2, "Среда", "11:00", True),
            weekday(3, "Четверг", "11:00", True),
            weekday(4, "Пятница", "11:00", True),
            weekday(5, "Суббота", None, False),
            weekday(6, "Воскресенье", None, False),
        ]
    }


async def test_only_managers_see_and_change_schedules(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, ivan = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/deadlines"
    body = {"schedules": [{"weekday": 0, "is_enabled": False}]}

    assert (await client.get(url, headers=auth(ivan))).json()["code"] == "manager_only"
    assert (await client.put(url, json=body, headers=auth(ivan))).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert (await client.put(url, json=body)).status_code == 401
    missing = await client.get("/cafes/999999/deadlines", headers=auth(olga))
    assert missing.status_code == 404
    assert (
        await client.put("/cafes/999999/deadlines", json=body, headers=auth(olga))
    ).status_code == 404


async def test_saving_changes_the_days_sent_and_keeps_the_others(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, _ = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/deadlines"
    body = {
        "schedules": [
            {"weekday": 0, "deadline_time": "10:00", "is_enabled": True, "advance_days": 3},
            {"weekday": 4, "is_enabled": False},
            {"weekday": 5, "deadline_time": "12:30", "is_enabled": True, "advance_days": 0},
            {"weekday": 6, "is_enabled": False},
        ]
    }

    response = await client.put(url, json=body, headers=auth(olga))

    assert response.status_code == 200, response.text
    week = [
        weekday(0, "Понедельник", "10:00", True, 3),
        weekday(1, "Вторник", "11:00", True),
        weekday(2, "Среда", "11:00", True),
        weekday(3, "Четверг", "11:00", True),
        weekday(4, "Пятница", "11:00", False),
        weekday(5, "Суббота", "12:30", True, 0),
        weekday(6, "Воскресенье", None, False),
    ]
    assert response.json() == {"schedules": week}
    assert (await client.get(url, headers=auth(olga))).json() == {"schedules": week}

    # Friday remembers its time: enabling it again needs no time
    again = await client.put(
        url, json={"schedules": [{"weekday": 4, "is_enabled": True}]}, headers=auth(olga)
    )
    assert again.json()["schedules"][4] == weekday(4, "Пятница", "11:00", True)


async def test_enabling_a_new_day_needs_a_time_and_nothing_is_half_saved(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, _ = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/deadlines"
    body = {
        "schedules": [
            {"weekday": 0, "deadline_time": "09:30", "is_enabled": True},
            {"weekday": 6, "is_enabled": True},
        ]
    }

    response = await client.put(url, json=body, headers=auth(olga))

    assert response.status_code == 400
    says = "Воскресенье: укажите время, до которого принимаются заказы"
    assert response.json() == {
        "detail": says,
        "code": "invalid_schedule",
        "errors": [{"field": "schedules.1.deadline_time", "message": says}],
    }
    monday = await session.scalar(
        select(DeadlineSchedule.deadline_time).where(
            DeadlineSchedule.cafe_id == menu.cafe.id, DeadlineSchedule.weekday == 0
        )
    )
    assert monday == time(11, 0)


async def test_malformed_schedules_are_refused_with_the_field_at_fault(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, olga, _ = await given_a_cafe(session)
    url = f"/cafes/{menu.cafe.id}/deadlines"
    cases = [
        ([{"weekday": 7, "is_enabled": False}], "schedules.0.weekday"),
        ([{"weekday": 1, "is_enabled": True, "advance_days": 31}], "schedules.0.advance_days"),
        ([{"weekday": 1, "is_enabled": True, "advance_days": -1}], "schedules.0.advance_days"),
        (
            [{"weekday": 1, "is_enabled": True, "deadline_time": "25:00"}],
            "schedules.0.deadline_time",
        ),
        (
            [{"weekday": 1, "is_enabled": True, "deadline_time": "10:00:30"}],
            "schedules.0.deadline_time",
        ),
        ([{"weekday": 1, "is_enabled": True}, {"weekday": 1, "is_enabled": False}], "schedules"),
        ([], "schedules"),
    ]
    for schedules, field in cases:
        response = await client.put(url, json={"schedules": schedules}, headers=auth(olga))
        assert response.status_code == 422, schedules
        assert response.json()["errors"][0]["field"] == field
