"""Whether a date can be ordered, as the Mini App asks before showing the order form.

The cafe (from the factory) takes orders Monday to Friday until 11:00 Moscow time, from 00:00 the
day before. The clock starts on Tuesday 24.11.2026 at 09:15 in Moscow (06:15 UTC).
"""

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.clock import FixedClock
from shared.models import Role, User
from tests.factories import CafeMenu, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


async def given_a_cafe(session: AsyncSession) -> tuple[CafeMenu, User]:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    return menu, ivan


async def ask(
    client: httpx.AsyncClient, menu: CafeMenu, user: User, auth: Auth, day: str
) -> dict[str, object]:
    response = await client.get(
        f"/orders/availability/{day}", params={"cafe_id": menu.cafe.id}, headers=auth(user)
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    # The server's clock comes with every answer; the stories below are about the rest.
    assert str(body.pop("now")).endswith("+03:00")
    return body


async def test_today_is_open_until_the_deadline_in_moscow_time(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, ivan = await given_a_cafe(session)

    assert await ask(client, menu, ivan, auth, "2026-11-24") == {
        "can_order": True,
        "deadline": "2026-11-24T11:00:00+03:00",
        "time_remaining": "01:45:00",
        "seconds_remaining": 6300,
        "reason": None,
        "reason_code": None,
    }


async def test_ordering_closes_exactly_at_the_deadline(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu, ivan = await given_a_cafe(session)

    clock.set(datetime(2026, 11, 24, 7, 59, 59, tzinfo=UTC))  # 10:59:59 in Moscow
    last_second = await ask(client, menu, ivan, auth, "2026-11-24")
    assert (last_second["can_order"], last_second["time_remaining"]) == (True, "00:00:01")

    clock.set(datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC))  # 11:00:00 in Moscow
    assert await ask(client, menu, ivan, auth, "2026-11-24") == {
        "can_order": False,
        "deadline": "2026-11-24T11:00:00+03:00",
        "time_remaining": None,
        "seconds_remaining": None,
        "reason": "Приём заказов на 24.11 закончился в 11:00",
        "reason_code": "deadline_passed",
    }


async def test_tomorrow_opens_at_midnight_moscow_time_while_utc_is_still_on_the_day_before(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu, ivan = await given_a_cafe(session)

    tomorrow = await ask(client, menu, ivan, auth, "2026-11-25")
    assert (tomorrow["can_order"], tomorrow["time_remaining"]) == (True, "25:45:00")

    clock.set(datetime(2026, 11, 24, 20, 59, 59, tzinfo=UTC))  # Tue 23:59:59 in Moscow
    assert await ask(client, menu, ivan, auth, "2026-11-26") == {
        "can_order": False,
        "deadline": "2026-11-26T11:00:00+03:00",
        "time_remaining": None,
        "seconds_remaining": None,
        "reason": "Заказы на 26.11 откроются 25.11 в 00:00",
        "reason_code": "not_open_yet",
    }

    clock.set(datetime(2026, 11, 24, 21, 0, 0, tzinfo=UTC))  # Wed 00:00 in Moscow, Tue in UTC
    thursday = await ask(client, menu, ivan, auth, "2026-11-26")
    assert (thursday["can_order"], thursday["time_remaining"]) == (True, "35:00:00")


async def test_days_the_cafe_does_not_serve_and_inactive_cafes_are_closed_with_a_reason(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, ivan = await given_a_cafe(session)

    assert await ask(client, menu, ivan, auth, "2026-11-28") == {
        "can_order": False,
        "deadline": None,
        "time_remaining": None,
        "seconds_remaining": None,
        "reason": "Кафе не принимает заказы на 28.11 (суббота)",
        "reason_code": "not_served",
    }
    menu.cafe.is_active = False
    await session.flush()
    closed = await ask(client, menu, ivan, auth, "2026-11-24")
    assert (closed["can_order"], closed["reason_code"], closed["reason"]) == (
        False,
        "cafe_inactive",
        "Кафе сейчас не принимает заказы",
    )


async def test_availability_follows_a_schedule_change_at_once(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, ivan = await given_a_cafe(session)
    olga = await session.run_sync(make_user, 9001, "Ольга Смирнова", role=Role.MANAGER)
    later = {"schedules": [{"weekday": 1, "deadline_time": "09:00", "is_enabled": True}]}
    saved = await client.put(f"/cafes/{menu.cafe.id}/deadlines", json=later, headers=auth(olga))
    assert saved.status_code == 200

    today = await ask(client, menu, ivan, auth, "2026-11-24")
    assert (today["can_order"], today["reason"]) == (
        False,
        "Приём заказов на 24.11 закончился в 09:00",
    )


async def test_unknown_cafes_bad_dates_and_strangers_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, ivan = await given_a_cafe(session)

    unknown = await client.get(
        "/orders/availability/2026-11-24", params={"cafe_id": 999999}, headers=auth(ivan)
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Кафе #999999 не найдено", "code": "not_found"}
    assert (
        await client.get(
            "/orders/availability/week", params={"cafe_id": 999999}, headers=auth(ivan)
        )
    ).status_code == 404
    bad_date = await client.get(
        "/orders/availability/завтра", params={"cafe_id": menu.cafe.id}, headers=auth(ivan)
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["field"] == "date"
    no_cafe = await client.get("/orders/availability/2026-11-24", headers=auth(ivan))
    assert no_cafe.status_code == 422
    assert no_cafe.json()["errors"][0]["field"] == "cafe_id"
    for path in ("/orders/availability/2026-11-24", "/orders/availability/week"):
        anonymous = await client.get(path, params={"cafe_id": menu.cafe.id})
        assert anonymous.status_code == 401


async def test_the_week_starts_today_and_shows_each_day_s_deadline(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, ivan = await given_a_cafe(session)

    response = await client.get(
        "/orders/availability/week", params={"cafe_id": menu.cafe.id}, headers=auth(ivan)
    )

    assert response.status_code == 200
    days = response.json()["days"]
    assert [
        (day["date"], day["weekday"], day["can_order"], day["deadline"], day["reason_code"])
        for day in days
    ] == [
        ("2026-11-24", "Вторник", True, "11:00", None),
        ("2026-11-25", "Среда", True, "11:00", None),
        ("2026-11-26", "Четверг", False, "11:00", "not_open_yet"),
        ("2026-11-27", "Пятница", False, "11:00", "not_open_yet"),
        ("2026-11-28", "Суббота", False, None, "not_served"),
        ("2026-11-29", "Воскресенье", False, None, "not_served"),
        ("2026-11-30", "Понедельник", False, "11:00", "not_open_yet"),
    ]
    assert days[0]["reason"] is None
    assert days[4]["reason"] == "Кафе не принимает заказы на 28.11 (суббота)"


async def test_the_week_follows_the_moscow_calendar_not_utc(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, clock: FixedClock
) -> None:
    menu, ivan = await given_a_cafe(session)

    clock.set(datetime(2026, 11, 24, 20, 59, 59, tzinfo=UTC))  # Tue 23:59:59 in Moscow
    days = (
        await client.get(
            "/orders/availability/week", params={"cafe_id": menu.cafe.id}, headers=auth(ivan)
        )
    ).json()["days"]
    assert (days[0]["date"], days[0]["reason_code"]) == ("2026-11-24", "deadline_passed")

    clock.set(datetime(2026, 11, 24, 21, 0, 0, tzinfo=UTC))  # Wed 00:00 in Moscow
    days = (
        await client.get(
            "/orders/availability/week", params={"cafe_id": menu.cafe.id}, headers=auth(ivan)
        )
    ).json()["days"]
    assert [(day["date"], day["can_order"]) for day in days[:3]] == [
        ("2026-11-25", True),
        ("2026-11-26", True),
        ("2026-11-27", False),
    ]


async def test_one_request_gives_every_open_cafe_s_week_with_instants_and_seconds_left(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu, ivan = await given_a_cafe(session)
    closed = await session.run_sync(make_cafe, "Закрытое кафе")
    closed.cafe.is_active = False
    await session.flush()

    response = await client.get("/orders/availability", headers=auth(ivan))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["now"] == "2026-11-24T09:15:00+03:00"
    assert [week["cafe"]["name"] for week in body["cafes"]] == [menu.cafe.name]
    today, tomorrow, thursday = body["cafes"][0]["days"][:3]
    assert (today["deadline_at"], today["seconds_remaining"]) == (
        "2026-11-24T11:00:00+03:00",
        6300,
    )
    assert tomorrow["seconds_remaining"] == 6300 + 24 * 3600
    assert tomorrow["opens_at"] == "2026-11-24T00:00:00+03:00"
    assert (thursday["can_order"], thursday["seconds_remaining"]) == (False, None)
