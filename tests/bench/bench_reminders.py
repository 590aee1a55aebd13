"""Reminders for 300 employees, against a fake Telegram that enforces its real limits.

300 people have not ordered; the reminders check fires at the reminder time and produces one job
per person; one consumer Lambda takes them in ESM-sized batches. Telegram's 30 messages a second
overall sets the floor: 300 / 30 = 10 s. The figures: how long the check takes to record the round
and produce the jobs, when the last reminder is accepted, and how close that is to the floor.
"""

import time
from collections.abc import Callable
from datetime import datetime
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from functions.reminders_check.handler import build_handler as build_check
from functions.reminders_consumer.handler import build_handler as build_consumer
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import BotContact, ReminderSettings
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic

MSK = ZoneInfo("Europe/Moscow")
REMINDER_TIME = datetime(2026, 11, 24, 10, 0, tzinfo=MSK)
PEOPLE = 300
ESM_BATCH = 100
TELEGRAM_PER_SECOND = 30
MINIAPP_URL = "https://lunch.example.com/app/"


def test_reminders_for_300_employees(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    make_cafe(db, deadline=clock_time(11, 0))
    for n in range(PEOPLE):
        make_user(db, 300_000 + n, f"Сотрудник {n:03d}")
        db.add(BotContact(tgid=300_000 + n, started_at=REMINDER_TIME))
    db.add(ReminderSettings(id=1, is_enabled=True, minutes_before=60))
    db.commit()
    fake_telegram.enforce_rate_limits(per_second=TELEGRAM_PER_SECOND)
    settings = settings_factory(fake_telegram, miniapp_url=MINIAPP_URL)
    check = build_check(settings, FixedClock(REMINDER_TIME))
    consumer = build_consumer(settings, FixedClock(REMINDER_TIME))

    started = time.monotonic()
    run = check(scheduler_event("reminders-check", time=REMINDER_TIME), lambda_context("check"))
    produced = time.monotonic() - started
    records = read_topic(
        settings.kafka_bootstrap_servers, settings.kafka_topic_reminders, expect=PEOPLE
    )
    consume_started = time.monotonic()
    retries = 0
    for i in range(0, len(records), ESM_BATCH):
        event = msk_event_from_consumer_records(records[i : i + ESM_BATCH])
        while failures := consumer(event, lambda_context("reminders_consumer"))[
            "batchItemFailures"
        ]:
            retries += len(failures)
    sent = fake_telegram.sent_messages()
    last = max(message.at for message in sent) - consume_started
    refused = [r for r in fake_telegram.requests("sendMessage") if r.status == 429]
    floor = PEOPLE / TELEGRAM_PER_SECOND

    print()
    print(f"reminders, {PEOPLE} employees, one consumer")
    print(f"  check: round recorded, jobs produced  {produced:>7.2f} s")
    print(f"  last reminder accepted by Telegram    {last:>7.2f} s")
    print(f"  floor set by {TELEGRAM_PER_SECOND} messages/s               {floor:>7.2f} s")
    print(f"  429 answers from Telegram             {len(refused):>7d}")
    print(
        f"BENCH reminders people={PEOPLE} check_s={produced:.3f} delivered_s={last:.3f} "
        f"floor_s={floor:.3f} telegram_429={len(refused)} retried={retries}"
    )

    assert run["jobs"] == PEOPLE
    assert len(sent) == PEOPLE
    assert len({message.chat_id for message in sent}) == PEOPLE
