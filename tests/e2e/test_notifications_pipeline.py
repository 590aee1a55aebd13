"""Several cafes through the whole pipeline on real Kafka: a deadline check that missed runs
catches up, each cafe gets its orders once even when Kafka hands the records over twice, and a
cafe whose chat removed the bot ends, with its reason, in the dead letters."""

import json
from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from functions.deadline_check.handler import build_handler as build_deadline_check
from functions.notifications_consumer.handler import build_handler as build_notifications
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import BOT_BLOCKED, FakeTelegram
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = date(2026, 11, 24)
MONDAY = date(2026, 11, 23)


def test_missed_runs_are_caught_up_and_every_cafe_hears_once(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given three cafes closing at 11:00, 12:00 and 12:30 Moscow time, each with an order;
    # the third is a private chat whose owner blocked the bot
    early = make_cafe(db, "Ранняя пташка", chat_id=-100111, deadline=time(11, 0))
    late = make_cafe(db, "Поздний обед", chat_id=-100222, deadline=time(12, 0))
    blocked = make_cafe(db, "Заблокировавшее", chat_id=333, deadline=time(12, 30))
    for n, menu in enumerate((early, late, blocked)):
        make_combo_order(db, make_user(db, 1000 + n, f"Сотрудник {n}"), menu, TUESDAY)
    # and an order from yesterday, whose deadline is older than the catch-up window
    make_combo_order(db, make_user(db, 1100, "Вчерашний"), early, MONDAY)
    db.commit()
    fake_telegram.block_chat(333)
    settings = settings_factory(fake_telegram, deadline_catchup_hours=12)

    # When the schedule did not fire all morning and runs again at 13:00
    at = datetime(2026, 11, 24, 13, 0, tzinfo=MSK)
    check = build_deadline_check(settings, FixedClock(at))
    result = check(scheduler_event("deadline-check", time=at), lambda_context("deadline_check"))

    # Then today's three passed deadlines are announced; yesterday's is not
    assert result == {"recorded": 3, "produced": 3}
    records = read_topic(kafka_bootstrap, settings.kafka_topic_deadlines, expect=3)
    assert sorted(
        (json.loads(r.value)["cafe_id"], json.loads(r.value)["date"]) for r in records
    ) == [
        (early.cafe.id, "2026-11-24"),
        (late.cafe.id, "2026-11-24"),
        (blocked.cafe.id, "2026-11-24"),
    ]

    # When the consumer gets the records, and then all of them again
    consumer = build_notifications(settings, FixedClock(at))
    event = msk_event_from_consumer_records(records)
    for _ in range(2):
        response = consumer(event, lambda_context("notifications_consumer"))
        assert response == {"batchItemFailures": []}

    # Then each reachable cafe has exactly one message with today's order, not yesterday's
    for menu, name in ((early, "Сотрудник 0"), (late, "Сотрудник 1")):
        [message] = fake_telegram.sent_messages(menu.cafe.tg_chat_id)
        assert "Заказ на 24.11.2026" in message.rendered_text
        assert name in message.rendered_text
        assert "Вчерашний" not in message.rendered_text
    # And the blocked one is in the dead letters once, with Telegram's reason
    [letter] = read_topic(kafka_bootstrap, settings.kafka_topic_dead_letters, expect=1)
    assert json.loads(letter.value)["cafe_id"] == blocked.cafe.id
    assert json.loads(letter.value)["reason"] == BOT_BLOCKED
