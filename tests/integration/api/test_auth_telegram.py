"""Signing in with Telegram initData: who gets a token; what strangers and the blocked see."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.init_data import TelegramUser, user_init_data
from shared.auth.tokens import read_token
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import RequestStatus, Role, User, UserAccessRequest
from tests.factories import make_access_request, make_user
from tests.harness.lunch import JWT_SECRET

BOSS_TGID = 555000111
STRANGER = TelegramUser(id=777000222, first_name="Ольга", last_name="Новикова", username="olga_n")


@pytest.fixture
def api_settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(manager_tgids=[BOSS_TGID])


class SignIn(Protocol):
    async def __call__(
        self, user: TelegramUser, *, opened_at: datetime | None = None, token: str = ...
    ) -> httpx.Response: ...


Auth = Callable[[User], dict[str, str]]


@pytest.fixture
def sign_in(client: httpx.AsyncClient, api_settings: Settings, clock: FixedClock) -> SignIn:
    bot_token = api_settings.telegram_bot_token.get_secret_value()

    async def post(
        user: TelegramUser, *, opened_at: datetime | None = None, token: str = bot_token
    ) -> httpx.Response:
        init_data = user_init_data(user, token, auth_date=opened_at or clock.now())
        return await client.post("/auth/telegram", json={"init_data": init_data})

    return post


async def stored_request(session: AsyncSession, tgid: int) -> UserAccessRequest | None:
    statement = select(UserAccessRequest).where(UserAccessRequest.tgid == tgid)
    return (await session.execute(statement)).scalar_one_or_none()


async def test_a_known_employee_gets_a_token_and_their_profile(
    sign_in: SignIn, session: AsyncSession, clock: FixedClock
) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров", office="Москва")
    response = await sign_in(TelegramUser(id=1001, first_name="Ваня"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"] | {"created_at": None} == {
        "tgid": 1001,
        "name": "Иван Петров",
        "office": "Москва",
        "role": "user",
        "is_active": True,
        "created_at": None,
    }
    assert body["token_type"] == "bearer"
    assert read_token(body["access_token"], JWT_SECRET, now=clock.now()).tgid == 1001


async def test_the_token_opens_the_api_for_the_employee(
    sign_in: SignIn, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров")
    token = (await sign_in(TelegramUser(id=1001, first_name="Ваня"))).json()["access_token"]
    response = await client.get("/users/1001", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["name"] == "Иван Петров"


async def test_a_stranger_is_told_to_wait_and_their_request_is_kept(
    sign_in: SignIn, session: AsyncSession, clock: FixedClock
) -> None:
    response = await sign_in(STRANGER)
    assert response.status_code == 403
    assert response.json()["code"] == "access_request_pending"
    assert "менеджер" in response.json()["detail"]

    # The request outlives the 403 that refused the sign-in
    request = await stored_request(session, STRANGER.id)
    assert request is not None
    assert (request.name, request.username, request.status) == (
        "Ольга Новикова",
        "olga_n",
        RequestStatus.PENDING,
    )
    assert request.created_at == clock.now()
    assert await session.get(User, STRANGER.id) is None


async def test_signing_in_again_while_pending_is_still_pending_with_one_request(
    sign_in: SignIn, session: AsyncSession
) -> None:
    await sign_in(STRANGER)
    response = await sign_in(STRANGER)
    assert response.status_code == 403
    assert response.json()["code"] == "access_request_pending"
    rows = await session.execute(
        select(UserAccessRequest).where(UserAccessRequest.tgid == STRANGER.id)
    )
    assert len(rows.all()) == 1


async def test_a_rejected_stranger_is_told_so(sign_in: SignIn, session: AsyncSession) -> None:
    await session.run_sync(make_access_request, STRANGER.id, "Ольга", status=RequestStatus.REJECTED)
    response = await sign_in(STRANGER)
    assert response.status_code == 403
    assert response.json()["code"] == "access_request_rejected"
    assert "отклонена" in response.json()["detail"]


async def test_after_approval_the_stranger_signs_in(
    sign_in: SignIn, client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    boss = await session.run_sync(make_user, 9, "Анна Смирнова", role=Role.MANAGER)
    await sign_in(STRANGER)
    request = await stored_request(session, STRANGER.id)
    assert request is not None
    approved = await client.post(
        f"/user-requests/{request.id}/approve", json={"office": "Казань"}, headers=auth(boss)
    )
    assert approved.status_code == 200, approved.text
    response = await sign_in(STRANGER)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["office"] == "Казань"


async def test_a_blocked_employee_cannot_sign_in(sign_in: SignIn, session: AsyncSession) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров", is_active=False)
    response = await sign_in(TelegramUser(id=1001, first_name="Ваня"))
    assert response.status_code == 403
    assert response.json()["code"] == "user_blocked"


async def test_a_listed_manager_becomes_a_manager_on_first_sign_in(
    sign_in: SignIn, session: AsyncSession, clock: FixedClock
) -> None:
    response = await sign_in(TelegramUser(id=BOSS_TGID, first_name="Анна", last_name="Смирнова"))
    assert response.status_code == 200, response.text
    assert response.json()["user"]["role"] == "manager"
    assert response.json()["user"]["name"] == "Анна Смирнова"
    boss = await session.get(User, BOSS_TGID)
    assert boss is not None
    assert boss.role == Role.MANAGER
    assert await stored_request(session, BOSS_TGID) is None

    again = await sign_in(TelegramUser(id=BOSS_TGID, first_name="Аня"))
    assert again.status_code == 200
    assert again.json()["user"]["name"] == "Анна Смирнова"


async def test_a_listed_manager_who_asked_for_access_earlier_has_the_request_settled(
    sign_in: SignIn, session: AsyncSession
) -> None:
    await session.run_sync(make_access_request, BOSS_TGID, "Анна")
    response = await sign_in(TelegramUser(id=BOSS_TGID, first_name="Анна"))
    assert response.status_code == 200
    request = await stored_request(session, BOSS_TGID)
    assert request is not None
    await session.refresh(request)
    assert request.status == RequestStatus.APPROVED


async def test_stale_init_data_is_refused(
    sign_in: SignIn, session: AsyncSession, clock: FixedClock, api_settings: Settings
) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров")
    opened = clock.now() - timedelta(seconds=api_settings.init_data_max_age_seconds + 1)
    response = await sign_in(TelegramUser(id=1001, first_name="Ваня"), opened_at=opened)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "устарели" in response.json()["detail"]


async def test_forged_init_data_is_refused_and_leaves_no_request(
    sign_in: SignIn, session: AsyncSession
) -> None:
    response = await sign_in(STRANGER, token="123456:not-our-bot-token")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert await stored_request(session, STRANGER.id) is None


async def test_tampered_init_data_is_refused(
    client: httpx.AsyncClient, api_settings: Settings, clock: FixedClock, session: AsyncSession
) -> None:
    await session.run_sync(make_user, 1001, "Иван Петров")
    await session.run_sync(make_user, 2002, "Пётр Сидоров", role=Role.MANAGER)
    signed = user_init_data(
        TelegramUser(id=1001, first_name="Ваня"),
        api_settings.telegram_bot_token.get_secret_value(),
        auth_date=clock.now(),
    )
    forged = signed.replace("1001", "2002")
    response = await client.post("/auth/telegram", json={"init_data": forged})
    assert response.status_code == 401


async def test_someone_deleted_after_approval_asks_again_on_their_next_sign_in(
    sign_in: SignIn, session: AsyncSession, clock: FixedClock
) -> None:
    await session.run_sync(make_access_request, STRANGER.id, "Ольга", status=RequestStatus.APPROVED)
    response = await sign_in(STRANGER)
    assert response.status_code == 403
    assert response.json()["code"] == "access_request_pending"
    request = await stored_request(session, STRANGER.id)
    assert request is not None
    await session.refresh(request)
    assert (request.status, request.processed_at) == (RequestStatus.PENDING, None)
