"""The per-cafe report over 50,000 orders (500 employees x 100 days, each a combo with some
standalone dishes and extras), next to the raw SQL aggregate it is built on."""

import statistics
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

from shared.kit import runtime
from shared.kit.db import create_sessionmaker
from shared.reports.export import report_csv
from shared.reports.schemas import MAX_PEOPLE_PAGE
from shared.reports.service import cafe_report
from tests.bench.conftest import describe, timed
from tests.factories import make_cafe

PEOPLE = 500
DAYS = 100
FIRST_DAY = date(2026, 6, 1)
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
RUNS = 5

RAW_AGGREGATE = """
SELECT count(*), sum(o.total_price),
       (SELECT sum(i.quantity) FROM order_items i JOIN orders o2 ON o2.id = i.order_id
         WHERE o2.cafe_id = :cafe AND o2.order_date BETWEEN :first AND :last
           AND o2.status <> 'cancelled')
  FROM orders o
 WHERE o.cafe_id = :cafe AND o.order_date BETWEEN :first AND :last AND o.status <> 'cancelled'
"""


def fill(db: Session, cafe_id: int, ids: dict[str, int]) -> None:
    """50,000 orders written by PostgreSQL itself; totals match their lines."""
    db.execute(
        text(
            "INSERT INTO users (tgid, name, office, role, is_active) "
            "SELECT 200000 + n, 'Сотрудник ' || n, 'Москва', 'user', true "
            "FROM generate_series(1, :people) AS n"
        ),
        {"people": PEOPLE},
    )
    db.execute(
        text(
            "INSERT INTO orders (user_tgid, cafe_id, order_date, status, combo_id, combo_name, "
            "  combo_price, notes, total_price) "
            "SELECT u.tgid, :cafe, d::date, 'pending', :combo, 'Салат + Суп + Горячее', 450, "
            "  CASE WHEN u.tgid % 10 = 0 THEN 'Без лука' END, "
            "  450 + CASE WHEN u.tgid % 3 = 0 THEN 120 ELSE 0 END "
            "      + CASE WHEN u.tgid % 5 = 0 THEN 180 ELSE 0 END "
            "FROM users u CROSS JOIN generate_series(CAST(:first AS date), CAST(:last AS date), "
            "  interval '1 day') AS d "
            "WHERE u.tgid > 200000"
        ),
        {"cafe": cafe_id, "combo": ids["combo"], "first": FIRST_DAY, "last": LAST_DAY},
    )
    db.execute(
        text(
            "INSERT INTO order_items (order_id, position, kind, category, menu_item_id, "
            "  menu_item_name, quantity, options, unit_price) "
            "SELECT o.id, v.position, 'combo', v.category, v.item, v.name, 1, '{}'::jsonb, NULL "
            "FROM orders o CROSS JOIN (VALUES (0, 'salad', :salad, 'Салат Цезарь'), "
            "  (1, 'soup', :soup, 'Суп дня'), (2, 'main', :main, 'Котлета с пюре')) "
            "  AS v(position, category, item, name) "
            "UNION ALL "
            "SELECT o.id, 3, 'standalone', 'soup', :borscht, 'Борщ', 1, "
            '  \'{"Размер порции": "Большая"}\'::jsonb, 180 '
            "FROM orders o WHERE o.user_tgid % 5 = 0"
        ),
        ids,
    )
    db.execute(
        text(
            "INSERT INTO order_extras (order_id, position, menu_item_id, menu_item_name, "
            "  quantity, unit_price) "
            "SELECT o.id, 0, :mors, 'Морс клюквенный', 2, 60 FROM orders o "
            "WHERE o.user_tgid % 3 = 0"
        ),
        {"mors": ids["mors"]},
    )
    db.commit()
    db.execute(text("ANALYZE"))


