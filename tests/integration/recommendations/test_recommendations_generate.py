"""POST /users/{tgid}/recommendations/generate: advice on demand through the same key pool,
refused clearly below 5 orders in 30 days and after a few asks a day."""

from collections.abc import AsyncIterator, Callable
from datetime import date

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared.kit.settings import Settings
from shared.models import User
from tests.factories import make_cafe, make_order, make_user
from tests.fakes.gemini import FakeGemini

Auth = Callable[[User], dict[str, str]]
IVAN, MARIA = 720001, 720002
KEY = "AIzaSy-on-demand-test-key-000000000001"


@pytest.fixture
def api_settings(settings_factory: Callable[..., Settings], fake_gemini: FakeGemini) -> Settings:
    return settings_factory(
        gemini_api_keys=KEY,
        gemini_api_base_url=fake_gemini.base_url,
        gemini_timeout_seconds=2.0,
        gemini_max_attempts=1,
        recommendations_generate_per_day=2,
    )


@pytest.fixture
async def redis(api_settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(api_settings.redis_url, decode_responses=True)
    keys = [f"recommendations:user:{tgid}" for tgid in (IVAN, MARIA)]
    keys += [f"recommendations:generate:{tgid}:2026-11-24" for tgid in (IVAN, MARIA)]
    await client.delete(*keys, *[key async for key in client.scan_iter("gemini:*")])
    yield client
    await client.aclose()


async def people_with_orders(session: AsyncSession) -> tuple[User, User]:
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, IVAN, "Иван Петров")
    maria = await session.run_sync(make_user, MARIA, "Мария Иванова")

    def arrange(sync: Session) -> None:
        for day in (16, 17, 18, 19, 20):
            make_order(sync, ivan, menu, date(2026, 11, day), extras=[(menu.mors, 1)])
        for day in (18, 19, 20, 23):
            make_order(sync, maria, menu, date(2026, 11, day))

    await session.run_sync(arrange)
    return ivan, maria


async def test_an_active_employee_gets_fresh_advice_a_few_times_a_day(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    redis: Redis,
    fake_gemini: FakeGemini,
) -> None:
    ivan, _ = await people_with_orders(session)
    url = f"/users/{IVAN}/recommendations/generate"

    made = await client.post(url, headers=auth(ivan))

    assert made.status_code == 200, made.text
    body = made.json()
    assert body["source"] == "gemini"
    assert body["summary"] == "Вы чаще всего берёте горячее и редко — овощи."
    assert body["stats"]["orders_count"] == 5
    assert body["stats"]["categories"]["extra"] == {"count": 5, "percent": 25.0}
    # through the key pool: the one key was used and counted
    assert fake_gemini.served_by_key()[KEY] == 1
    assert [key async for key in redis.scan_iter("gemini:usage:key:*")]
    # the profile now shows the same cached advice
    shown = (await client.get(f"/users/{IVAN}/recommendations", headers=auth(ivan))).json()
    assert shown["summary"] == body["summary"]

    assert (await client.post(url, headers=auth(ivan))).status_code == 200
    third = await client.post(url, headers=auth(ivan))
    assert third.status_code == 429
    assert third.json()["code"] == "too_many_requests"
    assert "2 раза в день" in third.json()["detail"]
    assert fake_gemini.served_by_key()[KEY] == 2


async def test_below_five_orders_or_for_someone_else_it_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    redis: Redis,
    fake_gemini: FakeGemini,
) -> None:
    _, maria = await people_with_orders(session)

    few = await client.post(f"/users/{MARIA}/recommendations/generate", headers=auth(maria))
    assert few.status_code == 400
    assert few.json()["code"] == "not_enough_orders"
    assert "хотя бы 5 заказов" in few.json()["detail"]
    assert "сейчас их 4" in few.json()["detail"]
    others = await client.post(f"/users/{IVAN}/recommendations/generate", headers=auth(maria))
    assert others.status_code == 403
    assert fake_gemini.served_by_key() == {}


async def test_when_gemini_is_down_the_ask_does_not_count(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Auth,
    redis: Redis,
    fake_gemini: FakeGemini,
) -> None:
    ivan, _ = await people_with_orders(session)
    fake_gemini.fail_next(500, times=5)

    down = await client.post(f"/users/{IVAN}/recommendations/generate", headers=auth(ivan))

    assert down.status_code == 503
    assert await redis.get(f"recommendations:generate:{IVAN}:2026-11-24") == "0"
