"""The per-cafe report over 50,000 orders (500 employees x 100 days, each a combo with some
standalone dishes and extras), timed through the api Lambda handler (Mangum and the real app)
against fetching the same rows with plain psycopg, in the same run."""

import json
import statistics
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from functions.api.handler import Handler, build_handler
from infra.local.events import api_gateway_v2_http, lambda_context
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import Role
from shared.reports.schemas import MAX_PEOPLE_PAGE
from tests.bench.conftest import describe, timed
from tests.factories import make_cafe, make_user

PEOPLE = 500
DAYS = 100
FIRST_DAY = date(2026, 6, 1)
LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
# The largest report the API answers in one response: 4 days x 500 people = one full page.
PAGE_DAYS = MAX_PEOPLE_PAGE // PEOPLE
RUNS = 15
MANAGER = 9001
NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
SECRET = "bench-jwt-secret-0123456789abcdef"


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
    make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
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
    count = db.scalar(text("SELECT count(*) FROM orders"))
    assert count == PEOPLE * DAYS
    cafe_id = menu.cafe.id
    # The production handler; only the request budget is roomy, so that a loaded machine
    # measures slow answers rather than 503s (the report's Redis and Kafka are never used).
    settings = Settings(
        _env_file=None,
        environment="test",
        database_url=database_url,
        jwt_secret=SECRET,
        api_request_budget_seconds=120.0,
    )
    report = Reporter(build_handler(settings, FixedClock(NOW)), cafe_id)
    rows = RowFetch(database_url.replace("+psycopg", ""), cafe_id)

    day = FIRST_DAY + timedelta(days=DAYS // 2)
    page_last = FIRST_DAY + timedelta(days=PAGE_DAYS - 1)
    whole = report.get(FIRST_DAY, page_last)
    body = json.loads(whole["body"])
    # The whole period in one answer: every order, and totals that match the plain rows.
    assert (len(body["people"]), body["next_people_offset"]) == (MAX_PEOPLE_PAGE, None)
    orders = rows.fetch(FIRST_DAY, page_last)[0]
    assert body["total_amount"] == float(sum(order[-1] for order in orders))

    print()
    print(f"Per-cafe report, {count} orders in the database:")
    figures: list[tuple[str, Callable[[], object]]] = [
        ("rows, plain psycopg, one day (500 orders)", lambda: rows.fetch(day, day)),
        ("report as JSON, one day (500 orders)", lambda: report.get(day, day)),
        ("report as CSV, one day (500 orders)", lambda: report.get(day, day, csv=True)),
        (
            f"report as CSV, {PAGE_DAYS} days ({MAX_PEOPLE_PAGE} orders)",
            lambda: report.get(FIRST_DAY, page_last, csv=True),
        ),
    ]
    for name, action in figures:
        action()  # warm
        print(describe(name, timed(action, RUNS)))

    # The goal's figure: the largest answer the API gives (one page holding a whole report)
    # against fetching its rows; taken in turns so that both meet the same load.
    answers: list[float] = []
    fetches: list[float] = []
    for _ in range(RUNS):
        answers += timed(lambda: report.get(FIRST_DAY, page_last), 1)
        fetches += timed(lambda: rows.fetch(FIRST_DAY, page_last), 1)
    print(describe(f"report as JSON, {PAGE_DAYS} days ({MAX_PEOPLE_PAGE} orders)", answers))
    print(describe(f"rows, plain psycopg, {PAGE_DAYS} days (3 queries)", fetches))

    # Every page of the 100-day report, JSON and CSV: the largest Lambda response, and for the
    # record what walking them costs (each page's figures cover all 50,000 orders).
    sizes: list[int] = []
    walk = timed(lambda: sizes.extend(report.walk(FIRST_DAY, LAST_DAY)), 1)
    csv_walk = timed(lambda: sizes.extend(report.walk(FIRST_DAY, LAST_DAY, csv=True)), 1)
    print(describe("report as JSON, every page of 100 days", walk))
    print(describe("report as CSV, every page of 100 days", csv_walk))
    print(
        describe("rows, plain psycopg, 100 days", timed(lambda: rows.fetch(FIRST_DAY, LAST_DAY), 1))
    )
    rows.close()
    ratio = statistics.median(answers) / statistics.median(fetches)
    print(f"BENCH report ratio_to_row_fetch={ratio:.2f} max_body_mb={max(sizes) / 1e6:.2f}")


class Reporter:
    """GET /summaries/report through the api Lambda handler, as a manager."""

    def __init__(self, handler: Handler, cafe_id: int) -> None:
        self.handler = handler
        self.cafe_id = cafe_id
        claims = TokenClaims(tgid=MANAGER, role="manager")
        self.token = issue_token(claims, SECRET, now=NOW, ttl=timedelta(hours=1))

    def get(self, first: date, last: date, *, offset: int = 0, csv: bool = False) -> dict[str, Any]:
        query = {
            "cafe_id": str(self.cafe_id),
            "date_from": str(first),
            "date_to": str(last),
            "people_offset": str(offset),
            "people_limit": str(MAX_PEOPLE_PAGE),
            "format": "csv" if csv else "json",
        }
        event = api_gateway_v2_http(
            "GET",
            "/api/v1/summaries/report",
            headers={"authorization": f"Bearer {self.token}"},
            query=query,
        )
        response = self.handler(event, lambda_context("api"))
        assert response["statusCode"] == 200, response["body"][:300]
        return response

    def walk(self, first: date, last: date, *, csv: bool = False) -> list[int]:
        """Bytes of every page's Lambda response (the 6 MB limit is on this JSON document)."""
        sizes: list[int] = []
        offset: int | None = 0
        while offset is not None:
            response = self.get(first, last, offset=offset, csv=csv)
            sizes.append(len(json.dumps(response).encode()))
            following = response["headers"].get("x-next-people-offset")
            if not csv:
                following = json.loads(response["body"])["next_people_offset"]
            offset = None if following is None else int(following)
        return sizes


class RowFetch:
    """What the report reads, fetched as plainly as possible on one open connection: orders with
    names, their dishes, their extras."""

    def __init__(self, url: str, cafe_id: int) -> None:
        self.connection = psycopg.connect(url, autocommit=True)
        self.cafe_id = cafe_id

    def fetch(self, first: date, last: date) -> list[list[tuple[Any, ...]]]:
        params = {"cafe": self.cafe_id, "first": first, "last": last}
        return [self.connection.execute(sql, params).fetchall() for sql in ROW_FETCH]

    def close(self) -> None:
        self.connection.close()


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
