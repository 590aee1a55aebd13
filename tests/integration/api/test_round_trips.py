"""How many times a request talks to PostgreSQL, counted on the production engine's settings.

Every statement, BEGIN and COMMIT is a round trip; the counts are pinned so they cannot creep back.
"""

import weakref
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit.clock import FixedClock
from shared.kit.db import create_engine, create_sessionmaker, ping_after_idle
from shared.kit.settings import Settings
from shared.models import Role, User
from tests.factories import full_order, make_cafe, make_user

Auth = Callable[[User], dict[str, str]]


class RoundTrips:
    """What the engine's connections send: statements as text, and BEGIN, COMMIT and ROLLBACK
    as the driver sends them (an autocommit connection sends none, whatever SQLAlchemy logs)."""

    def __init__(self, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[str] = []
        sync = engine.sync_engine
        event.listen(sync, "before_cursor_execute", self._statement)
        ours: weakref.WeakSet[Any] = weakref.WeakSet()

        def connected(_dbapi_connection: Any, record: Any) -> None:
            ours.add(record.driver_connection)

        event.listen(sync, "connect", connected)
        # psycopg sends its transaction commands through one method; count those it sends for
        # this engine's connections.
        exec_command = psycopg.BaseConnection._exec_command

        def counted_command(connection: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
            if connection in ours:
                self.sent.append(command.decode() if isinstance(command, bytes) else str(command))
            return exec_command(connection, command, *args, **kwargs)

        monkeypatch.setattr(psycopg.BaseConnection, "_exec_command", counted_command)
        # A ping on checkout is a round trip too (pool_pre_ping, or the idle check).
        ping = sync.dialect.do_ping

        def counted_ping(dbapi_connection: Any) -> bool:
            self.sent.append("PING")
            return ping(dbapi_connection)

        monkeypatch.setattr(sync.dialect, "do_ping", counted_ping)

    def _statement(self, *args: Any) -> None:
        self.sent.append(" ".join(str(args[2]).split()))

    def clear(self) -> None:
        self.sent.clear()


@pytest.fixture
async def engine(api_settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(api_settings)
    yield engine
    await engine.dispose()


@pytest.fixture
async def live(
    engine: AsyncEngine, api_settings: Settings, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, RoundTrips]]:
    """The app on a production-like engine (committing for real), with its round trips counted."""
    context = AppContext(settings=api_settings, sessions=create_sessionmaker(engine), clock=clock)
    app = create_app(context)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
        yield client, RoundTrips(engine, monkeypatch)
    redis = getattr(app.state, "redis", None)  # made by the first route that used Redis
    if redis is not None:
        await redis.aclose()


async def test_placing_an_order_takes_at_most_five_round_trips(
    db: Session, live: tuple[httpx.AsyncClient, RoundTrips], auth: Auth
) -> None:
    client, trips = live
    menu = make_cafe(db)
    users = [
        make_user(db, 1001 + n, f"Сотрудник {n}", weekly_limit=Decimal(5000)) for n in range(2)
    ]
    db.commit()
    # The first request opens the pooled connection; the second is the steady state.
    warm = await client.post("/orders", json=full_order(menu), headers=auth(users[0]))
    assert warm.status_code == 201, warm.text
    trips.clear()

    response = await client.post("/orders", json=full_order(menu), headers=auth(users[1]))

    assert response.status_code == 201, response.text
    assert response.json()["total_price"] == 450 + 180 + 2 * 60
    assert len(trips.sent) <= 5, "\n".join(trips.sent)
    # (The driver sends BEGIN just before the first statement, so it is listed after it.)
    assert "BEGIN" in trips.sent, trips.sent
    assert trips.sent[-1] == "COMMIT", trips.sent


async def test_reading_orders_sends_no_transaction_and_reads_the_user_once(
    db: Session, live: tuple[httpx.AsyncClient, RoundTrips], auth: Auth
) -> None:
    """An authenticated GET: the user once, the orders once; no BEGIN, COMMIT or ping."""
    client, trips = live
    menu = make_cafe(db)
    ivan = make_user(db, 1001, "Иван Петров", weekly_limit=Decimal(5000))
    db.commit()
    placed = await client.post("/orders", json=full_order(menu), headers=auth(ivan))
    assert placed.status_code == 201, placed.text
    trips.clear()

    listed = await client.get("/orders", headers=auth(ivan))
    list_trips = list(trips.sent)
    trips.clear()
    one = await client.get(f"/orders/{placed.json()['id']}", headers=auth(ivan))

    assert listed.status_code == one.status_code == 200
    assert listed.json() == {"items": [placed.json()], "total": 1}
    assert one.json() == placed.json()
    for sent in (list_trips, trips.sent):
        assert len(sent) == 2, "\n".join(sent)  # no BEGIN, COMMIT or PING among them
        assert sent[0].startswith("SELECT users."), "\n".join(sent)
        assert "FROM orders" in sent[1], "\n".join(sent)
    # Not because a transaction was left open on the pooled connection: none is.
    left_open = db.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
        )
    )
    assert left_open == 0


