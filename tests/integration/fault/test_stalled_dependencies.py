"""Fault injection: PostgreSQL, Redis and Kafka stop answering (SIGSTOP) while employees keep
ordering. Every request is answered within the API's 4.5 s budget (503 dependency_unavailable at
worst; the test allows 8 s for a slow shared machine),
the system recovers once the store is back (SIGCONT), and every order answered 201 is stored.

The figures (503 latency, answers by status) are printed as `FAULT ...` lines for the report.
"""

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from functions.api.app import create_app
from functions.api.deps import AppContext
from infra.local.services import RunningService, free_port
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.db import create_engine as create_async_engine
from shared.kit.db import create_sessionmaker
from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings
from shared.migrations import upgrade
from shared.models import Order, Role
from tests.factories import CafeMenu, make_cafe, make_order, make_user
from tests.harness.lunch import JWT_SECRET
from tests.integration.fault.conftest import stalled

pytestmark = [pytest.mark.integration, pytest.mark.fault]

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=MSK)  # a Tuesday morning: ordering for today is open
# Seconds a client may wait at most, whatever is down: the API's 4.5 s budget plus room for a
# slow shared machine. The stalls last longer than this, so a wait for the store would show.
BUDGET_PROMISE = 8.0
WORKERS = 6
EMPLOYEES = 4000
MANAGER = 9001


@dataclass(frozen=True)
class Answer:
    path: str
    status: int
    seconds: float
    order_id: int | None


@dataclass
class Stack:
    url: str
    menu: CafeMenu
    settings: Settings
    database_url: str


def bearer(tgid: int, role: Role = Role.USER) -> dict[str, str]:
    token = issue_token(TokenClaims(tgid=tgid, role=role), JWT_SECRET, now=NOW, ttl=timedelta(1))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def stack(
    own_postgres: RunningService, own_redis: RunningService, own_kafka: RunningService
) -> Iterator[Stack]:
    """The app on a real HTTP server over the tier's own stores, with a cafe and employees."""
    upgrade(own_postgres.url)
    engine = create_engine(own_postgres.url)
    with Session(engine, expire_on_commit=False) as db:
        menu = make_cafe(db, weekdays=(0, 1, 2, 3, 4, 5, 6))
        make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
        employees = [
            make_user(db, tgid, f"Сотрудник {tgid}") for tgid in range(100_001, 100_001 + EMPLOYEES)
        ]
        # An employee with enough history for advice (the rules need 5 orders in 30 days)
        for day in range(1, 8):
            make_order(db, employees[0], menu, NOW.date() - timedelta(days=day))
        db.commit()
    engine.dispose()
    settings = Settings(
        _env_file=None,
        environment="test",
        database_url=own_postgres.url,
        redis_url=own_redis.url,
        kafka_bootstrap_servers=own_kafka.url,
        kafka_request_timeout_ms=1000,
        redis_timeout_seconds=1.0,
        jwt_secret=JWT_SECRET,
        rate_limit_public_per_minute=100_000,
        rate_limit_sign_in_per_minute=100_000,
    )
    sessions = create_sessionmaker(create_async_engine(settings))
    app = create_app(AppContext(settings=settings, sessions=sessions, clock=FixedClock(NOW)))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield Stack(f"http://127.0.0.1:{port}/api/v1", menu, settings, own_postgres.url)
    server.should_exit = True
    thread.join(timeout=15)


def order_body(menu: CafeMenu) -> dict[str, Any]:
    return {
        "cafe_id": menu.cafe.id,
        "order_date": NOW.date().isoformat(),
        "combo_id": menu.full_combo.id,
        "items": [
            {"type": "combo", "category": "salad", "menu_item_id": menu.salad.id},
            {"type": "combo", "category": "soup", "menu_item_id": menu.soup.id},
            {"type": "combo", "category": "main", "menu_item_id": menu.main.id},
        ],
    }


class Load:
    """Employees ordering (each a new one) and browsing, several at once, until stopped."""

    def __init__(self, stack: Stack, first_employee: int, extra_paths: tuple[str, ...] = ()):
        self.stack = stack
        self.next_employee = first_employee
        self.extra_paths = extra_paths
        self.answers: list[tuple[float, Answer]] = []
        self.stop = asyncio.Event()

    async def _one(self, client: httpx.AsyncClient, method: str, path: str, **kw: Any) -> None:
        started = time.monotonic()
        try:
            response = await client.request(method, path, **kw)
            status = response.status_code
            body = response.json() if "json" in response.headers.get("content-type", "") else {}
        except httpx.HTTPError:
            status, body = 0, {}
        took = time.monotonic() - started
        order_id = body.get("id") if path == "/orders" and status == 201 else None
        self.answers.append((started, Answer(path, status, took, order_id)))

    async def _worker(self) -> None:
        async with httpx.AsyncClient(base_url=self.stack.url, timeout=30) as client:
            while not self.stop.is_set():
                tgid = self.next_employee
                self.next_employee += 1
                await self._one(
                    client,
                    "POST",
                    "/orders",
                    json=order_body(self.stack.menu),
                    headers=bearer(tgid),
                )
                for path in self.extra_paths:
                    await self._one(client, "GET", path, headers=bearer(100_001))
                await asyncio.sleep(0.05)

    async def run(
        self, service: RunningService, *, before: float, stall: float, after: float
    ) -> tuple[float, float]:
        """Load before, during and after a stall of `service`; the stall's start and end."""
        workers = [asyncio.create_task(self._worker()) for _ in range(WORKERS)]
        await asyncio.sleep(before)
        with stalled(service):
            stall_start = time.monotonic()
            await asyncio.sleep(stall)
        stall_end = time.monotonic()
        await asyncio.sleep(after)
        self.stop.set()
        await asyncio.gather(*workers)
        return stall_start, stall_end


