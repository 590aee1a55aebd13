"""SnapStart's runtime hooks, run as Lambda runs them, against the real PostgreSQL, Redis, Kafka
and a Telegram speaking its protocol: before the snapshot every connection a function holds is
closed, after a restore the function works again and draws different random numbers."""

import random
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from redis import Redis

from functions.api.handler import build_handler
from functions.api.middleware import RateLimits
from infra.local.events import api_gateway_v2_http, lambda_context
from infra.local.fakes.telegram import FakeTelegram
from shared.kit import runtime, snapstart
from shared.kit.clock import FixedClock
from shared.kit.db import create_engine
from shared.kit.kafka import EventProducer
from shared.kit.redis import create_redis
from shared.kit.settings import Settings
from shared.kit.telegram import create_bot
from tests.harness.api import DEFAULT_NOW

NAME = "lunch-snapstart-test"


@pytest.fixture
def hooks() -> Iterator[snapstart.Hooks]:
    """A registry like the one Lambda's runtime runs (snapstart.HOOKS); run once more at the
    end, so a test that fails half-way leaves no connection for the next one to count."""
    registry = snapstart.new_hooks()
    yield registry
    registry.before_snapshot()


@pytest.fixture
def named_settings(settings_factory: Callable[..., Settings]) -> Callable[..., Settings]:
    """Settings whose PostgreSQL and Redis connections carry a name we can count."""

    def make(**overrides: Any) -> Settings:
        base = settings_factory(**overrides)
        return base.model_copy(
            update={
                "database_url": f"{base.database_url}?application_name={NAME}",
                "redis_url": f"{base.redis_url}?client_name={NAME}",
            }
        )

    return make


@pytest.fixture
def count_connections(database_url: str, redis_url: str) -> Iterator[Callable[[], tuple[int, int]]]:
    """(PostgreSQL backends, Redis clients) opened under NAME, as the servers see them."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as pg, Redis.from_url(redis_url) as redis:

        def count() -> tuple[int, int]:
            (backends,) = pg.execute(
                "select count(*) from pg_stat_activity where application_name = %s", (NAME,)
            ).fetchone() or (0,)
            clients = [c for c in redis.client_list() if c.get("name") == NAME]
            return int(backends), len(clients)

        yield count


def restored_draws(hooks: snapstart.Hooks) -> list[float]:
    """The first draw of two containers restored from one snapshot (one random state)."""
    random.seed(20261130)  # as if seeded during init: the state every restore starts from
    snapshot = random.getstate()
    draws = []
    for _container in range(2):
        random.setstate(snapshot)
        hooks.after_restore()
        draws.append(random.random())
    return draws


def test_the_api_closes_its_pools_before_the_snapshot_and_works_after_a_restore(
    hooks: snapstart.Hooks,
    named_settings: Callable[..., Settings],
    count_connections: Callable[[], tuple[int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The rate limits skip Redis when it does not answer within half a second; a busy test
    # machine's first connection can take longer, and this test needs that connection open.
    monkeypatch.setattr(RateLimits, "CHECK_TIMEOUT_SECONDS", 10.0)
    # Given the api handler that served a request needing PostgreSQL (and Redis, rate limits)
    handler = build_handler(named_settings(), FixedClock(DEFAULT_NOW), hooks=hooks)
    event = api_gateway_v2_http("GET", "/api/v1/health/db")
    first = handler(event, lambda_context("api"))
    assert first["statusCode"] == 200, first["body"]
    backends, clients = count_connections()
    assert backends >= 1
    assert clients >= 1

    # When Lambda takes the snapshot
    hooks.before_snapshot()

    # Then no connection is left open for the snapshot to carry
    assert count_connections() == (0, 0)

    # And two restored containers draw different numbers, and the function works again
    first_draw, second_draw = restored_draws(hooks)
    assert first_draw != second_draw
    again = handler(event, lambda_context("api"))
    assert again["statusCode"] == 200, again["body"]
    assert count_connections()[0] >= 1
    hooks.before_snapshot()  # leaves nothing open for the next test to count


def test_without_the_reseed_restored_containers_would_repeat_each_other() -> None:
    # The control for the test above: the registry minus reseed repeats the snapshot's draws.
    first_draw, second_draw = restored_draws(snapstart.Hooks())
    assert first_draw == second_draw


def test_the_consumers_clients_release_their_connections_and_reconnect(
    hooks: snapstart.Hooks,
    named_settings: Callable[..., Settings],
    count_connections: Callable[[], tuple[int, int]],
    fake_telegram: FakeTelegram,
) -> None:
    # Given the clients a consumer holds, each having talked to its server
    settings = named_settings(telegram=fake_telegram)
    engine, redis = create_engine(settings), create_redis(settings)
    producer, bot = EventProducer(settings), create_bot(settings)
    snapstart.release_before_snapshot(hooks, engine=engine, redis=redis, producer=producer, bot=bot)

    async def use_all() -> str | None:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("select 1")
        await redis.ping()
        await producer.send(settings.kafka_topic_deadlines, "1", {"type": "snapstart.test"})
        me = await bot.get_me()
        return me.username

    assert runtime.run(use_all())
    assert count_connections() == (1, 1)
    http_pool = bot.request._client  # type: ignore[attr-defined]  # python-telegram-bot's pool

    # When Lambda takes the snapshot
    hooks.before_snapshot()

    # Then PostgreSQL and Redis see no connection, Kafka's producer is stopped and the bot's
    # HTTP pool is closed (a new, empty one in its place)
    assert count_connections() == (0, 0)
    assert producer._producer is None
    assert http_pool.is_closed
    # And after a restore every client connects again on its own
    hooks.after_restore()
    assert runtime.run(use_all())
    assert count_connections() == (1, 1)
    runtime.run(producer.close())
    runtime.run(engine.dispose())
    runtime.run(redis.aclose())
