"""What the original's Mini App sends works here too: the office a newcomer gives at sign-in is
kept on the access request and carried to the user on approval; blocking sends `is_active`."""

from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.init_data import TelegramUser, user_init_data
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import Role, User, UserAccessRequest
from tests.factories import make_user

STRANGER = TelegramUser(id=777000333, first_name="Павел", last_name="Орлов", username="porlov")
Auth = Callable[[User], dict[str, str]]


async def test_the_office_given_at_sign_in_reaches_the_new_user(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    api_settings: Settings,
    clock: FixedClock,
) -> None:
    bot_token = api_settings.telegram_bot_token.get_secret_value()

    async def sign_in(office: str | None, user: TelegramUser = STRANGER) -> httpx.Response:
        body: dict[str, object] = {
            "init_data": user_init_data(user, bot_token, auth_date=clock.now())
        }
        if office is not None:
            body["office"] = office
        return await client.post("/auth/telegram", json=body)

    # Given a newcomer asks for access saying they work in Kazan, then corrects it while waiting
    assert (await sign_in("  Казань,   ул. Баумана ")).status_code == 403
    assert (await sign_in("Казань, офис 2")).status_code == 403
    assert (await sign_in(None)).status_code == 403  # nothing given: the office stays
    request = (
        await session.execute(
            select(UserAccessRequest).where(UserAccessRequest.tgid == STRANGER.id)
        )
    ).scalar_one()
    assert request.office == "Казань, офис 2"
    boss = await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)
    listed = (await client.get("/user-requests", headers=auth(boss))).json()
    assert listed["items"][0]["office"] == "Казань, офис 2"

    # When a manager approves without changing it
    approved = await client.post(f"/user-requests/{request.id}/approve", headers=auth(boss))
    assert approved.status_code == 200, approved.text

    # Then the new employee has that office, and signing in later does not overwrite it
    signed_in = await sign_in("Москва")
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["user"]["office"] == "Казань, офис 2"


async def test_an_office_longer_than_the_column_is_refused(
    client: httpx.AsyncClient, api_settings: Settings, clock: FixedClock
) -> None:
    bot_token = api_settings.telegram_bot_token.get_secret_value()
    init_data = user_init_data(STRANGER, bot_token, auth_date=clock.now())
    refused = await client.post(
        "/auth/telegram", json={"init_data": init_data, "office": "x" * 201}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "office"


async def test_blocking_takes_the_originals_is_active_too(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    boss = await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)
    await session.run_sync(make_user, 1001, "Иван Петров")

    blocked = await client.patch(
        "/users/1001/access", json={"is_active": False}, headers=auth(boss)
    )

    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["is_active"] is False
