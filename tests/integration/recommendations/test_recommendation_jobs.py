"""The nightly path through the real handlers: the 03:00 batch produces jobs to Kafka, the
consumer asks the fake Gemini through the key pool and caches advice in Redis for 24 hours."""

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis as sync_redis
from sqlalchemy.orm import Session

from functions.recommendations_batch.handler import build_handler as build_batch
from functions.recommendations_consumer.handler import build_handler as build_consumer
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import MenuItem, OrderStatus, Role, User
from shared.recommendations.keypool import key_hash
from tests.factories import CafeMenu, make_cafe, make_order, make_user
from tests.fakes.gemini import FakeGemini
from tests.harness.lunch import read_topic
from tests.integration.recommendations.conftest import KEY_A, KEY_B

MSK = ZoneInfo("Europe/Moscow")
BATCH_TIME = datetime(2026, 11, 24, 3, 0, tzinfo=MSK)
# Weekdays in the 30 days before the batch
WORKDAYS = [date(2026, 11, 2) + timedelta(days=d) for d in range(19) if (d % 7) < 5]


@pytest.fixture
def cache(pool_redis_url: str) -> Iterator[sync_redis.Redis]:
    client: sync_redis.Redis = sync_redis.Redis.from_url(pool_redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def regular_with_orders(db: Session, menu: CafeMenu, tgid: int, name: str, orders: int) -> None:
    user = make_user(db, tgid, name)
    for day in WORKDAYS[:orders]:
        make_order(db, user, menu, day, dishes=[(menu.borscht, 1)], extras=[(menu.mors, 2)])


def run_batch(settings: Settings, kafka_bootstrap: str, expect: int) -> list[Any]:
    batch = build_batch(settings, FixedClock(BATCH_TIME))
    result = batch(scheduler_event("recommendations", time=BATCH_TIME), lambda_context("batch"))
    assert result == {"jobs": expect}
    return read_topic(kafka_bootstrap, settings.kafka_topic_recommendations, expect=expect)


def failed_offsets(response: dict[str, Any]) -> list[str]:
    return [
        f"{item['itemIdentifier']['partition']}@{item['itemIdentifier']['offset']}"
        for item in response["batchItemFailures"]
    ]


def test_the_nightly_batch_caches_gemini_advice_for_each_active_user(
    db: Session,
    fake_gemini: FakeGemini,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
    pool_redis_url: str,
    cache: sync_redis.Redis,
) -> None:
    # Given Ivan ordered 6 times this month, Maria only 3 times, Oleg 6 times but he is blocked,
    # and Anna cancelled all her 6 orders
    menu = make_cafe(db)
    db.add(MenuItem(cafe_id=menu.cafe.id, name="Салат Греческий", category="salad", price=200))
    regular_with_orders(db, menu, 1001, "Иван Петров", 6)
    regular_with_orders(db, menu, 1002, "Мария Иванова", 3)
    regular_with_orders(db, menu, 1003, "Олег Блинов", 6)
    anna = make_user(db, 1004, "Анна Смирнова", role=Role.MANAGER)
    for day in WORKDAYS[:6]:
        make_order(db, anna, menu, day, status=OrderStatus.CANCELLED)
    db.get_one(User, 1003).is_active = False
    db.commit()
    settings = settings_factory(
        redis_url=pool_redis_url,
        gemini_api_keys=f"{KEY_A},{KEY_B}",
        gemini_api_base_url=fake_gemini.base_url,
    )

    # When the 03:00 schedule fires
    records = run_batch(settings, kafka_bootstrap, expect=1)

    # Then one job for Ivan is on the topic, keyed by his Telegram ID
    assert [record.key for record in records] == [b"1001"]
    assert json.loads(records[0].value)["tgid"] == 1001

    # When the consumer gets it
    consumer = build_consumer(settings, FixedClock(BATCH_TIME))
    response = consumer(msk_event_from_consumer_records(records), lambda_context("consumer"))

    # Then Ivan's advice is cached for 24 hours, written by Gemini and naming a dish he has not
    # tried yet from his cafe's menu
    assert failed_offsets(response) == []
    cached = json.loads(cache.get("recommendations:user:1001") or "{}")
    assert cached["source"] == "gemini"
    assert cached["tips"][0] == "Попробуйте Салат Греческий — он есть в меню вашего кафе."
    assert 86_000 < cache.ttl("recommendations:user:1001") <= 86_400
    prompt = fake_gemini.requests[0].prompt
    assert "Всего заказов: 6" in prompt
    assert "Не пробовали: Салат Греческий (салаты)" in prompt
    assert fake_gemini.requests[0].generation_config["responseMimeType"] == "application/json"
    assert fake_gemini.requests[0].key == KEY_A


def test_jobs_that_find_every_key_spent_are_retried_later_and_not_lost(
    db: Session,
    fake_gemini: FakeGemini,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
    pool_redis_url: str,
    cache: sync_redis.Redis,
) -> None:
    # Given three active users and one key allowed two requests a day
    menu = make_cafe(db)
    for tgid in (1001, 1002, 1003):
        regular_with_orders(db, menu, tgid, f"Сотрудник {tgid}", 5)
    db.commit()
    settings = settings_factory(
        redis_url=pool_redis_url,
        gemini_api_keys=KEY_A,
        gemini_max_requests_per_key=2,
        gemini_api_base_url=fake_gemini.base_url,
    )
    records = run_batch(settings, kafka_bootstrap, expect=3)
    clock = FixedClock(BATCH_TIME)
    consumer = build_consumer(settings, clock)

    # When the consumer gets the three jobs (together: which one finds the key spent is chance)
    response = consumer(msk_event_from_consumer_records(records), lambda_context("consumer"))

    # Then one job is reported as failed, so Lambda gives it back; meanwhile that user's
    # profile shows rule-based advice rather than nothing
    [failed] = failed_offsets(response)
    [third] = [r for r in records if f"{r.topic}-{r.partition}@{r.offset}" == failed]
    assert len(fake_gemini.requests) == 2
    tgid = json.loads(third.value)["tgid"]
    assert json.loads(cache.get(f"recommendations:user:{tgid}") or "{}")["source"] == "rules"
    done_before = {
        r.offset: cache.get(f"recommendations:user:{json.loads(r.value)['tgid']}")
        for r in records
        if r is not third
    }

    # When Google's quota day turns (midnight in Los Angeles) and Lambda retries from the first
    # record of the batch, jobs that were done included
    clock.set(datetime(2026, 11, 24, 8, 0, 5, tzinfo=UTC))
    retried = consumer(msk_event_from_consumer_records(records), lambda_context("consumer"))

    # Then the failed one succeeds and Gemini's advice replaces the rules, while the jobs already
    # done ask Gemini nothing and keep the advice they made
    assert failed_offsets(retried) == []
    assert json.loads(cache.get(f"recommendations:user:{tgid}") or "{}")["source"] == "gemini"
    assert len(fake_gemini.requests) == 3
    assert [request.key for request in fake_gemini.requests] == [KEY_A] * 3
    for record in records:
        if record is not third:
            tgid_done = json.loads(record.value)["tgid"]
            assert cache.get(f"recommendations:user:{tgid_done}") == done_before[record.offset]


def test_a_job_delivered_twice_asks_gemini_once(
    db: Session,
    fake_gemini: FakeGemini,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
    pool_redis_url: str,
    cache: sync_redis.Redis,
) -> None:
    # Given a job that was done
    menu = make_cafe(db)
    regular_with_orders(db, menu, 1001, "Иван Петров", 5)
    db.commit()
    settings = settings_factory(
        redis_url=pool_redis_url,
        gemini_api_keys=KEY_A,
        gemini_api_base_url=fake_gemini.base_url,
    )
    records = run_batch(settings, kafka_bootstrap, expect=1)
    consumer = build_consumer(settings, FixedClock(BATCH_TIME))
    event = msk_event_from_consumer_records(records)
    assert failed_offsets(consumer(event, lambda_context("consumer"))) == []
    advice = cache.get("recommendations:user:1001")

    # When Kafka delivers it again (twice in one batch, even)
    again = msk_event_from_consumer_records([*records, *records])
    assert failed_offsets(consumer(again, lambda_context("consumer"))) == []

    # Then Gemini was asked once, its key counted once, and the advice is the first one
    assert len(fake_gemini.requests) == 1
    assert cache.hgetall(f"gemini:usage:key:{key_hash(KEY_A)}")["count"] == "1"
    assert cache.get("recommendations:user:1001") == advice

    # and a new night's batch (another job) asks again
    later = build_batch(settings, FixedClock(BATCH_TIME + timedelta(days=1)))
    later(scheduler_event("recommendations", time=BATCH_TIME), lambda_context("batch"))
    tomorrow = read_topic(kafka_bootstrap, settings.kafka_topic_recommendations, expect=2)[-1:]
    assert json.loads(tomorrow[0].value)["timestamp"] != json.loads(records[0].value)["timestamp"]
    consumer(msk_event_from_consumer_records(tomorrow), lambda_context("consumer"))
    assert len(fake_gemini.requests) == 2


def test_without_keys_the_consumer_caches_rule_based_advice(
    db: Session,
    fake_gemini: FakeGemini,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
    pool_redis_url: str,
    cache: sync_redis.Redis,
) -> None:
    menu = make_cafe(db)
    regular_with_orders(db, menu, 1001, "Иван Петров", 5)
    db.commit()
    settings = settings_factory(redis_url=pool_redis_url, gemini_api_keys="")
    records = run_batch(settings, kafka_bootstrap, expect=1)

    response = build_consumer(settings, FixedClock(BATCH_TIME))(
        msk_event_from_consumer_records(records), lambda_context("consumer")
    )

    assert failed_offsets(response) == []
    cached = json.loads(cache.get("recommendations:user:1001") or "{}")
    assert cached["source"] == "rules"
    assert cached["summary"].startswith("За 30 дней 5 заказов")
    assert fake_gemini.requests == []
