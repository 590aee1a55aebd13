"""The nightly recommendation batch for 1,000 users against a fake Gemini with per-key limits.

1,000 employees each ordered five times this month. The clock starts when the 03:00
`recommendations_batch` fires; it stops when the consumers have cached advice for everyone.
The recommendations topic has three partitions, so three consumer Lambdas (three processes,
each with its own event loop, database pool, Redis client and key pool, as three containers
would) take the records in ESM-sized batches and share the keys through Redis.

The fake Gemini lets each key serve 5 requests in any second (Google's free tier is far
stricter; the shape is what matters) and answers 429 with a RetryInfo beyond that. Six keys
of 195 requests a day: the pool's theoretical maximum is 6 x 5 = 30 requests a second, and
1,170 a day. The figure to read is the measured throughput next to that maximum.
"""

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
import redis as sync_redis
from sqlalchemy.orm import Session

from functions.recommendations_batch.handler import build_handler as build_batch
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import ItemKind, Order, OrderItem, User
from tests.factories import CafeMenu, make_cafe
from tests.fakes.gemini import FakeGemini
from tests.harness.lunch import read_topic

MSK = ZoneInfo("Europe/Moscow")
BATCH_TIME = datetime(2026, 11, 24, 3, 0, tzinfo=MSK)
USERS = 1_000
ORDERS_PER_USER = 5
KEYS = [f"AIzaSyBench-key-from-project-{n:02d}-000000000000" for n in range(6)]
LIMIT_PER_KEY = 195
PER_KEY_PER_SECOND = 5
CONSUMERS = 3  # one per partition of the recommendations topic
ESM_BATCH = 100
BENCH_REDIS_DB = 10

_consumer: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None


def _warm_up(settings: Settings) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    global _consumer
    if _consumer is None:
        from functions.recommendations_consumer.handler import build_handler

        _consumer = build_handler(settings, FixedClock(BATCH_TIME))
        time.sleep(0.5)  # let the pool hand the other warm-ups to the other workers
    return _consumer


def _warm(settings: Settings) -> int:
    _warm_up(settings)
    return 0


def _consume_partition(settings: Settings, events: list[dict[str, Any]]) -> int:
    """Invoke the consumer with each batch, handing back failed records as the ESM would."""
    consumer = _warm_up(settings)
    retries = 0
    for event in events:
        while failures := consumer(event, lambda_context("recommendations_consumer"))[
            "batchItemFailures"
        ]:
            retries += len(failures)
            # Kafka's ESM resumes each partition at its first failed record.
            resume: dict[int, int] = {}
            for failure in failures:
                where = failure["itemIdentifier"]
                # Powertools names the partition "<topic>-<n>".
                partition = int(str(where["partition"]).rsplit("-", 1)[-1])
                resume[partition] = min(where["offset"], resume.get(partition, where["offset"]))
            event = {
                **event,
                "records": {
                    name: kept
                    for name, records in event["records"].items()
                    if (
                        kept := [
                            r
                            for r in records
                            if r["partition"] in resume and r["offset"] >= resume[r["partition"]]
                        ]
                    )
                },
            }
    return retries


def _most_in_any_second(arrivals: list[float]) -> int:
    ordered = sorted(arrivals)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def _combo_order(user: User, menu: CafeMenu, day: date) -> Order:
    picks = (menu.salad, menu.soup, menu.main)
    return Order(
        user_tgid=user.tgid,
        cafe_id=menu.cafe.id,
        order_date=day,
        combo_id=menu.full_combo.id,
        combo_name=menu.full_combo.name,
        combo_price=menu.full_combo.price,
        total_price=menu.full_combo.price,
        items=[
            OrderItem(
                position=n,
                kind=ItemKind.COMBO,
                category=dish.category,
                menu_item_id=dish.id,
                menu_item_name=dish.name,
            )
            for n, dish in enumerate(picks)
        ],
    )


@pytest.fixture
def bench_redis_url(redis_url: str) -> Iterator[str]:
    url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{BENCH_REDIS_DB}"))
    client = sync_redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.close()


