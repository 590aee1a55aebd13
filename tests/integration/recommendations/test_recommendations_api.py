"""GET /users/{tgid}/recommendations: what an employee's profile and a manager see."""

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import OrderStatus, Role, User
from tests.factories import make_cafe, make_order, make_user

Auth = Callable[[User], dict[str, str]]
IVAN, MARIA, ANNA = 710001, 710002, 710003


@pytest.fixture
def api_settings(
    settings_factory: Callable[..., Settings], request: pytest.FixtureRequest
) -> Settings:
    """Gemini keys configured, unless a test passes other keys (indirect parametrisation)."""
    keys: str = getattr(request, "param", "AIzaSy-test-key")
    return settings_factory(gemini_api_keys=keys)


@pytest.fixture
async def cache(api_settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(api_settings.redis_url, decode_responses=True)
    await client.delete(*(f"recommendations:user:{tgid}" for tgid in (IVAN, MARIA, ANNA)))
    yield client
    await client.aclose()


async def ivan_with_a_month_of_orders(session: AsyncSession) -> User:
    """Two orders this month at one cafe, plus ones that must not count."""
    menu = await session.run_sync(make_cafe)
    other = await session.run_sync(make_cafe, "Кафе Лето")
    ivan = await session.run_sync(make_user, IVAN, "Иван Петров")

    def arrange(sync_session: Session) -> None:
        make_order(
            sync_session,
            ivan,
            menu,
            date(2026, 11, 23),
            dishes=[(menu.borscht, 2)],
            extras=[(menu.mors, 1)],
        )
        make_order(sync_session, ivan, menu, date(2026, 11, 20), extras=[(menu.mors, 3)])
        # cancelled, and older than 30 days: neither counts, nor do their cafes' menus
        make_order(sync_session, ivan, other, date(2026, 11, 19), status=OrderStatus.CANCELLED)
        make_order(sync_session, ivan, other, date(2026, 10, 20))

    await session.run_sync(arrange)
    return ivan


async def test_an_employee_sees_cached_advice_with_fresh_stats(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, cache: Redis
) -> None:
    # Given Ivan's advice was made last night
    ivan = await ivan_with_a_month_of_orders(session)
    await cache.set(
        f"recommendations:user:{IVAN}",
        json.dumps(
            {
                "summary": "Вы любите супы и морс.",
                "tips": ["Попробуйте Салат Греческий.", "Добавьте овощей."],
                "source": "gemini",
                "generated_at": "2026-11-24T00:00:12+00:00",
            }
        ),
    )

    # When he opens his profile
    response = await client.get(f"/users/{IVAN}/recommendations", headers=auth(ivan))

    # Then he sees the advice and this month's numbers
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["summary"] == "Вы любите супы и морс."
    assert body["tips"] == ["Попробуйте Салат Греческий.", "Добавьте овощей."]
    assert body["source"] == "gemini"
    assert datetime.fromisoformat(body["generated_at"]) == datetime(
        2026, 11, 24, 0, 0, 12, tzinfo=UTC
    )
    assert body["stats"] == {
        "orders_count": 2,
        "orders_last_30_days": 2,
        # 12 portions: 2 salads, 2 soups of the day + 2 borscht, 2 mains, 4 mors
        "categories": {
            "extra": {"count": 4, "percent": 33.3},
            "soup": {"count": 4, "percent": 33.3},
            "main": {"count": 2, "percent": 16.7},
            "salad": {"count": 2, "percent": 16.7},
        },
        "unique_dishes": 5,
        "total_dishes_available": 5,
        "favorite_dishes": [
            {"name": "Морс клюквенный", "count": 4},
            {"name": "Борщ", "count": 2},
            {"name": "Котлета с пюре", "count": 2},
            {"name": "Салат Цезарь", "count": 2},
            {"name": "Суп дня", "count": 2},
        ],
    }


async def test_nothing_cached_yet_means_no_summary_and_no_tips(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, cache: Redis
) -> None:
    ivan = await ivan_with_a_month_of_orders(session)

    response = await client.get(f"/users/{IVAN}/recommendations", headers=auth(ivan))

    body = response.json()
    assert (body["summary"], body["tips"], body["generated_at"], body["source"]) == (
        None,
        [],
        None,
        None,
    )
    assert body["stats"]["orders_count"] == 2


@pytest.mark.parametrize("api_settings", [""], indirect=True)
async def test_without_gemini_keys_an_active_employee_gets_rule_based_advice(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, cache: Redis
) -> None:
    # Given Ivan ordered five times this month and no Gemini keys are configured
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, IVAN, "Иван Петров")

    def five_lunches(sync_session: Session) -> None:
        for day in (16, 17, 18, 19, 20):
            make_order(sync_session, ivan, menu, date(2026, 11, day))

    await session.run_sync(five_lunches)

    response = await client.get(f"/users/{IVAN}/recommendations", headers=auth(ivan))

    body = response.json()
    assert body["source"] == "rules"
    assert body["summary"] == "За 30 дней 5 заказов, чаще всего — супы (33.3% блюд)."
    assert 2 <= len(body["tips"]) <= 3


async def test_a_manager_may_look_and_a_colleague_may_not(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth, cache: Redis
) -> None:
    ivan = await ivan_with_a_month_of_orders(session)
    maria = await session.run_sync(make_user, MARIA, "Мария Иванова")
    anna = await session.run_sync(make_user, ANNA, "Анна Смирнова", role=Role.MANAGER)

    by_manager = await client.get(f"/users/{IVAN}/recommendations", headers=auth(anna))
    by_colleague = await client.get(f"/users/{IVAN}/recommendations", headers=auth(maria))
    unknown = await client.get("/users/999999/recommendations", headers=auth(anna))
    anonymous = await client.get(f"/users/{IVAN}/recommendations")

    assert by_manager.status_code == 200
    assert by_manager.json()["stats"]["orders_count"] == 2
    assert by_colleague.status_code == 403
    assert by_colleague.json()["code"] == "not_your_recommendations"
    assert unknown.status_code == 404
    assert anonymous.status_code == 401
    assert ivan.tgid == IVAN


async def test_while_redis_is_down_the_profile_gets_the_rules_advice_not_a_500(
    settings_factory: Callable[..., Settings],
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    session: AsyncSession,
    auth: Auth,
) -> None:
    # Given Ivan ordered five times this month, Gemini keys exist, and Redis does not answer
    settings = settings_factory(
        gemini_api_keys="AIzaSy-test-key", redis_url="redis://127.0.0.1:1/0"
    )
    app = create_app(AppContext(settings=settings, sessions=sessions, clock=clock))
    menu = await session.run_sync(make_cafe)
    ivan = await session.run_sync(make_user, IVAN, "Иван Петров")

    def five_lunches(sync_session: Session) -> None:
        for day in (16, 17, 18, 19, 20):
            make_order(sync_session, ivan, menu, date(2026, 11, day))

    await session.run_sync(five_lunches)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
        response = await client.get(f"/users/{IVAN}/recommendations", headers=auth(ivan))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"] == "rules"  # marked as the rules' advice, not the model's
    assert body["summary"]
    assert body["stats"]["orders_count"] == 5
