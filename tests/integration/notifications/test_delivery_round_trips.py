"""How many times one cafe's delivery talks to PostgreSQL, on the production engine's settings.

Every statement, BEGIN and COMMIT is a round trip; 500 cafes close at the same minute, and the
consumers' loops also carry the sends, so the count is pinned and cannot creep back.
"""

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings
from shared.models import DeliveryState
from shared.notifications.delivery import OrdersAhead, deliver_cafe_orders
from tests.factories import CafeMenu, make_cafe, make_user
from tests.integration.api.test_round_trips import RoundTrips
from tests.integration.notifications.stories import (
    AFTER_DEADLINE,
    TUESDAY,
    delivery,
    make_combo_order,
)


class Chats:
    """Stands in for Telegram: accepts every message and numbers it."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def __call__(self, chat_id: int, text: str, reply_markup: object = None) -> int:
        self.sent.append((chat_id, text))
        return len(self.sent)


@pytest.fixture
async def engine(settings_factory: Callable[..., Settings]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings_factory())
    yield engine
    await engine.dispose()


def cafes_with_an_order_each(db: Session, count: int) -> list[CafeMenu]:
    """`count` cafes, each with one employee's combo order for Tuesday."""
    cafes = [make_cafe(db, f"Кафе {n}", chat_id=-1002000000000 - n) for n in range(count)]
    for n, menu in enumerate(cafes):
        make_combo_order(db, make_user(db, 1001 + n, f"Сотрудник {n}"), menu, TUESDAY)
    db.commit()
    return cafes


async def test_a_delivery_takes_one_connection_and_few_round_trips(
    db: Session, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    cafes = cafes_with_an_order_each(db, 2)
    sessions = create_sessionmaker(engine)
    chats = Chats()
    now = AFTER_DEADLINE.now()
    trips = RoundTrips(engine, monkeypatch)
    # The first delivery opens the pooled connection; the second is the steady state.
    await deliver_cafe_orders(sessions, chats, cafes[0].cafe.id, TUESDAY, now=now, max_attempts=5)
    trips.clear()
    checkouts: list[object] = []
    event.listen(engine.sync_engine.pool, "checkout", lambda *args: checkouts.append(args[0]))

    outcome = await deliver_cafe_orders(
        sessions, chats, cafes[1].cafe.id, TUESDAY, now=now, max_attempts=5
    )

    assert outcome.state == DeliveryState.DELIVERED
    assert [chat for chat, _ in chats.sent] == [-1002000000000, -1002000000001]
    assert delivery(db, cafes[1].cafe.id).message_ids == [2]
    # Claim and read (the lock, the row, the cafe, its orders with their lines and labels),
    # then the result with the lock released: two transactions on one connection.
    assert len(trips.sent) <= 13, "\n".join(trips.sent)
    assert trips.sent.count("COMMIT") == 2, trips.sent
    assert len(checkouts) == 1
    assert trips.sent[0].startswith("SELECT pg_advisory_lock"), trips.sent
    assert trips.sent[-2].startswith("SELECT pg_advisory_unlock"), trips.sent
    assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # No advisory lock is left behind on the pooled connection.
    assert db.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) == 0


async def test_a_batch_reads_its_orders_once_and_each_delivery_only_claims_and_records(
    db: Session, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    cafes = cafes_with_an_order_each(db, 4)
    sessions = create_sessionmaker(engine)
    chats = Chats()
    now = AFTER_DEADLINE.now()
    trips = RoundTrips(engine, monkeypatch)
    await deliver_cafe_orders(sessions, chats, cafes[0].cafe.id, TUESDAY, now=now, max_attempts=5)
    trips.clear()

    # The other three cafes as one batch: their orders read together, then each delivered
    ahead = OrdersAhead(sessions, [(menu.cafe.id, TUESDAY) for menu in cafes[1:]])
    for menu in cafes[1:]:
        outcome = await deliver_cafe_orders(
            sessions,
            chats,
            menu.cafe.id,
            TUESDAY,
            now=now,
            max_attempts=5,
            read_ahead=ahead(menu.cafe.id, TUESDAY),
        )
        assert outcome.state == DeliveryState.DELIVERED

    assert [chat for chat, _ in chats.sent] == [-1002000000000 - n for n in range(4)]
    # each cafe's message names its own employee, read ahead with the others'
    assert all(f"<b>Сотрудник {n}</b>" in text for n, (_, text) in enumerate(chats.sent))
    # One read for the batch (cafes, orders, their lines, dish labels), then per delivery:
    # lock and claim, then the outcome with the lock released.
    reads = [sent for sent in trips.sent if sent.startswith("SELECT") and "advisory" not in sent]
    assert len(reads) == 5, "\n".join(reads)
    assert len(trips.sent) == 7 + 3 * 8, "\n".join(trips.sent)
    assert db.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) == 0
