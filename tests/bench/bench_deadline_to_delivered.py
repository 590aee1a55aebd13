"""Deadline to delivered for 500 cafes, against a fake Telegram that enforces its real limits.

500 cafes close at the same minute, each with one order and its own group chat. The clock
starts when `deadline_check` fires; it stops when the fake Telegram accepts the last message.
The deadlines topic has three partitions, so three consumer Lambdas (here: three processes,
each with its own event loop, database pool and Redis client, as three containers would) take
the records and share Telegram's budget through Redis. Each worker polls its partition from before
the clock starts, as the event source mapping does, and hands the consumer what has arrived (up
to an ESM batch of 100) as soon as it is there: so sending starts while `deadline_check` is
still producing. Telegram's 30 messages a second overall sets the floor: 500 / 30 = 16.7 s. In
production the schedule adds up to a minute before the check fires, and the mapping's batching
window up to half a second; neither is part of this figure.
"""

import json
import queue
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from itertools import pairwise
from multiprocessing import get_context
from typing import Any
from zoneinfo import ZoneInfo

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy.orm import Session

from functions.deadline_check.handler import build_handler as build_deadline_check
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.kit import runtime
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


def _serve_partition(settings: Settings, partition: int, ready: Any, stop: Any) -> int:
    """Poll one partition like the event source mapping until told to stop; records retried."""
    consumer = _warm_up(settings)
    topic = settings.kafka_topic_deadlines
    where = TopicPartition(topic, partition)

    async def connect() -> AIOKafkaConsumer:
        # (aiokafka binds to the running loop: made on the process's one loop)
        kafka = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await kafka.start()
        kafka.assign([where])
        await kafka.seek_to_beginning(where)
        await kafka.getmany(where, timeout_ms=100)  # connected and fetching
        return kafka

    kafka = runtime.run(connect())
    ready.put(partition)
    retries = 0
    try:
        while not stop.is_set():
            polled = runtime.run(kafka.getmany(where, timeout_ms=100, max_records=ESM_BATCH))
            records = polled.get(where, [])
            if not records:
                continue
            event = msk_event_from_consumer_records(records)
            while failures := consumer(event, lambda_context("notifications_consumer"))[
                "batchItemFailures"
            ]:
                retries += len(failures)
    finally:
        runtime.run(kafka.stop())
    return retries


def _create_topic(settings: Settings) -> None:
    async def create() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
        await admin.start()
        try:
            topic = NewTopic(settings.kafka_topic_deadlines, CONSUMERS, 1)
            await admin.create_topics([topic])
        finally:
            await admin.close()

    runtime.run(create())


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

    _create_topic(settings)

    spawn = get_context("spawn")
    with spawn.Manager() as shared, ProcessPoolExecutor(CONSUMERS, mp_context=spawn) as pool:
        # Warm containers polling their partitions: cold starts are measured elsewhere.
        ready, stop = shared.Queue(), shared.Event()
        workers = [
            pool.submit(_serve_partition, settings, partition, ready, stop)
            for partition in range(CONSUMERS)
        ]
        waiting = len(workers)
        while waiting:
            try:
                ready.get(timeout=1)
                waiting -= 1
            except queue.Empty:
                for worker in workers:
                    if worker.done():
                        worker.result()  # a worker that failed to start says why

        started = time.monotonic()
        run = deadline_check(
            scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check")
        )
        announced = time.monotonic()
        while len(fake_telegram.sent_messages()) < CAFES and time.monotonic() - started < 600:
            time.sleep(0.2)
        stop.set()
        retries = sum(worker.result() for worker in workers)

    records = read_topic(
        settings.kafka_bootstrap_servers, settings.kafka_topic_deadlines, expect=CAFES
    )
    sent = fake_telegram.sent_messages()
    delivered = max(message.at for message in sent) - started
    refused = [r for r in fake_telegram.requests("sendMessage") if r.status == 429]
    times = sorted(message.at for message in sent)
    peak = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    floor = CAFES / TELEGRAM_PER_SECOND
    cafes_in_message = {json.loads(r.value)["cafe_id"] for r in records}

    print()
    first = min(message.at for message in sent) - started
    print(f"deadline → delivered, {CAFES} cafes, {CONSUMERS} partitions/consumers")
    print(f"  announced (deadline_check)            {announced - started:>7.2f} s")
    print(f"  first message accepted by Telegram    {first:>7.2f} s")
    print(f"  last message accepted by Telegram     {delivered:>7.2f} s")
    # The slots of the first window are reused a window on, and so on: how fast the first
    # window fills is inherited by the last one.
    filled = ", ".join(f"{n}th {times[n - 1] - started:.2f} s" for n in (10, 20, 30))
    print(f"  first window filled                   {filled}")
    print(f"  floor set by {TELEGRAM_PER_SECOND} messages/s               {floor:>7.2f} s")
    print(f"  overhead above the floor              {delivered / floor - 1:>7.1%}")
    print(f"  peak messages in any 1 s window       {peak:>7d}")
    print(f"  429 answers from Telegram             {len(refused):>7d}")
    for request in refused:
        accepted = min(m.at for m in sent if m.chat_id == request.chat_id) - started
        print(f"    refused at {request.at - started:.2f} s, accepted at {accepted:.2f} s")
    gaps = sorted(((b - a, a - started) for a, b in pairwise(times)), reverse=True)[:3]
    longest = ", ".join(f"{gap * 1000:.0f} ms at {at:.2f} s" for gap, at in gaps)
    print(f"  longest gaps between accepted         {longest}")
    print(f"  records retried by the ESM            {retries:>7d}")
    print(f"BENCH deadline_to_delivered ratio_to_floor={delivered / floor:.2f}")

    assert run == {"recorded": CAFES, "produced": CAFES}
    assert len(cafes_in_message) == CAFES
    assert len(sent) == CAFES
    assert len({message.chat_id for message in sent}) == CAFES
