"""A cafe links its chat in Telegram; managers decide there too; the cafe hears the outcome."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram
from shared.links.codes import issue_code
from shared.models import Cafe, CafeLinkRequest, RequestStatus, Role
from tests.factories import make_cafe, make_user
from tests.harness.lunch import JWT_SECRET
from tests.integration.bot.conftest import MINIAPP_URL, TUESDAY_MORNING, Webhook

GROUP = -1009876543210
MANAGER = 9001


def test_an_employee_starting_the_bot_gets_the_button_that_opens_the_app(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    make_user(db, 1001, "Иван Петров")
    db.commit()

    webhook.say(1001, "/start")

    reply = fake_telegram.last_message(1001)
    assert "Привет, Иван!" in reply.text
    [button] = reply.buttons
    assert button["web_app"] == {"url": MINIAPP_URL}


def test_a_cafe_picks_its_cafe_and_a_manager_approves_it_from_telegram(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    # Given two cafes and a manager who has written to the bot before
    menu = make_cafe(db, "Столовая №1", chat_id=None, notifications=False)
    make_cafe(db, "Пироговая", chat_id=None, notifications=False)
    make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
    db.commit()

    # When the cafe's group starts the bot, chooses a cafe and picks its own
    webhook.say(GROUP, "/start")
    hello = fake_telegram.last_message(GROUP)
    assert "Чтобы получать заказы в этот чат" in hello.text
    webhook.press(hello, "Выбрать кафе")
    choice = fake_telegram.last_message(GROUP)
    assert choice.button_texts == ["Пироговая", "Столовая №1"]
    webhook.press(choice, "Столовая №1")

    # Then the cafe is told to wait and the manager gets the request with two buttons
    assert "отправлена" in fake_telegram.last_message(GROUP).text
    to_manager = fake_telegram.last_message(MANAGER)
    assert "«Столовая №1»" in to_manager.text
    assert f"Чат: Group {GROUP}" in to_manager.text  # the group's title as Telegram sent it
    assert to_manager.button_texts == ["✅ Одобрить", "❌ Отклонить"]

    # When the manager approves
    webhook.press(to_manager, "Одобрить", user_id=MANAGER)

    # Then the chat is linked with notifications on, the manager's message shows the decision,
    # and the cafe gets the good news and a sample of what it will receive
    db.expire_all()
    cafe = db.get(Cafe, menu.cafe.id)
    assert cafe is not None
    assert (cafe.tg_chat_id, cafe.notifications_enabled) == (GROUP, True)
    [edit] = fake_telegram.edits(MANAGER)
    assert edit.params["text"].endswith("✅ Одобрено")
    done, sample = fake_telegram.sent_messages(GROUP)[-2:]
    assert "Готово! Чат привязан к кафе «Столовая №1»" in done.text
    assert sample.parse_mode == "HTML"
    assert "Столовая №1 — Заказ на 25.11.2026" in sample.rendered_text
    assert "Итого: 1 заказ" in sample.rendered_text


def test_a_deep_link_from_a_manager_asks_for_that_cafe_and_a_rejection_is_told(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=None, notifications=False)
    make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
    db.commit()

    webhook.say(GROUP, f"/start cafe_{menu.cafe.id}")
    webhook.say(GROUP, f"/start cafe_{menu.cafe.id}")  # pressed twice: one request
    assert "уже ждёт решения" in fake_telegram.last_message(GROUP).text
    [to_manager] = fake_telegram.sent_messages(MANAGER)
    webhook.press(to_manager, "Отклонить", user_id=MANAGER)

    assert "отклонили" in fake_telegram.last_message(GROUP).text
    [request] = db.execute(select(CafeLinkRequest)).scalars()
    assert request.status == RequestStatus.REJECTED
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).tg_chat_id is None  # type: ignore[union-attr]


def test_only_a_manager_can_approve(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=None, notifications=False)
    make_user(db, MANAGER, "Ольга Менеджер", role=Role.MANAGER)
    make_user(db, 1001, "Иван Петров")
    db.commit()
    webhook.say(GROUP, f"/start cafe_{menu.cafe.id}")
    [to_manager] = fake_telegram.sent_messages(MANAGER)

    # An employee who somehow got the button presses it
    webhook.press(to_manager, "Одобрить", user_id=1001)

    [answer] = fake_telegram.requests("answerCallbackQuery")
    assert "только офис-менеджеры" in answer.params["text"]
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).tg_chat_id is None  # type: ignore[union-attr]


def test_a_broken_deep_link_and_an_inactive_cafe_get_helpful_answers(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=None, notifications=False)
    menu.cafe.is_active = False
    db.commit()

    webhook.say(GROUP, "/start cafe_abc")
    assert "не похожа на ссылку" in fake_telegram.last_message(GROUP).text

    webhook.say(GROUP, f"/start cafe_{menu.cafe.id}")
    assert "сейчас отключено" in fake_telegram.last_message(GROUP).text
    assert db.execute(select(CafeLinkRequest)).first() is None


def test_a_managers_one_time_link_links_the_chat_at_once_and_tells_the_chat_it_replaces(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    # Given a cafe linked to an old chat, and a code its manager issued for the new one
    old_chat = -1001111111111
    menu = make_cafe(db, "Столовая №1", chat_id=old_chat)
    db.commit()
    code, _ = issue_code(menu.cafe, JWT_SECRET, now=TUESDAY_MORNING)

    # When the new chat opens the link
    webhook.say(GROUP, f"/start {code}")

    # Then it is linked, told so, and the old chat hears it gets the orders no more
    db.expire_all()
    cafe = db.get(Cafe, menu.cafe.id)
    assert cafe is not None
    assert cafe.tg_chat_id == GROUP
    assert "Чат привязан к кафе «Столовая №1»" in fake_telegram.sent_messages(chat_id=GROUP)[0].text
    [told_old] = fake_telegram.sent_messages(chat_id=old_chat)
    assert "больше не получает заказы" in told_old.text
    approved = db.scalars(select(CafeLinkRequest)).one()
    assert (approved.tg_chat_id, approved.status) == (GROUP, RequestStatus.APPROVED)

    # And the code works once: another chat opening it is refused, nothing moves
    webhook.say(-1002222222222, f"/start {code}")
    assert "недействительна" in fake_telegram.last_message(-1002222222222).text
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).tg_chat_id == GROUP  # type: ignore[union-attr]


def test_a_forged_or_expired_link_code_links_nothing(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, "Столовая №1", chat_id=None, notifications=False)
    db.commit()
    forged, _ = issue_code(menu.cafe, "not-the-servers-secret-0123456789", now=TUESDAY_MORNING)
    expired, _ = issue_code(menu.cafe, JWT_SECRET, now=TUESDAY_MORNING - timedelta(days=2))

    for code in (forged, expired, "link_1_zz_short"):
        webhook.say(GROUP, f"/start {code}")
        assert "недействительна" in fake_telegram.last_message(GROUP).text, code

    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).tg_chat_id is None  # type: ignore[union-attr]


def test_an_employee_whose_telegram_speaks_english_is_answered_in_english(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    make_user(db, 1002, "John Smith")
    db.commit()

    webhook.say(1002, "/start", language_code="en")
    reply = fake_telegram.last_message(1002)
    assert reply.text.startswith("Hi, John! 👋")
    assert reply.buttons[0]["text"] == "🍽 Open the app"

    # And /help shows an employee what they can do, not the cafe-only commands
    webhook.say(1002, "/help", language_code="en")
    assert "/start — open the app" in fake_telegram.last_message(1002).text
    assert "/link" not in fake_telegram.last_message(1002).text
    webhook.say(1002, "/help")
    assert "Обеды заказывают в приложении" in fake_telegram.last_message(1002).text
    assert "/unlink" not in fake_telegram.last_message(1002).text