# Every other GET that only reads, with the statements it may send (None: not pinned). Each runs
# on the read session: were it moved back to the unit of work, BEGIN and COMMIT would be sent.
READ_ROUTES: list[tuple[str, int | None]] = [
    # The signed-in manager, the cafe, then the figures and the page in one statement (so one
    # snapshot: the totals cover exactly the orders the page is cut from).
    ("/summaries/report?cafe_id={cafe}&date=2026-11-24", 3),
    ("/summaries/report?cafe_id={cafe}&date=2026-11-24&format=csv", 3),
    ("{export}", 3),  # the manager who signed the link, the cafe, the report
    ("/summaries", None),
    ("/summaries/{summary}", None),
    ("/users/{ivan}/recommendations", None),
    ("/users/{ivan}/favourite-dishes", 2),
    ("/users/{ivan}/reminders", 2),
    ("/cafe-requests", None),
    ("/cafes/{cafe}/bot-link", 2),
    ("/reminders/settings", 2),
    ("/reminders/not-ordered?date=2026-11-24", 2),
]


@pytest.mark.parametrize(("path", "statements"), READ_ROUTES)
async def test_a_read_only_get_sends_no_transaction(
    db: Session,
    live: tuple[httpx.AsyncClient, RoundTrips],
    auth: Auth,
    path: str,
    statements: int | None,
) -> None:
    """Reports, summaries, recommendations, favourites, reminders, link requests, bot links."""
    client, trips = live
    menu = make_cafe(db)
    ivan = make_user(db, 1001, "Иван Петров", weekly_limit=Decimal(5000))
    olga = make_user(db, 1002, "Ольга Смирнова", role=Role.MANAGER)
    db.commit()
    placed = await client.post("/orders", json=full_order(menu), headers=auth(ivan))
    assert placed.status_code == 201, placed.text
    summary = await client.post(
        "/summaries", json={"cafe_id": menu.cafe.id, "date": "2026-11-24"}, headers=auth(olga)
    )
    link = await client.post(
        f"/reports/export-link?cafe_id={menu.cafe.id}&date=2026-11-24", headers=auth(olga)
    )
    assert summary.status_code == 201, summary.text
    assert link.status_code == 200, link.text
    url = path.format(
        cafe=menu.cafe.id,
        ivan=ivan.tgid,
        summary=summary.json()["id"],
        export=link.json()["url"].removeprefix("http://test/api/v1"),
    )
    viewer = ivan if "/users/" in url else olga
    trips.clear()

    answer = await client.get(url, headers=auth(viewer))

    assert answer.status_code == 200, answer.text
    transaction = [sent for sent in trips.sent if sent.split()[0] in {"BEGIN", "COMMIT", "PING"}]
    assert transaction == [], "\n".join(trips.sent)
    assert trips.sent, "the route read nothing from PostgreSQL"
    if statements is not None:
        assert len(trips.sent) == statements, "\n".join(trips.sent)
    if "summaries/report" in url and "csv" not in url:
        # The figures still cover every order while the page holds the lines.
        report = answer.json()
        assert (report["total_orders"], report["people_total"], len(report["people"])) == (1, 1, 1)
        assert report["total_amount"] == placed.json()["total_price"]


async def test_a_write_after_a_read_on_the_same_connection_is_a_transaction_again(
    db: Session, live: tuple[httpx.AsyncClient, RoundTrips], auth: Auth
) -> None:
    """The pooled connection a read used in autocommit is back in transactions for a write."""
    client, trips = live
    menu = make_cafe(db)
    ivan, olga = make_user(db, 1001, "Иван Петров"), make_user(db, 1002, "Ольга Смирнова")
    db.commit()
    assert (await client.get("/orders", headers=auth(ivan))).status_code == 200
    trips.clear()

    placed = await client.post("/orders", json=full_order(menu), headers=auth(olga))

    assert placed.status_code == 201, placed.text
    # Back from autocommit, the connection states its isolation level when it begins.
    assert any(sent.startswith("BEGIN") for sent in trips.sent), trips.sent
    assert trips.sent[-1] == "COMMIT", trips.sent


async def test_a_connection_dropped_while_idle_is_replaced_before_use(
    db: Session, api_settings: Settings
) -> None:
    """No ping per checkout, yet a connection the server closed while idle is never handed out."""
    engine = create_async_engine(api_settings.database_url, pool_size=1, max_overflow=0)
    ping_after_idle(engine, 0.0)
    try:
        async with engine.connect() as connection:
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        db.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.commit()

        async with engine.connect() as connection:
            again = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    finally:
        await engine.dispose()

    assert again != pid
