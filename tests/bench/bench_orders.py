"""Order placement through the `api` Lambda handler (API Gateway v2 event -> Mangum -> FastAPI ->
PostgreSQL), one request at a time as one Lambda container serves them, next to the floor: a
minimal FastAPI + Mangum endpoint doing a single INSERT, on the same database in the same run."""

import json
import statistics
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from mangum import Mangum
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from functions.api.handler import build_handler
from infra.local.events import api_gateway_v2_http, lambda_context
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit import runtime
from shared.kit.clock import FixedClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings
from shared.models import Role
from tests.bench.conftest import describe, timed
from tests.factories import full_order, make_cafe
from tests.harness.lunch import JWT_SECRET

MSK = ZoneInfo("Europe/Moscow")
MORNING = datetime(2026, 11, 24, 9, 15, tzinfo=MSK)
WARMUP = 20
ORDERS = 500
PAGE = 100  # orders on one page of GET /orders, as the Mini App's manager screen asks
PAGES = 200


def floor_handler(settings: Settings) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The least an API Lambda can do per order: parse JSON, one INSERT, commit, answer."""
    sessions = create_sessionmaker(create_engine(settings))
    app = FastAPI()

    @app.post("/floor")
    async def insert(body: dict[str, Any]) -> dict[str, int]:
        async with sessions() as session, session.begin():
            row = await session.execute(
                text(
                    "INSERT INTO bench_floor (payload) VALUES (CAST(:body AS jsonb)) RETURNING id"
                ),
                {"body": json.dumps(body)},
            )
            return {"id": row.scalar_one()}

    runtime.event_loop()
    adapter = Mangum(app, lifespan="off")
    return lambda event, context: adapter(event, context)


def test_order_placement_throughput_and_latency(
    db: Session, settings_factory: Callable[..., Settings]
) -> None:
    menu = make_cafe(db)
    people = WARMUP + ORDERS + 2  # one more for counting round trips, and a manager
    db.execute(
        text(
            "INSERT INTO users (tgid, name, office, role, is_active) "
            "SELECT 100000 + n, 'Сотрудник ' || n, 'Москва', 'user', true "
            "FROM generate_series(1, :people) AS n"
        ),
        {"people": people},
    )
    db.execute(
        text("CREATE TABLE IF NOT EXISTS bench_floor (id serial PRIMARY KEY, payload jsonb)")
    )
    db.commit()
    settings = settings_factory()
    api = build_handler(settings, FixedClock(MORNING))
    context = lambda_context("api")
    body = full_order(menu)
    events = iter(
        [
            api_gateway_v2_http(
                "POST",
                "/api/v1/orders",
                body=body,
                headers={
                    "content-type": "application/json",
                    "authorization": "Bearer "
                    + issue_token(
                        TokenClaims(tgid=100000 + n, role=Role.USER),
                        JWT_SECRET,
                        now=MORNING,
                        ttl=timedelta(hours=1),
                    ),
                },
            )
            for n in range(1, people + 1)
        ]
    )

    def place() -> None:
        response = api(next(events), context)
        assert response["statusCode"] == 201, response["body"]

    floor = floor_handler(settings)
    floor_event = api_gateway_v2_http(
        "POST", "/floor", body=body, headers={"content-type": "application/json"}
    )

    def insert() -> None:
        assert floor(floor_event, context)["statusCode"] == 200

    manager = issue_token(
        TokenClaims(tgid=100000 + people, role=Role.MANAGER),
        JWT_SECRET,
        now=MORNING,
        ttl=timedelta(hours=1),
    )
    db.execute(
        text("UPDATE users SET role = 'manager' WHERE tgid = :tgid"), {"tgid": 100000 + people}
    )
    db.commit()
    page_event = api_gateway_v2_http(
        "GET",
        "/api/v1/orders",
        query={"limit": str(PAGE)},
        headers={"authorization": f"Bearer {manager}"},
    )

    def read_page() -> None:
        response = api(page_event, context)
        assert response["statusCode"] == 200, response["body"]
        assert len(json.loads(response["body"])["items"]) == PAGE

    try:
        timed(place, WARMUP)
        timed(insert, WARMUP)
        round_trips = count_round_trips(place)
        orders = timed(place, ORDERS)
        inserts = timed(insert, ORDERS)
        timed(read_page, WARMUP)
        pages = timed(read_page, PAGES)
    finally:
        db.execute(text("DROP TABLE IF EXISTS bench_floor"))
        db.commit()

    print()
    print("Order placement, one Lambda container, sequential requests:")
    print(describe("POST /api/v1/orders (api handler)", orders))
    print(describe("floor: FastAPI+Mangum, one INSERT", inserts))
    print(describe(f"GET /api/v1/orders?limit={PAGE} (a manager)", pages))
    ratio = (len(orders) / sum(orders)) / (len(inserts) / sum(inserts))
    print(f"BENCH orders round_trips={round_trips} throughput_ratio_to_floor={ratio:.2f}")
    p50 = statistics.median(pages) * 1000
    print(f"BENCH orders_page p50_ms={p50:.1f} per_second={len(pages) / sum(pages):.1f}")


def count_round_trips(action: Callable[[], object]) -> int:
    """Statements, BEGINs and COMMITs any engine sends while `action` runs (one order)."""
    sent: list[str] = []

    def statement(*_: Any) -> None:
        sent.append("statement")

    def marker(*_: Any) -> None:
        sent.append("transaction")

    listeners: list[tuple[str, Callable[..., None]]] = [
        ("before_cursor_execute", statement),
        ("begin", marker),
        ("commit", marker),
        ("rollback", marker),
    ]
    for name, listener in listeners:
        event.listen(Engine, name, listener)
    try:
        action()
    finally:
        for name, listener in listeners:
            event.remove(Engine, name, listener)
    return len(sent)
