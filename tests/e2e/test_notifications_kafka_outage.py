"""Kafka goes down while deadlines pass: the announcement waits in the database and, once Kafka
is back, reaches the cafe once."""

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from functions.deadline_check.handler import build_handler as build_deadline_check
from functions.notifications_consumer.handler import build_handler as build_notifications
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from infra.local.services import RunningService, free_port, start_kafka
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import AnnouncementState, DeadlineAnnouncement
from tests.factories import make_cafe, make_user
from tests.harness.lunch import read_topic
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = date(2026, 11, 24)
CHAT = -1001234567890


class Broker:
    """A Kafka of this test's own, so that it can be stopped and started again."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.controller_port = free_port()
        self.running: RunningService | None = None

    def start(self) -> str:
        self.running = start_kafka(
            self.data_dir, self.port, controller_port=self.controller_port, heap="256m"
        )
        return self.running.url

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    own = Broker(tmp_path / "kafka")
    yield own
    own.stop()


def announcement(db: Session) -> DeadlineAnnouncement:
    db.expire_all()
    return db.execute(select(DeadlineAnnouncement)).scalar_one()


def run_deadline_check(settings: Settings, at: datetime) -> dict[str, int]:
    handler = build_deadline_check(settings, FixedClock(at))
    return handler(scheduler_event("deadline-check", time=at), lambda_context("deadline_check"))


def test_an_announcement_made_while_kafka_was_down_arrives_once_after_it_returns(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    broker: Broker,
) -> None:
    # Given an order at a cafe closing at 11:00, and a Kafka that is up, then stops
    menu = make_cafe(db, chat_id=CHAT)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, TUESDAY, notes="Без лука")
    db.commit()
    settings = settings_factory(fake_telegram, kafka_bootstrap_servers=broker.start())
    broker.stop()

    # When the deadline check runs at 11:00:30 and 11:01:30 with Kafka down
    for minute in (0, 1):
        with pytest.raises(Exception, match=r"(?i)kafka|connect|bootstrap"):
            run_deadline_check(settings, datetime(2026, 11, 24, 11, minute, 30, tzinfo=MSK))

    # Then the announcement is recorded, pending, with why it is late
    pending = announcement(db)
    assert pending.state == AnnouncementState.PENDING
    assert pending.attempts == 2
    assert pending.last_error

    # When Kafka is back and the check runs again, then once more
    broker.start()
    back = run_deadline_check(settings, datetime(2026, 11, 24, 11, 2, 30, tzinfo=MSK))
    again = run_deadline_check(settings, datetime(2026, 11, 24, 11, 3, 30, tzinfo=MSK))

    # Then the announcement was produced exactly once
    assert back == {"recorded": 0, "produced": 1}
    assert again == {"recorded": 0, "produced": 0}
    records = read_topic(settings.kafka_bootstrap_servers, settings.kafka_topic_deadlines, expect=1)
    assert len(records) == 1
    assert json.loads(records[0].value)["cafe_id"] == menu.cafe.id
    assert announcement(db).state == AnnouncementState.PRODUCED

    # And the cafe gets its one message
    consumer = build_notifications(settings, FixedClock(datetime(2026, 11, 24, 11, 3, tzinfo=MSK)))
    response = consumer(
        msk_event_from_consumer_records(records), lambda_context("notifications_consumer")
    )
    assert response == {"batchItemFailures": []}
    [message] = fake_telegram.sent_messages(CHAT)
    assert "Иван Петров" in message.rendered_text
    assert "Без лука" in message.rendered_text
