"""A manager decides a cafe's link request in the Mini App: the cafe's chat hears about it,
as it would had the manager pressed the bot's buttons."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from functions.api.app import create_app
from functions.api.deps import AppContext
from infra.local.fakes.telegram import FakeTelegram
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.kit.telegram import create_bot
from shared.links import service
from shared.models import Cafe, Role, User
from tests.factories import make_cafe, make_user

Auth = Callable[[User], dict[str, str]]
CAFE_CHAT = -1009876543210
OLD_CHAT = -1001111111111
NOW = datetime(2026, 11, 24, 6, 15, tzinfo=UTC)


async def asked_by_bot(
    session: AsyncSession, cafe: Cafe, chat: int = CAFE_CHAT, username: str | None = None
) -> dict[str, object]:
    """The chat asks through the bot (where the chat is proven), as /link does."""
    request = await service.request_link(session, cafe.id, chat, username, now=NOW)
    return request.model_dump(mode="json")


@pytest.fixture
async def client_with_bot(
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings_factory(fake_telegram)
    context = AppContext(
        settings=settings, sessions=sessions, clock=clock, telegram=create_bot(settings)
    )
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
        yield client


async def test_approving_in_the_app_tells_the_cafe_and_shows_a_sample(
    client_with_bot: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    fake_telegram: FakeTelegram,
) -> None:
    menu = await session.run_sync(make_cafe, "Кафе Восток", chat_id=None, notifications=False)
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    request_id = (await asked_by_bot(session, menu.cafe, username="vostok"))["id"]

    response = await client_with_bot.post(
        f"/cafe-requests/{request_id}/approve", headers=auth(manager)
    )

    assert response.status_code == 200
    told = fake_telegram.sent_messages(chat_id=CAFE_CHAT)
    assert "Чат привязан к кафе «Кафе Восток»" in told[0].text
    assert len(told) >= 2
    assert "Кафе Восток" in told[1].text
    assert "Заказ на" in told[1].text


async def test_rejecting_in_the_app_tells_the_cafe_how_to_try_again(
    client_with_bot: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    fake_telegram: FakeTelegram,
) -> None:
    menu = await session.run_sync(make_cafe, "Кафе Восток", chat_id=None, notifications=False)
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    asked = await asked_by_bot(session, menu.cafe)

    response = await client_with_bot.post(
        f"/cafe-requests/{asked['id']}/reject", headers=auth(manager)
    )

    assert response.status_code == 200
    [told] = fake_telegram.sent_messages(chat_id=CAFE_CHAT)
    assert "отклонили" in told.text
    assert "/link" in told.text


async def test_a_cafe_chat_that_blocked_the_bot_does_not_undo_the_decision(
    client_with_bot: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    fake_telegram: FakeTelegram,
) -> None:
    menu = await session.run_sync(make_cafe, "Кафе Восток", chat_id=None, notifications=False)
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    asked = await asked_by_bot(session, menu.cafe)
    fake_telegram.block_chat(CAFE_CHAT)

    response = await client_with_bot.post(
        f"/cafe-requests/{asked['id']}/approve", headers=auth(manager)
    )

    assert response.status_code == 200
    cafe = (await client_with_bot.get(f"/cafes/{menu.cafe.id}", headers=auth(manager))).json()
    assert cafe["tg_chat_id"] == CAFE_CHAT
    assert cafe["notifications_enabled"] is True


async def test_a_relink_shows_the_manager_the_chat_it_replaces_and_tells_that_chat(
    client_with_bot: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    fake_telegram: FakeTelegram,
) -> None:
    menu = await session.run_sync(make_cafe, "Кафе Восток", chat_id=OLD_CHAT)
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    asked = await asked_by_bot(session, menu.cafe, username="vostok_new")

    listed = await client_with_bot.get("/cafe-requests?status=pending", headers=auth(manager))
    [waiting] = listed.json()["items"]
    assert waiting["replaces_chat"] == {"tg_chat_id": OLD_CHAT, "tg_username": "stolovaya1"}

    response = await client_with_bot.post(
        f"/cafe-requests/{asked['id']}/approve", headers=auth(manager)
    )

    assert response.status_code == 200
    assert response.json()["replaces_chat"]["tg_chat_id"] == OLD_CHAT
    [told_old] = fake_telegram.sent_messages(chat_id=OLD_CHAT)
    assert "больше не получает заказы кафе «Кафе Восток»" in told_old.text
    assert "Чат привязан" in fake_telegram.sent_messages(chat_id=CAFE_CHAT)[0].text


async def test_a_manager_code_is_issued_with_the_chat_it_would_replace(
    client_with_bot: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    menu = await session.run_sync(make_cafe, "Кафе Восток", chat_id=OLD_CHAT)
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)

    response = await client_with_bot.post(f"/cafes/{menu.cafe.id}/link-code", headers=auth(manager))

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"].startswith("link_")
    assert len(body["code"]) <= 64  # Telegram's limit for a deep link's start parameter
    assert body["deep_link"].endswith(f"?start={body['code']}")
    assert body["replaces_chat"] == {"tg_chat_id": OLD_CHAT, "tg_username": "stolovaya1"}
    assert body["expires_at"] == "2026-11-25T06:15:00Z"
