"""Database plumbing: one async engine per process, and the unit of work around each job."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.kit.settings import Settings

# A pooled connection idle this long is checked before use: a Lambda container thawed after
# minutes, or a server that dropped idle clients. Busy connections are not pinged at all.
IDLE_PING_SECONDS = 30.0


def create_engine(settings: Settings) -> AsyncEngine:
    """An async engine on psycopg 3; a connection is checked before use only after being idle.

    A ping on every checkout (pool_pre_ping) is a round trip on every request; instead a
    connection idle for IDLE_PING_SECONDS is pinged and, if dead, replaced (the pool retries
    with a fresh one), and none is kept longer than pool_recycle.

    Every wait is bounded: connecting (libpq's connect_timeout), each statement (PostgreSQL's
    statement_timeout, also for lock waits) and waiting for a pooled connection (pool_timeout).
    A server that stops answering altogether is bounded by the API's request budget.
    """
    statement_ms = settings.database_statement_timeout_ms
    engine = create_async_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=False,
        pool_recycle=300,
        pool_timeout=settings.database_pool_timeout_seconds,
        connect_args={
            "connect_timeout": settings.database_connect_timeout_seconds,
            "options": f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}",
        },
    )
    ping_after_idle(engine, IDLE_PING_SECONDS)
    return engine


def ping_after_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Ping a pooled connection on checkout when it sat idle for `idle_seconds` or more."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        # Wall time, not monotonic: a frozen or restored VM may not advance a monotonic clock.
        record.info["idle_since"] = time.time()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.time() - idle_since < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out a fresh one.
            raise DisconnectionError("the idle connection is gone") from error

    event.listen(pool, "checkin", checked_in)
    event.listen(pool, "checkout", checked_out)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def read_sessionmaker(
    sessions: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """Sessions like `sessions` for requests that only read: each statement runs on its own
    (autocommit), so a read pays no BEGIN and no COMMIT round trip.

    Statements of one request may then see different snapshots; a read that needs one
    consistent view of several statements takes a unit of work instead. Sessions bound to a
    connection (tests, inside their own transaction) are returned as they are.
    """
    bind = sessions.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        return sessions
    return async_sessionmaker(
        bind=bind.execution_options(isolation_level="AUTOCOMMIT"),
        class_=sessions.class_,
        **{name: value for name, value in sessions.kw.items() if name != "bind"},
    )


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session that commits when the block succeeds and rolls back when it raises.

    Errors never commit, domain refusals included: an outcome that must leave a record behind
    (an access request) is returned by the service, not raised.
    """
    async with sessions() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()
