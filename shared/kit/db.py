"""Database plumbing: one async engine per process, and the unit of work around each job."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.kit.settings import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """An async engine on psycopg 3; connections are checked before use (Lambda thaws).

    Every wait is bounded: connecting (libpq's connect_timeout), each statement (PostgreSQL's
    statement_timeout, also for lock waits) and waiting for a pooled connection (pool_timeout).
    A server that stops answering altogether is bounded by the API's request budget.
    """
    statement_ms = settings.database_statement_timeout_ms
    return create_async_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_pre_ping=True,
        pool_recycle=300,
        pool_timeout=settings.database_pool_timeout_seconds,
        connect_args={
            "connect_timeout": settings.database_connect_timeout_seconds,
            "options": f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}",
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


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
