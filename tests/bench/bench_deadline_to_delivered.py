"""Deadline to delivered for 500 cafes, against a fake Telegram that enforces its real limits.

500 cafes close at the same minute, each with one order and its own group chat. The clock
starts when `deadline_check` fires; it stops when the fake Telegram accepts the last message.
The deadlines topic has three partitions, so three consumer Lambdas (here: three processes,
each with its own event loop, database pool and Redis client, as three containers would) take
the records in ESM-sized batches and share Telegram's budget through Redis. Telegram's 30
messages a second overall sets the floor: 500 / 30 = 16.7 s. In production the schedule adds up
to a minute before the check fires; that wait is not part of this figure.
"""

import json
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from multiprocessing import get_context
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from functions.deadline_check.handler import build_handler as build_deadline_check
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = date(2026, 11, 24)
AFTER_DEADLINE = datetime(2026, 11, 24, 11, 0, 30, tzinfo=MSK)
CAFES = 500
CONSUMERS = 3  # one per partition of the deadlines topic
ESM_BATCH = 100
TELEGRAM_PER_SECOND = 30

# One consumer "container" per worker process, built once and reused across batches.
_consumer: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None


def _warm_up(settings: Settings) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    global _consumer
    if _consumer is None:
        from functions.notifications_consumer.handler import build_handler

        _consumer = build_handler(settings, FixedClock(AFTER_DEADLINE))
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
        while failures := consumer(event, lambda_context("notifications_consumer"))[
            "batchItemFailures"
        ]:
            retries += len(failures)
    return retries


def test_deadline_to_delivered_for_500_cafes(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    for n in range(CAFES):
        menu = make_cafe(db, f"Кафе {n:03d}", chat_id=-1002000000000 - n)
        make_combo_order(db, make_user(db, 100_000 + n, f"Сотрудник {n:03d}"), menu, TUESDAY)
    db.commit()
    fake_telegram.enforce_rate_limits(per_second=TELEGRAM_PER_SECOND)
    settings = settings_factory(fake_telegram)
    deadline_check = build_deadline_check(settings, FixedClock(AFTER_DEADLINE))

    with ProcessPoolExecutor(CONSUMERS, mp_context=get_context("spawn")) as pool:
        # Warm containers: cold starts are measured elsewhere.
        for warm in [pool.submit(_warm, settings) for _ in range(CONSUMERS)]:
            warm.result()

        started = time.monotonic()
        run = deadline_check(
            scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check")
        )
        announced = time.monotonic()
        records = read_topic(
            settings.kafka_bootstrap_servers, settings.kafka_topic_deadlines, expect=CAFES
        )
        by_partition: dict[int, list[Any]] = defaultdict(list)
        for record in records:
            by_partition[record.partition].append(record)
        batches = {
            partition: [
                msk_event_from_consumer_records(rows[i : i + ESM_BATCH])
                for i in range(0, len(rows), ESM_BATCH)
            ]
            for partition, rows in by_partition.items()
        }
        retries = sum(
            job.result()
            for job in [pool.submit(_consume_partition, settings, b) for b in batches.values()]
        )

    sent = fake_telegram.sent_messages()
    delivered = max(message.at for message in sent) - started
    refused = [r for r in fake_telegram.requests("sendMessage") if r.status == 429]
    times = sorted(message.at for message in sent)
    peak = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    floor = CAFES / TELEGRAM_PER_SECOND
    cafes_in_message = {json.loads(r.value)["cafe_id"] for r in records}

    print()
    print(f"deadline → delivered, {CAFES} cafes, {len(batches)} partitions/consumers")
    print(f"  announced (deadline_check)            {announced - started:>7.2f} s")
    print(f"  last message accepted by Telegram     {delivered:>7.2f} s")
    print(f"  floor set by {TELEGRAM_PER_SECOND} messages/s               {floor:>7.2f} s")
    print(f"  overhead above the floor              {delivered / floor - 1:>7.1%}")
    print(f"  peak messages in any 1 s window       {peak:>7d}")
    print(f"  429 answers from Telegram             {len(refused):>7d}")
    print(f"  records retried by the ESM            {retries:>7d}")
    print(f"BENCH deadline_to_delivered ratio_to_floor={delivered / floor:.2f}")

    assert run == {"recorded": CAFES, "produced": CAFES}
    assert len(cafes_in_message) == CAFES
    assert len(sent) == CAFES
    assert len({message.chat_id for message in sent}) == CAFES
