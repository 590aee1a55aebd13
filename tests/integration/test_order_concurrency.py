"""The last minute before the deadline: 200 employees place, change and cancel their orders at
once, through the real app on real PostgreSQL connections. Nothing is lost, nothing doubled, and
the cafe's report adds up to exactly what is in the database."""

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings
from shared.models import Order, OrderStatus, Role
from tests.factories import CafeMenu, combo_order, make_cafe, make_user
from tests.harness.lunch import JWT_SECRET

MSK = ZoneInfo("Europe/Moscow")
LAST_MINUTE = datetime(2026, 11, 24, 10, 59, tzinfo=MSK)
EMPLOYEES = 200


def token(tgid: int, role: Role, now: datetime) -> dict[str, str]:
    signed = issue_token(
        TokenClaims(tgid=tgid, role=role), JWT_SECRET, now=now, ttl=timedelta(hours=1)
    )
    return {"Authorization": f"Bearer {signed}"}


def borscht(menu: CafeMenu) -> dict[str, Any]:
    return {
        "cafe_id": menu.cafe.id,
        "order_date": "2026-11-24",
        "items": [
            {
                "type": "standalone",
                "menu_item_id": menu.borscht.id,
                "options": {"Размер порции": "Большая"},
            }
        ],
    }


async def test_two_hundred_employees_in_the_last_minute_lose_and_double_nothing(
    db: Session, settings_factory: Callable[..., Settings]
) -> None:
    # Given a cafe closing at 11:00, 200 employees and a manager, and the app on a real pool
    menu = make_cafe(db)
    for n in range(EMPLOYEES):
        make_user(db, 10_000 + n, f"Сотрудник {n:03d}")
    make_user(db, 9001, "Ольга Менеджер", role=Role.MANAGER)
    db.commit()
    # Lambda gives each request its own container and connection; one process stands in for the
    # fleet here, so its pool is as wide as the server allows (max_connections is 200), and the
    # per-request time budgets are a fleet's too: 200 requests share this process' CPU.
    settings = settings_factory(
        database_pool_size=90,
        database_pool_timeout_seconds=60,
        database_connect_timeout_seconds=60,
        database_statement_timeout_ms=60_000,
        api_request_budget_seconds=60,
    )
    engine = create_engine(settings)
    clock = FixedClock(LAST_MINUTE)
    app = create_app(
        AppContext(settings=settings, sessions=create_sessionmaker(engine), clock=clock)
    )
    outcomes: Counter[str] = Counter()

    async def employee(client: httpx.AsyncClient, n: int) -> None:
        """Place (some press the button twice), change, and for some cancel and order again."""
        headers = token(10_000 + n, Role.USER, clock.now())
        presses = 2 if n % 10 == 1 else 1
        placed = await asyncio.gather(
            *(
                client.post("/orders", json=combo_order(menu), headers=headers)
                for _ in range(presses)
            )
        )
        codes = sorted(response.status_code for response in placed)
        assert codes == [201, 409][:presses], [r.text for r in placed]
        outcomes["duplicate refused"] += presses - 1
        order_id = next(r.json()["id"] for r in placed if r.status_code == 201)
        changed = await client.patch(
            f"/orders/{order_id}",
            json={"extras": [{"menu_item_id": menu.mors.id, "quantity": 1}], "notes": f"#{n}"},
            headers=headers,
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["total_price"] == 510
        outcomes["changed"] += 1
        if n % 4 == 0:
            cancelled = await client.delete(f"/orders/{order_id}", headers=headers)
            assert cancelled.status_code == 204, cancelled.text
            outcomes["cancelled"] += 1
        if n % 8 == 0:
            again = await client.post("/orders", json=borscht(menu), headers=headers)
            assert again.status_code == 201, again.text
            outcomes["ordered again"] += 1

    async def manager_watching(client: httpx.AsyncClient) -> None:
        headers = token(9001, Role.MANAGER, clock.now())
        for _ in range(5):
            response = await client.get(
                "/summaries/report",
                params={"cafe_id": menu.cafe.id, "date": "2026-11-24"},
                headers=headers,
            )
            assert response.status_code == 200, response.text
            await asyncio.sleep(0.05)

    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test/api/v1", timeout=60
        ) as client:
            # When they all act at once
            await asyncio.gather(
                *(employee(client, n) for n in range(EMPLOYEES)), manager_watching(client)
            )

            # Then every action landed exactly once
            assert outcomes == {
                "duplicate refused": 20,
                "changed": 200,
                "cancelled": 50,
                "ordered again": 25,
            }
            rows = Counter(db.scalars(select(Order.status)).all())
            assert rows == {OrderStatus.PENDING: 175, OrderStatus.CANCELLED: 50}
            per_person = db.execute(
                select(Order.user_tgid, func.count())
                .where(Order.status != OrderStatus.CANCELLED)
                .group_by(Order.user_tgid)
                .having(func.count() > 1)
            ).all()
            assert per_person == []
            in_db = db.scalar(
                select(func.sum(Order.total_price)).where(Order.status != OrderStatus.CANCELLED)
            )
            assert in_db == Decimal(150 * 510 + 25 * 180)

            # And the cafe's report adds up to what is stored
            report = (
                await client.get(
                    "/summaries/report",
                    params={"cafe_id": menu.cafe.id, "date": "2026-11-24"},
                    headers=token(9001, Role.MANAGER, clock.now()),
                )
            ).json()
            assert report["total_orders"] == 175
            assert Decimal(str(report["total_amount"])) == in_db
            assert sum(Decimal(str(p["total"])) for p in report["people"]) == in_db
            assert report["extras_breakdown"] == [
                {"menu_item_name": "Морс клюквенный", "quantity": 150, "total": 9000.0}
            ]
            borschts = [d for d in report["items_breakdown"] if d["menu_item_name"] == "Борщ"]
            assert borschts == [{"category": "soup", "menu_item_name": "Борщ", "quantity": 25}]

            # And a minute later the same change is refused for everyone alike
            clock.set(LAST_MINUTE + timedelta(minutes=1))
            late = await client.post(
                "/orders", json=combo_order(menu), headers=token(10_004, Role.USER, clock.now())
            )
            assert late.json()["code"] == "ordering_closed"
    finally:
        await engine.dispose()
