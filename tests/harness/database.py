"""A migrated database for the test session, and a clean slate for each test that asks."""

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from infra.local.services import create_database, drop_database
from shared.migrations import upgrade
from shared.models import Base

TEST_DATABASE = "lunch_tests"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate(url: str, name: str) -> None:
    admin = _with_database(url, "postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="session")
def database_url(postgres_url: str) -> str:
    """A fresh database with every Alembic migration applied, once per session."""
    url = _with_database(postgres_url, TEST_DATABASE)
    _recreate(postgres_url, TEST_DATABASE)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def sync_engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


def truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(sync_engine: Engine) -> Iterator[Session]:
    """A session on an emptied database, for tests that drive handlers which commit on their own.

    The tables are emptied again afterwards, so that tests in rolled-back transactions never
    meet rows a committing test left behind.
    """
    truncate_all(sync_engine)
    with Session(sync_engine, expire_on_commit=False) as session:
        yield session
    truncate_all(sync_engine)


@pytest.fixture
def empty_database(postgres_url: str) -> Iterator[str]:
    """A database of its own with no schema at all, dropped after the test (migration tests)."""
    name = f"empty_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_url, name)
    yield url
    drop_database(postgres_url, name)
