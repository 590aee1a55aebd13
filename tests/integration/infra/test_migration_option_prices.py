"""The option-price migration on a database that already has a menu and orders: existing options
cost nothing extra, existing order lines chose no priced option, and it can be undone."""

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import IntegrityError

from shared.migrations import alembic_config, upgrade

BEFORE = "0014_features"


@pytest.fixture
def database_before_prices(empty_database: str) -> str:
    upgrade(empty_database, BEFORE)
    return empty_database


def columns(db: Connection, table: str) -> set[str]:
    statement = text("select column_name from information_schema.columns where table_name = :t")
    return set(db.execute(statement, {"t": table}).scalars())


def test_existing_options_become_free_and_the_migration_can_be_undone(
    database_before_prices: str,
) -> None:
    # Given a borscht with a size option and an order line for it, written before prices existed
    engine = create_engine(database_before_prices)
    with engine.begin() as db:
        db.execute(
            text(
                "insert into users (tgid, name, office, role, is_active)"
                " values (1, 'Иван', '', 'user', true)"
            )
        )
        cafe = db.execute(
            text(
                "insert into cafes (name, is_active, notifications_enabled)"
                " values ('Столовая', true, false) returning id"
            )
        ).scalar_one()
        dish = db.execute(
            text(
                "insert into menu_items (cafe_id, name, category, price, is_available)"
                " values (:cafe, 'Борщ', 'soup', 180, true) returning id"
            ),
            {"cafe": cafe},
        ).scalar_one()
        db.execute(
            text(
                "insert into menu_item_options (menu_item_id, name, values, is_required)"
                " values (:dish, 'Размер', '{Стандарт,Большая}', true)"
            ),
            {"dish": dish},
        )
        order = db.execute(
            text(
                "insert into orders (user_tgid, cafe_id, order_date, status, total_price)"
                " values (1, :cafe, '2026-11-24', 'pending', 180) returning id"
            ),
            {"cafe": cafe},
        ).scalar_one()
        db.execute(
            text(
                "insert into order_items (order_id, position, kind, category, menu_item_id,"
                " menu_item_name, quantity, options, unit_price) values (:order, 0,"
                " 'standalone', 'soup', :dish, 'Борщ', 1, '{\"Размер\": \"Большая\"}', 180)"
            ),
            {"order": order, "dish": dish},
        )

    # When the migration runs
    upgrade(database_before_prices)

    # Then the option costs nothing extra and the line lists no option price
    with engine.begin() as db:
        assert db.execute(text("select price from menu_item_options")).scalar_one() == 0
        assert db.execute(text("select option_prices from order_items")).scalar_one() == {}
    # And the database itself refuses a negative price
    with pytest.raises(IntegrityError, match="price_not_negative"), engine.begin() as db:
        db.execute(text("update menu_item_options set price = -1"))

    # When it is undone, the menu and the order are as they were
    command.downgrade(alembic_config(database_before_prices), BEFORE)
    with engine.begin() as db:
        assert "price" not in columns(db, "menu_item_options")
        assert "option_prices" not in columns(db, "order_items")
        assert db.execute(text("select name from menu_item_options")).scalar_one() == "Размер"
        assert db.execute(text("select unit_price from order_items")).scalar_one() == 180
    engine.dispose()
