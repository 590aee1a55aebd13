"""«Привезли»: the cafe's order message carries the button; pressing it, twice or by two people,
tells each employee with an order there exactly once; the app and the managers see the delivery."""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from functions.api.handler import build_handler as build_api
from functions.deadline_check.handler import build_handler as build_deadline_check
from functions.notifications_consumer.handler import build_handler as build_notifications
from functions.telegram_webhook.handler import build_handler as build_webhook
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram, callback_query_update
from infra.local.fakes.telegram import make_user as tg_user
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from shared.models import BotContact, Role, User
from tests.factories import make_cafe, make_user
from tests.harness.lunch import JWT_SECRET, call_api, read_topic
from tests.integration.bot.conftest import MINIAPP_URL, Webhook
from tests.integration.notifications.stories import make_combo_order

MSK = ZoneInfo("Europe/Moscow")
AFTER_DEADLINE = datetime(2026, 11, 24, 11, 0, 30, tzinfo=MSK)
LUNCHTIME = datetime(2026, 11, 24, 12, 40, tzinfo=MSK)
GROUP = -1001234567890
OTHER_GROUP = -100999


def token(user: User) -> str:
    return issue_token(
        TokenClaims(tgid=user.tgid, role=user.role),
        JWT_SECRET,
        now=LUNCHTIME,
        ttl=timedelta(hours=1),
    )


def test_pressing_privezli_tells_everyone_with_an_order_once(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given a cafe with a spicy borscht, two employees who started the bot and ordered, one who
    # ordered but never started the bot, one who started it and ordered at another cafe
    menu = make_cafe(db, chat_id=GROUP)
    other = make_cafe(db, "Пельменная", chat_id=OTHER_GROUP)
    menu.borscht.labels = ["spicy", "gluten"]
    ivan, maria = make_user(db, 1001, "Иван Петров"), make_user(db, 1002, "Мария Иванова")
    stranger = make_user(db, 1003, "Пётр Без Бота")
    elsewhere = make_user(db, 1004, "Анна Другая")
    boss = make_user(db, 9001, "Ольга Смирнова", role=Role.MANAGER)
    make_combo_order(db, ivan, menu, AFTER_DEADLINE.date(), borscht=1)
    make_combo_order(db, maria, menu, AFTER_DEADLINE.date())
    make_combo_order(db, stranger, menu, AFTER_DEADLINE.date())
    make_combo_order(db, elsewhere, other, AFTER_DEADLINE.date())
    db.add_all(BotContact(tgid=tgid, started_at=AFTER_DEADLINE) for tgid in (1001, 1002, 1004))
    db.commit()
    settings = settings_factory(fake_telegram, miniapp_url=MINIAPP_URL)

    # When the deadline passes and the cafe's message goes out through Kafka
    check = build_deadline_check(settings, FixedClock(AFTER_DEADLINE))
    check(scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check"))
    records = read_topic(kafka_bootstrap, settings.kafka_topic_deadlines, expect=2)
    consumer = build_notifications(settings, FixedClock(AFTER_DEADLINE))
    consumer(msk_event_from_consumer_records(records), lambda_context("notifications_consumer"))

    # Then the cafe's message shows the labels and carries the «Привезли» button
    [message] = fake_telegram.sent_messages(GROUP)
    assert "Борщ 🌶🌾" in message.rendered_text
    assert message.button_texts == ["🚚 Привезли"]

    # When two people in the cafe's chat press it, one of them twice
    webhook = Webhook(build_webhook(settings, FixedClock(LUNCHTIME)), fake_telegram)
    for presser in (555, 556, 555):
        update = callback_query_update(
            GROUP,
            message.callback_data[0],
            message_id=message.message_id,
            from_user=tg_user(presser, first_name="Анна"),
            message_text=message.rendered_text,
        )
        assert webhook.post(update) == 200

    # Then each reachable employee with an order there is told once; the others are not
    assert [m.text for m in fake_telegram.sent_messages(1001)] == [
        "🍽 Обед из «Столовая №1» привезли! Приятного аппетита."
    ]
    assert len(fake_telegram.sent_messages(1002)) == 1
    assert fake_telegram.sent_messages(1003) == []
    assert fake_telegram.sent_messages(1004) == []
    # And the chat hears once who pressed it, how many were told and how many never started the bot
    confirmations = [m.text for m in fake_telegram.sent_messages(GROUP)[1:]]
    assert confirmations == [
        "✅ Обед на 24.11 привезли в 12:40 (Анна).\nСообщили сотрудникам: 2; не открывали бота: 1."
    ]

    # And the app shows Ivan's order as delivered; the other cafe's order is not
    api = build_api(settings, FixedClock(LUNCHTIME))
    _, mine = call_api(api, "GET", "/api/v1/orders?date=2026-11-24", token=token(ivan))
    assert mine["items"][0]["delivered_at"] == "2026-11-24T09:40:00Z"
    _, hers = call_api(api, "GET", "/api/v1/orders?date=2026-11-24", token=token(elsewhere))
    assert hers["items"][0]["delivered_at"] is None
    # And managers see when each cafe delivered
    status, deliveries = call_api(
        api, "GET", "/api/v1/deliveries?date=2026-11-24", token=token(boss)
    )
    assert status == 200, deliveries
    by_cafe = {item["cafe_name"]: item for item in deliveries["items"]}
    assert by_cafe["Столовая №1"] | {"cafe_id": 0} == {
        "cafe_id": 0,
        "cafe_name": "Столовая №1",
        "order_date": "2026-11-24",
        "orders": 3,
        "delivered_at": "2026-11-24T09:40:00Z",
        "reported_by": "Анна",
        "notified": 2,
        "not_reachable": 1,
    }
    assert by_cafe["Пельменная"]["delivered_at"] is None
    assert json.loads(records[0].value)["type"] == "deadline.passed"


def test_only_the_cafes_own_chat_can_report_its_delivery(
    db: Session, fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    menu = make_cafe(db, chat_id=GROUP)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, AFTER_DEADLINE.date())
    db.add(BotContact(tgid=1001, started_at=AFTER_DEADLINE))
    db.commit()
    settings = settings_factory(fake_telegram, miniapp_url=MINIAPP_URL)
    webhook = Webhook(build_webhook(settings, FixedClock(LUNCHTIME)), fake_telegram)

    # When someone replays the button's data from another chat
    data = f"arrived:{menu.cafe.id}:20261124"
    webhook.post(
        callback_query_update(
            OTHER_GROUP, data, message_id=1, from_user=tg_user(777, first_name="X")
        )
    )

    # Then nobody is told and the chat hears why
    assert fake_telegram.sent_messages(1001) == []
    assert "только чат этого кафе" in fake_telegram.last_message(OTHER_GROUP).text
