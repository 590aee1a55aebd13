"""The API under test: the real FastAPI app on a connection whose transaction is rolled back
after each test (Polar's pattern), reached through httpx, with tokens for any user."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import User
from tests.harness.lunch import JWT_SECRET

# A Tuesday morning in Moscow: ordering for today (deadline 11:00) is open.
DEFAULT_NOW = datetime(2026, 11, 24, 6, 15, tzinfo=UTC)


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    """One connection in one outer transaction, rolled back when the test ends."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()
    await engine.dispose()


@pytest.fixture
def sessions(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Sessions whose commits are savepoints inside the test's transaction."""
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """For arranging rows and checking what was written; `await session.flush()` to share."""
    async with sessions() as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


@pytest.fixture
def api_settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory()


@pytest.fixture
async def client(
    api_settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(AppContext(settings=api_settings, sessions=sessions, clock=clock))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
        yield client


@pytest.fixture
def auth(clock: FixedClock) -> Callable[[User], dict[str, str]]:
    """Authorization headers for a user, as if they had signed in."""

    def headers(user: User) -> dict[str, str]:
        token = issue_token(
            TokenClaims(tgid=user.tgid, role=user.role),
            JWT_SECRET,
            now=clock.now(),
            ttl=timedelta(hours=1),
        )
        return {"Authorization": f"Bearer {token}"}

    return headers
