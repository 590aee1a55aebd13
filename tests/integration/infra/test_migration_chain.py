"""Every migration can be undone: the whole chain goes down to an empty database and up again."""

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from infra.local.services import create_database, drop_database
from shared.migrations import alembic_config, upgrade


@pytest.fixture
def fresh_database(postgres_url: str) -> Iterator[str]:
    name = f"chain_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_url, name)
    yield url
    drop_database(postgres_url, name)


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_the_whole_chain_goes_down_to_nothing_and_up_again(fresh_database: str) -> None:
    upgrade(fresh_database, "head")
    at_head = tables(fresh_database)
    assert {"orders", "menu_item_options", "arrival_notices"} <= at_head

    command.downgrade(alembic_config(fresh_database), "base")
    assert tables(fresh_database) == set()

    upgrade(fresh_database, "head")
    assert tables(fresh_database) == at_head
