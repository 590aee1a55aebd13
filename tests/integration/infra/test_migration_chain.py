"""Every migration can be undone: the whole chain goes down to an empty database and up again."""

from alembic import command
from sqlalchemy import create_engine, inspect

from shared.migrations import alembic_config, upgrade


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_the_whole_chain_goes_down_to_nothing_and_up_again(empty_database: str) -> None:
    upgrade(empty_database, "head")
    at_head = tables(empty_database)
    assert {"orders", "menu_item_options", "arrival_notices"} <= at_head

    command.downgrade(alembic_config(empty_database), "base")
    assert tables(empty_database) == set()

    upgrade(empty_database, "head")
    assert tables(empty_database) == at_head
