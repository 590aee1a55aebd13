"""Reminders on real Kafka: at the time managers set before the first deadline, each opted-in
employee without an order who started the bot gets one message with a button into the Mini App,
however often the job arrives; people who never started the bot are skipped and counted; the
not-ordered list is exact; "remind them now" reaches only those not reminded yet."""

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from functions.api.handler import build_handler as build_api
from functions.reminders_check.handler import build_handler as build_check
from functions.reminders_consumer.handler import build_handler as build_consumer
from functions.telegram_webhook.handler import build_handler as build_webhook
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import BotContact, ReminderDelivery, Role, User
from tests.factories import make_cafe, make_user
from tests.harness.lunch import JWT_SECRET, call_api, read_topic
from tests.integration.bot.conftest import MINIAPP_URL, Webhook
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
TUESDAY = datetime(2026, 11, 24, tzinfo=MSK).date()


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 24, hour, minute, tzinfo=MSK)


def token(user: User) -> str:
    return issue_token(
        TokenClaims(tgid=user.tgid, role=user.role),
        JWT_SECRET,
        now=at(9, 0),
        ttl=timedelta(hours=4),
    )


def run_check(settings: Settings, when: datetime) -> dict[str, int]:
    check = build_check(settings, FixedClock(when))
    result: dict[str, int] = check(
        scheduler_event("reminders-check", time=when), lambda_context("reminders_check")
    )
    return result


