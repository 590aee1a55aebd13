"""`make run` without Kafka or a bot token: a person orders in the app, passes the cafe's
deadline from the dev page and reads the message the cafe received there."""

import asyncio
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from infra.local.bus import InProcessBus
from infra.local.devpage import create_local_app
from infra.local.fakes.telegram.inbox import LOCAL_TOKEN, local_telegram
from infra.local.runner import prepare, run_consumers
from infra.local.system import FunctionHost, LocalSystem, TravellingClock, build_functions
from shared.kit.db import create_engine, create_sessionmaker, unit_of_work
from shared.kit.settings import Settings
from shared.links import service as links


@pytest.fixture
def local_system(db: Session, database_url: str, redis_url: str) -> Iterator[LocalSystem]:
    capture = local_telegram().start()
    suffix = uuid.uuid4().hex[:8]
    settings = Settings(
        environment="local",
        dev_login_enabled=True,
        database_url=database_url,
        redis_url=redis_url,
        kafka_bootstrap_servers="in-process-bus",
        kafka_topic_deadlines=f"local-{suffix}.deadlines",
        kafka_topic_recommendations=f"local-{suffix}.recommendations",
        kafka_topic_dead_letters=f"local-{suffix}.dead-letters",
        telegram_bot_token=LOCAL_TOKEN,
        telegram_api_base_url=capture.base_url,
        jwt_secret="local-test-jwt-secret-0123456789",
    )
    clock = TravellingClock()
    asyncio.run(prepare(settings, clock))
    system = LocalSystem(settings, clock, FunctionHost(), capture, None, InProcessBus())
    assert build_functions(system) == []
    system.host.start()
    consumers = threading.Thread(target=run_consumers, args=(system,), daemon=True)
    consumers.start()
    yield system
    system.stop.set()
    system.host.stop()
    consumers.join(10)
    capture.stop()


def next_monday_morning(system: LocalSystem) -> datetime:
    today = system.clock.now().astimezone(system.settings.tz).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, time(9, 0), tzinfo=system.settings.tz)


def test_an_order_reaches_the_dev_page_after_passing_the_deadline(
    local_system: LocalSystem,
) -> None:
    system = local_system
    morning = next_monday_morning(system)
    system.clock.travel_to(morning)
    with TestClient(create_local_app(system)) as browser:
        # Given an employee of the demo data signed in through the dev sign-in
        init_data = browser.post("/api/v1/dev/sign-in", json={"tgid": 100002}).json()
        signed_in = browser.post("/api/v1/auth/telegram", json=init_data)
        assert signed_in.status_code == 200, signed_in.text
        auth = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        cafes = browser.get("/api/v1/cafes", headers=auth).json()["items"]
        canteen = next(c for c in cafes if c["name"] == "Столовая №1")
        menu = browser.get(f"/api/v1/cafes/{canteen['id']}/menu", headers=auth).json()["items"]
        dish = {item["name"]: item["id"] for item in menu}
        combos = browser.get(f"/api/v1/cafes/{canteen['id']}/combos", headers=auth).json()
        combo = next(c for c in combos["items"] if c["name"] == "Салат + Суп")

        # When they order for Monday and the cafe's deadline is passed from the dev page
        order = browser.post(
            "/api/v1/orders",
            headers=auth,
            json={
                "cafe_id": canteen["id"],
                "order_date": morning.date().isoformat(),
                "combo_id": combo["id"],
                "items": [
                    {"type": "combo", "category": "salad", "menu_item_id": dish["Винегрет"]},
                    {"type": "combo", "category": "soup", "menu_item_id": dish["Куриная лапша"]},
                ],
                "notes": "Без лука",
            },
        )
        assert order.status_code == 201, order.text
        page = browser.get("/dev/cafe-messages")
        assert "Pass this deadline now" in page.text
        passed = browser.post(
            "/dev/pass-deadline",
            data={"cafe_id": str(canteen["id"])},
            headers={"Accept": "application/json"},
        )
        assert passed.status_code == 200
        assert passed.json()["result"]["produced"] >= 1

        # Then the cafe's chat got the day's orders, shown on the dev page
        for _ in range(100):
            messages = browser.get("/dev/cafe-messages.json").json()
            if messages:
                break
            system.stop.wait(0.1)
        [message] = messages
        # The cafe's chat is a manager's business: employees' answers leave it out
        assert "tg_chat_id" not in canteen
        manager_init = browser.post("/api/v1/dev/sign-in", json={"tgid": 100001}).json()
        manager = browser.post("/api/v1/auth/telegram", json=manager_init).json()
        as_manager = {"Authorization": f"Bearer {manager['access_token']}"}
        linked = browser.get(f"/api/v1/cafes/{canteen['id']}", headers=as_manager).json()
        assert message["chat_id"] == linked["tg_chat_id"]
        assert "Иван Петров" in message["plain_text"]
        assert "Винегрет (салат)" in message["plain_text"]
        assert "Без лука" in message["plain_text"]
        assert "Итого: 1 заказ, 350 ₽" in message["plain_text"]
        assert "Иван Петров" in browser.get("/dev/cafe-messages").text


def test_the_dev_page_is_not_part_of_the_deployed_api(local_system: LocalSystem) -> None:
    from functions.api.app import create_app
    from functions.api.deps import AppContext
    from shared.kit.db import create_engine, create_sessionmaker

    settings = local_system.settings.model_copy(update={"dev_login_enabled": False})
    deployed = create_app(
        AppContext(
            settings=settings,
            sessions=create_sessionmaker(create_engine(settings)),
            clock=local_system.clock,
        )
    )
    paths = {getattr(route, "path", "") for route in deployed.routes}
    assert not any(path.startswith("/dev") for path in paths)


def test_a_link_decision_in_the_app_reaches_the_cafe_chat(local_system: LocalSystem) -> None:
    with TestClient(create_local_app(local_system)) as browser:
        # Given the demo manager signed in and a new cafe whose chat asked to be linked
        init_data = browser.post("/api/v1/dev/sign-in", json={"tgid": 100001}).json()
        token = browser.post("/api/v1/auth/telegram", json=init_data).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        created = browser.post("/api/v1/cafes", headers=auth, json={"name": "Кафе Восток"})
        assert created.status_code == 201, created.text
        request_id = chat_asks_to_link(local_system, created.json()["id"], -1009876543210)

        # When the manager approves it in the Mini App (the API served by the Lambda handler)
        approved = browser.post(f"/api/v1/cafe-requests/{request_id}/approve", headers=auth)
        assert approved.status_code == 200, approved.text

        # Then the cafe's chat is told, and the dev page shows it
        messages = browser.get("/dev/cafe-messages.json").json()
        told = [m["plain_text"] for m in messages if m["chat_id"] == -1009876543210]
        assert told, messages
        assert "Чат привязан к кафе «Кафе Восток»" in told[0]


def chat_asks_to_link(system: LocalSystem, cafe_id: int, chat_id: int) -> int:
    """The chat asks the bot to be linked (the one place a chat is proven): the same domain
    function the bot calls, on a loop and engine of its own; the waiting request's id."""

    async def ask() -> int:
        engine = create_engine(system.settings)
        try:
            async with unit_of_work(create_sessionmaker(engine)) as session:
                request = await links.request_link(
                    session, cafe_id, chat_id, None, now=system.clock.now()
                )
        finally:
            await engine.dispose()
        return request.id

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, ask()).result()