def stored_orders(database_url: str, ids: list[int]) -> set[int]:
    engine = create_engine(database_url)
    with Session(engine) as db:
        found = set(db.scalars(select(Order.id).where(Order.id.in_(ids))).all())
    engine.dispose()
    return found


def report(name: str, answers: list[Answer]) -> None:
    statuses = Counter(answer.status for answer in answers)
    refused = [answer.seconds for answer in answers if answer.status == 503]
    slowest = max((answer.seconds for answer in answers), default=0.0)
    line = " ".join(f"s{status}={count}" for status, count in sorted(statuses.items()))
    worst_503 = max(refused, default=0.0)
    print(  # noqa: T201 - figures for the report
        f"\nFAULT {name} answers={len(answers)} {line} max_503_s={worst_503:.2f} "
        f"max_any_s={slowest:.2f}"
    )


async def test_a_stalled_postgresql_gets_503s_within_the_budget_and_no_201_is_lost(
    stack: Stack, own_postgres: RunningService
) -> None:
    load = Load(stack, first_employee=100_010, extra_paths=("/cafes",))
    stall_start, stall_end = await load.run(own_postgres, before=2.0, stall=12.0, after=8.0)

    during = [a for started, a in load.answers if stall_start <= started < stall_end]
    recovered = [a for started, a in load.answers if started > stall_end + 5.0]
    everything = [a for _, a in load.answers]
    report("postgres-stalled", during)
    report("postgres-all", everything)

    # While it is stalled: refused quickly with 503, never a hang, never a 500
    assert during, "no request was sent while PostgreSQL was stalled"
    assert {a.status for a in during} <= {503, 201, 200}
    assert any(a.status == 503 for a in during)
    assert max(a.seconds for a in everything) < BUDGET_PROMISE
    for answer in during:
        if answer.status == 503:
            assert answer.seconds < BUDGET_PROMISE
    # Afterwards it works again
    assert recovered
    assert {a.status for a in recovered if a.path == "/orders"} == {201}
    # Nothing acknowledged is lost
    acknowledged = [a.order_id for a in everything if a.order_id is not None]
    assert acknowledged
    assert stored_orders(stack.database_url, acknowledged) == set(acknowledged)


async def test_a_stalled_redis_keeps_orders_going_and_advice_comes_from_the_rules(
    stack: Stack, own_redis: RunningService
) -> None:
    paths = ("/users/100001/recommendations", "/health")
    load = Load(stack, first_employee=101_000, extra_paths=paths)
    stall_start, stall_end = await load.run(own_redis, before=1.5, stall=10.0, after=3.0)

    during = [a for started, a in load.answers if stall_start <= started < stall_end - 1.5]
    everything = [a for _, a in load.answers]
    report("redis-stalled", during)

    assert during
    # Orders do not need Redis; advice falls back to the rules; limits let requests through
    assert {a.status for a in during} == {200, 201}
    assert max(a.seconds for a in everything) < BUDGET_PROMISE
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as client:
        with stalled(own_redis):
            started = time.monotonic()
            advice = await client.get(paths[0], headers=bearer(100_001))
            health = await client.get("/health/redis")
            took = time.monotonic() - started
        assert advice.status_code == 200
        assert advice.json()["source"] == "rules"
        assert advice.json()["summary"]
        assert health.status_code == 503
        assert health.json()["code"] == "dependency_unavailable"
        assert took < 2 * BUDGET_PROMISE
        assert (await client.get("/health/redis")).status_code == 200  # recovered
    acknowledged = [a.order_id for a in everything if a.order_id is not None]
    assert stored_orders(stack.database_url, acknowledged) == set(acknowledged)


async def test_a_stalled_kafka_fails_health_and_sends_in_time_and_recovers(
    stack: Stack, own_kafka: RunningService
) -> None:
    producer = EventProducer(stack.settings)
    topic = "fault.deadlines"
    await producer.send(topic, "1", {"type": "warmup"})
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as client:
        with stalled(own_kafka):
            started = time.monotonic()
            probes = await asyncio.gather(*(client.get("/health/kafka") for _ in range(5)))
            probe_seconds = time.monotonic() - started
            orders = await asyncio.gather(
                *(
                    client.post("/orders", json=order_body(stack.menu), headers=bearer(tgid))
                    for tgid in range(103_900, 103_910)
                )
            )
            sent_started = time.monotonic()
            with pytest.raises(Exception):  # noqa: B017, PT011 - aiokafka's timeout error, or ours
                await producer.send(topic, "2", {"type": "during-stall"})
            send_seconds = time.monotonic() - sent_started
        print(  # noqa: T201 - figures for the report
            f"\nFAULT kafka-stalled health_503_s={probe_seconds:.2f} "
            f"send_fails_s={send_seconds:.2f}"
        )
        assert [probe.status_code for probe in probes] == [503] * 5
        assert probe_seconds < BUDGET_PROMISE
        assert send_seconds <= 3 * stack.settings.kafka_request_timeout_ms / 1000 + 3
        assert {order.status_code for order in orders} == {201}  # ordering needs no Kafka
        # Recovery: the broker answers again and a fresh send goes through
        deadline = time.monotonic() + 30
        while (await client.get("/health/kafka")).status_code != 200:
            assert time.monotonic() < deadline, "Kafka did not come back"
            await asyncio.sleep(0.5)
    await producer.send(topic, "3", {"type": "after-stall"})
    await producer.close()