def test_report_time_over_fifty_thousand_orders(db: Session, database_url: str) -> None:
    menu = make_cafe(db)
    ids = {
        "combo": menu.full_combo.id,
        "salad": menu.salad.id,
        "soup": menu.soup.id,
        "main": menu.main.id,
        "borscht": menu.borscht.id,
        "mors": menu.mors.id,
    }
    db.commit()
    fill(db, menu.cafe.id, ids)
    sessions = create_sessionmaker(create_async_engine(database_url))
    cafe_id = menu.cafe.id

    async def report_over(first: date, last: date, *, as_csv: bool = False) -> Decimal:
        session: AsyncSession
        async with sessions() as session:
            report = await cafe_report(session, cafe_id, first, last)
            # What the endpoint sends: the CSV file, or the JSON body
            body = report_csv(report) if as_csv else report.model_dump_json().encode()
            assert body
            return report.total_amount

    async def raw(first: date, last: date) -> Decimal:
        async with sessions() as session:
            params = {"cafe": cafe_id, "first": first, "last": last}
            row = (await session.execute(text(RAW_AGGREGATE), params)).one()
            return Decimal(row[1])

    whole = runtime.run(report_over(FIRST_DAY, LAST_DAY))
    assert whole == runtime.run(raw(FIRST_DAY, LAST_DAY))
    count = db.scalar(text("SELECT count(*) FROM orders"))
    assert count == PEOPLE * DAYS

    day = FIRST_DAY + timedelta(days=DAYS // 2)
    figures: list[tuple[str, Callable[[], object]]] = [
        ("raw SQL aggregate, one day (500 orders)", lambda: runtime.run(raw(day, day))),
        ("report as JSON, one day (500 orders)", lambda: runtime.run(report_over(day, day))),
        (
            "report as CSV, one day (500 orders)",
            lambda: runtime.run(report_over(day, day, as_csv=True)),
        ),
        (
            "raw SQL aggregate, 100 days (50,000 orders)",
            lambda: runtime.run(raw(FIRST_DAY, LAST_DAY)),
        ),
        (
            "report as JSON, 100 days (50,000 orders)",
            lambda: runtime.run(report_over(FIRST_DAY, LAST_DAY)),
        ),
        (
            "report as CSV, 100 days (50,000 orders)",
            lambda: runtime.run(report_over(FIRST_DAY, LAST_DAY, as_csv=True)),
        ),
    ]
    print()
    print(f"Per-cafe report, {count} orders in the database:")
    for name, action in figures:
        action()  # warm
        print(describe(name, timed(action, RUNS)))

    # The goal's figures: the whole period's report (every people line, as JSON) against
    # fetching the same rows with plain psycopg, and the largest page the API can answer.
    url = database_url.replace("+psycopg", "")
    params = {"cafe": cafe_id, "first": FIRST_DAY, "last": LAST_DAY}

    def fetch_rows() -> int:
        with psycopg.connect(url) as connection:
            return sum(len(connection.execute(sql, params).fetchall()) for sql in ROW_FETCH)

    report = timed(lambda: runtime.run(report_over(FIRST_DAY, LAST_DAY)), RUNS)
    rows = timed(fetch_rows, RUNS)
    print(describe("the same rows, plain psycopg (3 queries)", rows))
    largest = max(runtime.run(page_sizes(sessions, cafe_id)))
    ratio = statistics.median(report) / statistics.median(rows)
    print(f"BENCH report ratio_to_row_fetch={ratio:.2f} max_body_mb={largest / 1e6:.2f}")


# What the report reads, fetched as plainly as possible: orders with names, their dishes, extras.
ROW_FETCH = [
    "SELECT o.id, o.order_date, o.user_tgid, u.name, o.combo_name, o.combo_price, o.notes, "
    "o.total_price FROM orders o JOIN users u ON u.tgid = o.user_tgid "
    "WHERE o.cafe_id = %(cafe)s AND o.order_date BETWEEN %(first)s AND %(last)s "
    "AND o.status <> 'cancelled' ORDER BY o.order_date, u.name, o.id",
    "SELECT i.order_id, i.kind, i.category, i.menu_item_name, i.quantity, i.options, "
    "i.unit_price FROM order_items i JOIN orders o ON o.id = i.order_id "
    "WHERE o.cafe_id = %(cafe)s AND o.order_date BETWEEN %(first)s AND %(last)s "
    "AND o.status <> 'cancelled' ORDER BY i.order_id, i.position",
    "SELECT e.order_id, e.menu_item_name, e.quantity, e.unit_price FROM order_extras e "
    "JOIN orders o ON o.id = e.order_id "
    "WHERE o.cafe_id = %(cafe)s AND o.order_date BETWEEN %(first)s AND %(last)s "
    "AND o.status <> 'cancelled' ORDER BY e.order_id, e.position",
]


async def page_sizes(sessions: async_sessionmaker[AsyncSession], cafe_id: int) -> list[int]:
    """Bytes of every page of the 100-day report at the largest page the API allows, JSON
    and CSV: what each response body would hold."""
    sizes: list[int] = []
    offset: int | None = 0
    while offset is not None:
        async with sessions() as session:
            page = await cafe_report(
                session,
                cafe_id,
                FIRST_DAY,
                LAST_DAY,
                people_offset=offset,
                people_limit=MAX_PEOPLE_PAGE,
            )
        sizes += [len(page.model_dump_json()), len(report_csv(page))]
        offset = page.next_people_offset
    return sizes
