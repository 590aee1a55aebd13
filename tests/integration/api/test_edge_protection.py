"""What every answer carries and what every caller is held to: security headers, a body size
limit, per-client rate limits on sign-in and the public routes, and a time budget."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import Role, User
from tests.factories import make_user

Auth = Callable[[User], dict[str, str]]


def build_client(app: object, client_ip: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(client_ip, 50000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://test/api/v1")


@pytest.fixture
def limited(
    settings_factory: Callable[..., Settings],
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> Callable[[str], httpx.AsyncClient]:
    """Clients (one per address) of an app with small limits, so a test can reach them."""
    settings = settings_factory(
        rate_limit_sign_in_per_minute=5,
        rate_limit_public_per_minute=8,
        api_max_body_bytes=64 * 1024,
    )
    app = create_app(AppContext(settings=settings, sessions=sessions, clock=clock))
    # Each test run gets addresses of its own: the limiter's windows live in the shared Redis.
    run = uuid.uuid4().int % 200

    def client(host: str) -> httpx.AsyncClient:
        return build_client(app, f"198.51.{run}.{host}")

    return client


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_answers_carry_the_security_headers(client: httpx.AsyncClient) -> None:
    for path in ("/health", "/cafes", "/no-such-route"):
        response = await client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        csp = response.headers["content-security-policy"]
        # framed by Telegram's web clients, so no X-Frame-Options DENY
        assert "frame-ancestors 'self' https://web.telegram.org" in csp
        assert "x-frame-options" not in response.headers
        assert "default-src 'self'" in csp


async def test_a_body_over_the_limit_is_refused_with_413(
    limited: Callable[[str], httpx.AsyncClient], session: AsyncSession, auth: Auth
) -> None:
    manager = await session.run_sync(make_user, 9001, "Ольга", role=Role.MANAGER)
    big = b'{"name": "' + b"x" * (70 * 1024) + b'"}'
    headers = auth(manager) | {"content-type": "application/json"}
    async with limited("1") as client:
        declared = await client.post("/cafes", content=big, headers=headers)
        streamed = await client.post(
            "/cafes",
            content=chunks(big[:40_000], big[40_000:]),  # chunked: no Content-Length
            headers=headers,
        )
        in_english = await client.post(
            "/cafes", content=big, headers=headers | {"accept-language": "en"}
        )
    for response in (declared, streamed):
        assert response.status_code == 413, (response.request.headers, response.text)
        assert response.json()["code"] == "body_too_large"
    assert declared.json()["detail"] == "Тело запроса больше 64 КБ"
    assert in_english.json()["detail"] == "The request body is over 64 KB"


async def test_sign_in_is_rate_limited_per_client_with_retry_after(
    limited: Callable[[str], httpx.AsyncClient],
) -> None:
    async with limited("2") as client, limited("3") as neighbour:
        answers = [
            (await client.post("/auth/telegram", json={"init_data": "x=1"})).status_code
            for _ in range(7)
        ]
        refused = await client.post("/auth/telegram", json={"init_data": "x=1"})
        in_english = await client.post(
            "/auth/telegram", json={"init_data": "x=1"}, headers={"accept-language": "en-GB"}
        )
        other = await neighbour.post("/auth/telegram", json={"init_data": "x=1"})

    assert answers == [401] * 5 + [429] * 2
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["detail"].startswith("Слишком много запросов: повторите через")
    assert in_english.json()["detail"].startswith("Too many requests: try again in")
    assert other.status_code == 401  # another client is not held back


async def test_public_routes_are_rate_limited_but_signed_in_ones_are_not(
    limited: Callable[[str], httpx.AsyncClient], session: AsyncSession, auth: Auth
) -> None:
    ivan = await session.run_sync(make_user, 1001, "Иван")
    async with limited("4") as client:
        health = [(await client.get("/health")).status_code for _ in range(10)]
        signed_in = [
            (await client.get("/cafes", headers=auth(ivan))).status_code for _ in range(10)
        ]
    assert health == [200] * 8 + [429] * 2
    assert signed_in == [200] * 10


async def test_the_limits_let_requests_through_while_redis_is_down(
    settings_factory: Callable[..., Settings],
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    settings = settings_factory(redis_url="redis://127.0.0.1:1/0", rate_limit_public_per_minute=1)
    app = create_app(AppContext(settings=settings, sessions=sessions, clock=clock))
    async with build_client(app) as client:
        answers = [(await client.get("/health")).status_code for _ in range(3)]
    assert answers == [200, 200, 200]


async def test_a_request_over_its_budget_gets_503_within_the_budget(
    settings_factory: Callable[..., Settings],
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    settings = settings_factory(api_request_budget_seconds=0.5)
    app = create_app(AppContext(settings=settings, sessions=sessions, clock=clock))
    stalled = APIRouter()

    @stalled.get("/api/v1/stalled")
    async def wait_forever() -> None:
        # A dependency that never answers, and whose cancellation takes long too (as psycopg's
        # does on a stalled server).
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await asyncio.sleep(2)
            raise

    app.router.routes.insert(0, stalled.routes[0])
    async with build_client(app) as client:
        started = time.monotonic()
        response = await client.get("/stalled")
        took = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["code"] == "dependency_unavailable"
    assert response.headers["retry-after"] == "5"
    assert took < 1.5
