"""Nothing is acknowledged that is not stored: the unit of work commits before the response.

Two stories: clients that read right after a 201 always find what they wrote (over a real HTTP
server, where a response can reach the client before the app has finished), and a commit that
fails is answered with an error, never with 2xx.
"""

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from functions.api.app import create_app
from functions.api.deps import AppContext
from infra.local.services import free_port
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import Role, User
from tests.factories import make_user

MANAGER = 9001


class SlowCommitSession(AsyncSession):
    """A commit that takes a moment, as one does on a busy database."""

    async def commit(self) -> None:
        await asyncio.sleep(0.05)
        await super().commit()


class FailingCommitSession(AsyncSession):
    """A commit the database refuses (a lost connection, a failed deferred check)."""

    async def commit(self) -> None:
        raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))


@pytest.fixture
def live_api(
    db: Session, database_url: str, api_settings: Settings, clock: FixedClock
) -> Iterator[str]:
    """The app on a real HTTP server (uvicorn, 127.0.0.1) with real commits."""
    make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
    db.commit()
    engine = create_async_engine(database_url, poolclass=NullPool)
    sessions = async_sessionmaker(engine, class_=SlowCommitSession, expire_on_commit=False)
    context = AppContext(settings=api_settings, sessions=sessions, clock=clock)  # type: ignore[arg-type]
    app = create_app(context)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/api/v1"
    server.should_exit = True
    thread.join(timeout=10)


async def test_every_write_is_readable_as_soon_as_it_is_acknowledged(
    live_api: str, auth: Callable[[User], dict[str, str]], sync_engine: Engine
) -> None:
    manager = auth(User(tgid=MANAGER, role=Role.MANAGER))

    async def client_writes_then_reads(first_tgid: int) -> list[int]:
        misses = []
        async with httpx.AsyncClient(base_url=live_api, headers=manager, timeout=10) as client:
            for tgid in range(first_tgid, first_tgid + 20):
                created = await client.post(
                    "/users", json={"tgid": tgid, "name": f"Сотрудник {tgid}"}
                )
                assert created.status_code == 201, created.text
                read = await client.get(f"/users/{tgid}")
                if read.status_code != 200:
                    misses.append(tgid)
        return misses

    results = await asyncio.gather(*(client_writes_then_reads(700_000 + n * 100) for n in range(3)))

    assert [miss for misses in results for miss in misses] == []
    with Session(sync_engine) as check:
        stored = check.scalars(select(User.tgid).where(User.tgid >= 700_000)).all()
    assert len(stored) == 60


@pytest.fixture
async def failing_commits_client(
    connection: AsyncConnection, api_settings: Settings, clock: FixedClock
) -> AsyncIterator[httpx.AsyncClient]:
    sessions = async_sessionmaker(
        bind=connection,
        class_=FailingCommitSession,
        expire_on_commit=False,
        join_transaction_mode="create_savepoint",
    )
    context = AppContext(settings=api_settings, sessions=sessions, clock=clock)  # type: ignore[arg-type]
    app = create_app(context)
    # As a real server would: what the client sees, not an exception raised into the test.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
        yield client


async def test_a_commit_that_fails_is_never_answered_with_2xx(
    failing_commits_client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[[User], dict[str, str]],
) -> None:
    manager = await session.run_sync(make_user, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
    await session.flush()

    responses: list[Any] = [
        await failing_commits_client.post(
            "/users", json={"tgid": 123456, "name": "Иван"}, headers=auth(manager)
        ),
        await failing_commits_client.post(
            "/cafes", json={"name": "Кафе Север"}, headers=auth(manager)
        ),
    ]

    for response in responses:
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "dependency_unavailable"
