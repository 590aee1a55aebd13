"""Many deadlines passing at once: every cafe's orders are confirmed in the same transaction that
records its announcement, and the announcements reach Kafka a chunk at a time, each once."""

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions.deadline_check.handler import build_handler as build_deadline_check
from infra.local.events import lambda_context, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import AnnouncementState, DeadlineAnnouncement, Order, OrderStatus
from shared.notifications.announcements import CHUNK
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = date(2026, 11, 24)
AFTER_DEADLINE = datetime(2026, 11, 24, 11, 0, 30, tzinfo=MSK)


def test_more_deadlines_than_a_chunk_are_each_announced_once_with_orders_confirmed(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given two and a half chunks' worth of cafes closing at 11:00, each with a pending order
    cafes = 2 * CHUNK + CHUNK // 2
    menus = [make_cafe(db, f"Кафе {n:03d}", chat_id=-1003000000000 - n) for n in range(cafes)]
    for n, menu in enumerate(menus):
        make_combo_order(db, make_user(db, 300_000 + n, f"Сотрудник {n:03d}"), menu, TUESDAY)
    db.commit()
    settings = settings_factory(fake_telegram)

    # When the check runs after the deadline, and again a minute later
    check = build_deadline_check(settings, FixedClock(AFTER_DEADLINE))
    first = check(
        scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check")
    )
    again = check(
        scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check")
    )

    # Then every cafe is announced once, on Kafka too, and nothing the second time
    assert first == {"recorded": cafes, "produced": cafes}
    assert again == {"recorded": 0, "produced": 0}
    records = read_topic(kafka_bootstrap, settings.kafka_topic_deadlines, expect=cafes)
    announced = Counter(json.loads(record.value)["cafe_id"] for record in records)
    assert announced == Counter(menu.cafe.id for menu in menus)
    # and every announcement is marked produced, every order confirmed
    db.expire_all()
    states = db.scalars(select(DeadlineAnnouncement.state)).all()
    assert Counter(states) == {AnnouncementState.PRODUCED: cafes}
    statuses = db.scalars(select(Order.status).where(Order.order_date == TUESDAY)).all()
    assert Counter(statuses) == {OrderStatus.CONFIRMED: cafes}
