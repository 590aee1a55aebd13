"""A linked cafe asks the bot about its link and its orders, and can unlink."""

import time
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram
from shared.models import Cafe
from tests.factories import make_cafe, make_user
from tests.integration.bot.conftest import Webhook
from tests.integration.notifications.stories import make_combo_order

GROUP = -1001234567890


def test_status_says_which_cafe_and_whether_orders_come(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=GROUP)
    menu.cafe.chat_unreachable_reason = "Forbidden: bot was kicked from the supergroup chat"
    db.commit()

    webhook.say(GROUP, "/status")

    text = fake_telegram.last_message(GROUP).text
    assert "Чат привязан к кафе «Столовая №1» ✅" in text
    assert "Заказы приходят сюда после каждого дедлайна" in text
    assert "доставить не удалось" in text


def test_orders_shows_the_next_days_orders_so_far(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=GROUP)
    make_combo_order(db, make_user(db, 1001, "Иван Петров"), menu, date(2026, 11, 25), mors=1)
    db.commit()

    webhook.say(GROUP, "/orders")

    listing, note = fake_telegram.sent_messages(GROUP)
    assert "Заказ на 25.11.2026" in listing.rendered_text
    assert "Иван Петров" in listing.rendered_text
    assert "предварительный" in note.text


def test_orders_when_nobody_ordered_or_the_chat_is_not_linked(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    make_cafe(db, chat_id=GROUP)
    db.commit()

    webhook.say(GROUP, "/orders")
    assert "Новых заказов пока нет" in fake_telegram.last_message(GROUP).text

    webhook.say(-100555, "/orders")
    assert "не привязан" in fake_telegram.last_message(-100555).text


def test_unlink_asks_first_and_then_stops_the_orders(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=GROUP)
    db.commit()

    webhook.say(GROUP, "/unlink")
    question = fake_telegram.last_message(GROUP)
    assert "Отвязать чат от кафе «Столовая №1»?" in question.text
    webhook.press(question, "Отмена")
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).tg_chat_id == GROUP  # type: ignore[union-attr]

    webhook.say(GROUP, "/unlink")
    webhook.press(fake_telegram.last_message(GROUP), "Да, отвязать")

    db.expire_all()
    cafe = db.get(Cafe, menu.cafe.id)
    assert cafe is not None
    assert (cafe.tg_chat_id, cafe.notifications_enabled) == (None, False)
    assert "Чат отвязан" in fake_telegram.edits(GROUP)[-1].params["text"]


def test_help_and_whatever_the_bot_does_not_understand(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    webhook.say(1001, "/help")
    assert "/orders — текущие заказы" in fake_telegram.last_message(1001).text

    webhook.say(1001, "/pizza")
    assert "Такой команды я не знаю" in fake_telegram.last_message(1001).text

    webhook.say(1001, "привет, где мой обед?")
    assert "Я понимаю только команды" in fake_telegram.last_message(1001).text

    webhook.say(GROUP, "коллеги, кто сегодня заказывает?")  # chatter in a group: no answer
    assert fake_telegram.sent_messages(GROUP) == []


def membership_update(chat_id: int, old: str, new: str) -> dict[str, Any]:
    bot = {"id": 7000000001, "is_bot": True, "first_name": "Lunch Bot"}
    return {
        "update_id": 700_000 + len(old) + len(new),
        "my_chat_member": {
            "chat": {"id": chat_id, "title": "Кухня", "type": "supergroup"},
            "from": {"id": 555, "is_bot": False, "first_name": "Админ"},
            "date": int(time.time()),
            "old_chat_member": {"user": bot, "status": old},
            "new_chat_member": {"user": bot, "status": new},
        },
    }


def test_removing_the_bot_from_the_cafe_group_is_visible_at_once_and_cleared_when_back(
    db: Session, webhook: Webhook
) -> None:
    menu = make_cafe(db, chat_id=GROUP)
    db.commit()

    assert webhook.post(membership_update(GROUP, "member", "left")) == 200
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).chat_unreachable_reason  # type: ignore[union-attr]

    assert webhook.post(membership_update(GROUP, "left", "member")) == 200
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).chat_unreachable_reason is None  # type: ignore[union-attr]