def test_reminders_reach_exactly_the_right_people_once(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given two cafes closing at 11:00 and 12:00, and the people of the office:
    early = make_cafe(db, "Ранняя", chat_id=-100111, deadline=time(11, 0))
    make_cafe(db, "Поздняя", chat_id=-100222, deadline=time(12, 0))
    ivan = make_user(db, 1001, "Иван Петров")  # started the bot, no order: reminded
    maria = make_user(db, 1002, "Мария Иванова")  # started the bot, ordered: not reminded
    petr = make_user(db, 1003, "Пётр Сидоров")  # never started the bot: skipped, counted
    anna = make_user(db, 1004, "Анна Кузнецова")  # switched reminders off
    anna.reminders_enabled = False
    gone = make_user(db, 1005, "Уволенный", is_active=False)  # blocked employee
    olga = make_user(db, 9001, "Ольга Смирнова", role=Role.MANAGER)  # a manager eats too
    boris = make_user(db, 1006, "Борис Блокировавший")  # started the bot, blocked it since
    make_combo_order(db, maria, early, TUESDAY)
    db.add_all(
        BotContact(tgid=person.tgid, started_at=at(8, 0))
        for person in (ivan, maria, anna, gone, olga, boris)
    )
    db.commit()
    fake_telegram.block_chat(boris.tgid)
    settings = settings_factory(fake_telegram, miniapp_url=MINIAPP_URL)
    api = build_api(settings, FixedClock(at(9, 0)))

    # When the manager asks for reminders an hour before the deadline
    status, config = call_api(
        api,
        "PUT",
        "/api/v1/reminders/settings",
        token=token(olga),
        body={"is_enabled": True, "minutes_before": 60},
    )
    assert status == 200, config
    # Then at 09:59 nothing is due yet, and at 10:00 (an hour before 11:00) one round is
    assert run_check(settings, at(9, 59)) == {"recorded": 0, "rounds": 0, "jobs": 0}
    assert run_check(settings, at(10, 0)) == {"recorded": 1, "rounds": 1, "jobs": 4}
    records = read_topic(kafka_bootstrap, settings.kafka_topic_reminders, expect=4)
    jobs = [json.loads(record.value) for record in records]
    assert sorted(job["tgid"] for job in jobs) == [1001, 1003, 1006, 9001]
    assert {(job["type"], job["date"]) for job in jobs} == {("reminder.due", "2026-11-24")}
    # And the next minute records nothing again
    assert run_check(settings, at(10, 1)) == {"recorded": 0, "rounds": 0, "jobs": 0}

    # When the consumer gets every job twice in one batch, and Kafka hands them over again
    consumer = build_consumer(settings, FixedClock(at(10, 0)))
    for batch in (records + records, records):
        event = msk_event_from_consumer_records(batch)
        assert consumer(event, lambda_context("reminders_consumer")) == {"batchItemFailures": []}

    # Then Ivan and Olga each have exactly one reminder that opens the Mini App
    for person in (ivan, olga):
        [reminder] = fake_telegram.sent_messages(person.tgid)
        assert "Вы ещё не заказали обед на вторник, 24.11" in reminder.text
        assert "до 11:00" in reminder.text
        assert reminder.buttons == [{"text": "🍽 Заказать обед", "web_app": {"url": MINIAPP_URL}}]
    # And nobody else got anything
    for person in (maria, petr, anna, gone, boris):
        assert fake_telegram.sent_messages(person.tgid) == []
    # And Boris, whose chat refused the message, no longer counts as reachable
    db.expire_all()
    assert db.get(BotContact, boris.tgid).blocked_at is not None  # type: ignore[union-attr]

    # And the not-ordered list for the manager is exact, with who was reminded and who cannot be
    status, listed = call_api(
        api, "GET", "/api/v1/reminders/not-ordered?date=2026-11-24", token=token(olga)
    )
    assert status == 200, listed
    assert [
        (row["name"], row["bot_started"], row["reminder"], row["reminder_reason"])
        for row in listed["items"]
    ] == [
        ("Анна Кузнецова", True, None, None),
        ("Борис Блокировавший", False, "skipped", "blocked"),
        ("Иван Петров", True, "sent", None),
        ("Ольга Смирнова", True, "sent", None),
        ("Пётр Сидоров", False, "skipped", "bot_not_started"),
    ]
    assert listed["total"] == 5

    # When Pyotr starts the bot and the manager reminds everyone without an order now
    webhook = Webhook(build_webhook(settings, FixedClock(at(10, 20))), fake_telegram)
    webhook.say(1003, "/start", first_name="Пётр")
    status, queued = call_api(
        api, "POST", "/api/v1/reminders/send-now", token=token(olga), body={"date": "2026-11-24"}
    )
    assert status == 202, queued
    assert queued["people"] == 5
    assert run_check(settings, at(10, 21)) == {"recorded": 0, "rounds": 1, "jobs": 5}
    second = [
        record
        for record in read_topic(kafka_bootstrap, settings.kafka_topic_reminders, expect=9)
        if json.loads(record.value)["round_id"] == queued["round_id"]
    ]
    assert sorted(json.loads(record.value)["tgid"] for record in second) == [
        1001,
        1003,
        1004,
        1006,
        9001,
    ]
    consumer = build_consumer(settings, FixedClock(at(10, 21)))
    consumer(msk_event_from_consumer_records(second), lambda_context("reminders_consumer"))

    # Then only Pyotr hears now: Ivan and Olga were reminded already, Anna switched them off
    reminders = [m for m in fake_telegram.sent_messages(1003) if "не заказали" in m.text]
    assert len(reminders) == 1
    assert len(fake_telegram.sent_messages(1001)) == 1
    assert len(fake_telegram.sent_messages(9001)) == 1
    assert fake_telegram.sent_messages(1004) == []
    db.expire_all()
    assert db.query(ReminderDelivery).filter_by(state="sent").count() == 3


def test_employees_switch_reminders_in_their_profile_and_managers_choose_the_time(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    ivan = make_user(db, 1001, "Иван Петров")
    olga = make_user(db, 9001, "Ольга Смирнова", role=Role.MANAGER)
    make_cafe(db)
    db.commit()
    settings = settings_factory(fake_telegram, miniapp_url=MINIAPP_URL)
    api = build_api(settings, FixedClock(at(9, 0)))

    def call(method: str, path: str, user: User, body: dict[str, Any] | None = None) -> Any:
        status, answer = call_api(api, method, f"/api/v1{path}", token=token(user), body=body)
        return status, answer

    assert call("GET", "/users/1001/reminders", ivan) == (
        200,
        {"enabled": True, "bot_started": False},
    )
    assert call("PUT", "/users/1001/reminders", ivan, {"enabled": False})[1]["enabled"] is False
    assert call("GET", "/users/1001/reminders", ivan)[1]["enabled"] is False
    assert call("PUT", "/users/9001/reminders", ivan, {"enabled": False})[0] == 403
    # Managers set one company-wide time, within 5 minutes and 12 hours
    status, config = call("GET", "/reminders/settings", olga)
    assert (status, config["is_enabled"], config["minutes_before"]) == (200, False, 60)
    status, refused = call(
        "PUT", "/reminders/settings", olga, {"is_enabled": True, "minutes_before": 1}
    )
    assert status == 422
    assert refused["errors"][0]["field"] == "minutes_before"
    # "Remind now" for a date nobody can order for any more is refused with the reason
    status, closed = call("POST", "/reminders/send-now", olga, {"date": "2026-11-23"})
    assert (status, closed["code"]) == (400, "nothing_to_remind")
    assert "не принимаются" in closed["detail"]