def test_recommendation_batch_for_1000_users(
    db: Session,
    fake_gemini: FakeGemini,
    settings_factory: Callable[..., Settings],
    bench_redis_url: str,
) -> None:
    menus = [make_cafe(db, f"Кафе {n}") for n in range(3)]
    days = [date(2026, 11, 16) + timedelta(days=d) for d in range(ORDERS_PER_USER)]
    users = [User(tgid=200_000 + n, name=f"Сотрудник {n:04d}") for n in range(USERS)]
    db.add_all(users)
    db.flush()
    for n, user in enumerate(users):
        db.add_all(_combo_order(user, menus[n % len(menus)], day) for day in days)
    db.commit()
    fake_gemini.rate_limit(PER_KEY_PER_SECOND)
    # Optional: requests reach the fake up to this many seconds after they leave (a slow,
    # uneven network); the pool must still keep every key's window at the fake within limit.
    fake_gemini.delay_arrival(float(os.environ.get("BENCH_GEMINI_TRANSIT_SECONDS", "0")))
    settings = settings_factory(
        redis_url=bench_redis_url,
        gemini_api_keys=",".join(KEYS),
        gemini_max_requests_per_key=LIMIT_PER_KEY,
        gemini_api_base_url=fake_gemini.base_url,
        gemini_timeout_seconds=10,
        # The pool paces each key at the fake's rate (with the default margin).
        gemini_key_rate_limit=PER_KEY_PER_SECOND,
        gemini_key_rate_window_seconds=1.0,
    )
    batch = build_batch(settings, FixedClock(BATCH_TIME))

    with ProcessPoolExecutor(CONSUMERS, mp_context=get_context("spawn")) as pool:
        for warm in [pool.submit(_warm, settings) for _ in range(CONSUMERS)]:
            warm.result()

        started = time.monotonic()
        run = batch(scheduler_event("recommendations", time=BATCH_TIME), lambda_context("batch"))
        produced = time.monotonic()
        records = read_topic(
            settings.kafka_bootstrap_servers, settings.kafka_topic_recommendations, expect=USERS
        )
        by_partition: dict[int, list[Any]] = defaultdict(list)
        for record in records:
            by_partition[record.partition].append(record)
        batches = [
            [
                msk_event_from_consumer_records(rows[i : i + ESM_BATCH])
                for i in range(0, len(rows), ESM_BATCH)
            ]
            for rows in by_partition.values()
        ]
        consuming = time.monotonic()
        retries = sum(
            job.result() for job in [pool.submit(_consume_partition, settings, b) for b in batches]
        )
        finished = time.monotonic()

    cache = sync_redis.Redis.from_url(bench_redis_url, decode_responses=True)
    cached = sum(1 for _ in cache.scan_iter("recommendations:user:*", count=1000))
    served = fake_gemini.served_by_key()
    statuses = [status for _, status in fake_gemini.statuses()]
    theoretical = len(KEYS) * PER_KEY_PER_SECOND
    wall = finished - started
    throughput = USERS / wall
    consumer_throughput = USERS / (finished - consuming)

    print()
    print(f"recommendation batch, {USERS} users, {len(batches)} partitions/consumers")
    print(f"  time in transit to Gemini, up to      {fake_gemini.transit:>8.2f} s")
    print(f"  jobs produced (recommendations_batch) {produced - started:>8.2f} s")
    print(f"  all advice cached                     {wall:>8.2f} s")
    print(f"  throughput, batch start to last job   {throughput:>8.1f} jobs/s")
    print(f"  throughput of the consumers alone     {consumer_throughput:>8.1f} jobs/s")
    print(
        f"  pool's theoretical maximum            {theoretical:>8d} req/s "
        f"({len(KEYS)} keys x {PER_KEY_PER_SECOND}/s)"
    )
    print(f"  consumers' share of that maximum      {consumer_throughput / theoretical:>8.1%}")
    print(f"  daily capacity of the pool            {len(KEYS) * LIMIT_PER_KEY:>8d} requests")
    print(
        f"  requests answered / 429 / other       {statuses.count(200):>5d} / "
        f"{statuses.count(429)} / {len(statuses) - statuses.count(200) - statuses.count(429)}"
    )
    print(
        f"  most requests served by one key       {max(served.values()):>8d} "
        f"(limit {LIMIT_PER_KEY})"
    )
    print(f"  records retried by the ESM            {retries:>8d}")
    first_request = min((r.at for r in fake_gemini.requests), default=0.0)
    refused_at = [r.at - first_request for r in fake_gemini.requests if r.status == 429]
    if refused_at:
        print(
            f"  429s between                          {min(refused_at):>8.2f} s and "
            f"{max(refused_at):.2f} s after the first request"
        )
    # Measured where Google would count them: when each request arrived at the fake.
    crowded = max(
        _most_in_any_second(
            [r.at for r in fake_gemini.requests if r.key == key and r.status == 200]
        )
        for key in KEYS
    )
    print(f"  most counted on one key in any second {crowded:>8d} (limit {PER_KEY_PER_SECOND})")
    # A call over a key's limit: one the fake refused with 429 (over the per-second rate), or
    # one beyond a key's daily quota.
    over_limit = (
        statuses.count(429)
        + sum(max(0, n - LIMIT_PER_KEY) for n in served.values())
        + max(0, crowded - PER_KEY_PER_SECOND)
    )
    utilisation = consumer_throughput / theoretical
    print(f"BENCH recommendations pool_utilisation={utilisation:.2f} over_limit={over_limit}")

    assert run == {"jobs": USERS}
    assert cached == USERS
    assert max(served.values()) <= LIMIT_PER_KEY
    assert sum(served.values()) == USERS
