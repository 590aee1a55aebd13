"""The thin vertical slice: an employee's order travels from the Mini App's API call, through
the deadline announcement on Kafka, to one message in the cafe's Telegram chat."""

import json
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from functions.api.handler import build_handler as build_api
from functions.deadline_check.handler import build_handler as build_deadline_check
from functions.notifications_consumer.handler import build_handler as build_notifications
from infra.local.events import lambda_context, msk_event_from_consumer_records, scheduler_event
from infra.local.fakes.telegram import FakeTelegram
from shared.auth.init_data import TelegramUser, user_init_data
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from tests.factories import combo_order, make_cafe, make_user
from tests.harness.lunch import call_api, read_topic

MSK = ZoneInfo("Europe/Moscow")
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 15, tzinfo=MSK)
AFTER_DEADLINE = datetime(2026, 11, 24, 11, 0, 30, tzinfo=MSK)


def test_an_order_placed_in_the_app_reaches_the_cafe_chat_once(
    db: Session,
    fake_telegram: FakeTelegram,
    settings_factory: Callable[..., Settings],
    kafka_bootstrap: str,
) -> None:
    # Given a cafe linked to its Telegram chat, taking orders until 11:00, and an employee
    menu = make_cafe(db, chat_id=-1001234567890, notifications=True)
    make_user(db, 1001, "Иван Петров")
    db.commit()
    settings = settings_factory(fake_telegram)
    clock = FixedClock(TUESDAY_MORNING)
    api = build_api(settings, clock)

    # When the employee signs in with the Mini App's initData and orders a combo with a drink
    init_data = user_init_data(
        TelegramUser(id=1001, first_name="Иван", last_name="Петров"),
        settings.telegram_bot_token.get_secret_value(),
        auth_date=TUESDAY_MORNING,
    )
    status, signed_in = call_api(
        api, "POST", "/api/v1/auth/telegram", body={"init_data": init_data}
    )
    assert status == 200, signed_in
    token = signed_in["access_token"]
    status, order = call_api(
        api,
        "POST",
        "/api/v1/orders",
        token=token,
        body=combo_order(
            menu, extras=[{"menu_item_id": menu.mors.id, "quantity": 2}], notes="Без лука"
        ),
    )
    assert status == 201, order
    assert order["total_price"] == 570.0
    assert order["user_name"] == "Иван Петров"

    # And the deadline passes: the scheduled check announces the cafe and date on Kafka
    deadline_check = build_deadline_check(settings, FixedClock(AFTER_DEADLINE))
    result = deadline_check(
        scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check")
    )
    assert result == {"recorded": 1, "produced": 1}
    records = read_topic(kafka_bootstrap, settings.kafka_topic_deadlines, expect=1)
    assert len(records) == 1
    assert records[0].key == str(menu.cafe.id).encode()
    assert json.loads(records[0].value) | {"timestamp": None, "deadline": None} == {
        "type": "deadline.passed",
        "cafe_id": menu.cafe.id,
        "date": "2026-11-24",
        "timestamp": None,
        "deadline": None,
    }

    # Then the consumer, handed those records as Lambda would, sends the cafe one message
    notifications = build_notifications(settings, FixedClock(AFTER_DEADLINE))
    event = msk_event_from_consumer_records(records)
    response = notifications(event, lambda_context("notifications_consumer"))
    assert response == {"batchItemFailures": []}
    sent = fake_telegram.sent_messages()
    assert len(sent) == 1
    message = sent[0]
    assert message.chat_id == -1001234567890
    assert message.parse_mode == "HTML"
    assert "Столовая №1" in message.text
    assert "24.11.2026" in message.text
    assert "Иван Петров" in message.text
    assert "Салат Цезарь (салат)" in message.text
    assert "Суп дня (суп)" in message.text
    assert "Котлета с пюре (горячее)" in message.text
    assert "Морс клюквенный ×2" in message.text
    assert "Без лука" in message.text
    assert "Итого: 1 заказ, 570 ₽" in message.text

    # And nothing is announced or sent twice: the check runs again, the record comes again
    again = deadline_check(
        scheduler_event("deadline-check", time=AFTER_DEADLINE), lambda_context("deadline_check")
    )
    assert again == {"recorded": 0, "produced": 0}
    assert len(read_topic(kafka_bootstrap, settings.kafka_topic_deadlines, expect=1)) == 1
    assert notifications(event, lambda_context("notifications_consumer")) == {
        "batchItemFailures": []
    }
    assert len(fake_telegram.sent_messages()) == 1
