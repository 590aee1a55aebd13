"""People whose Telegram speaks English get the bot's replies in English, in a cafe's group too;
the cafe's order listing itself stays Russian (cafes have no language of their own)."""

from string import Formatter
from typing import Any

from sqlalchemy.orm import Session

from functions.telegram_webhook.bot.texts import EN, RU, BotTexts
from infra.local.fakes.telegram import FakeTelegram
from shared.models import BotContact, Cafe, Role
from shared.notifications.arrival_button import arrived_callback
from tests.factories import make_cafe, make_user
from tests.integration.bot.conftest import TUESDAY_MORNING, Webhook
from tests.integration.notifications.stories import make_combo_order

GROUP = -1001234567890
MANAGER = 9001
ENGLISH: dict[str, Any] = {"language_code": "en", "first_name": "Sam"}


def test_a_cafe_links_itself_in_english_and_the_manager_decides_in_english(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    # Given a cafe not linked yet and a manager whose Telegram speaks English
    menu = make_cafe(db, "Столовая №1", chat_id=None, notifications=False)
    make_user(db, MANAGER, "Olga Manager", role=Role.MANAGER)
    db.commit()

    # When someone in the cafe's group starts the bot and picks the cafe, in English
    webhook.say(GROUP, "/start", **ENGLISH)
    hello = fake_telegram.last_message(GROUP)
    webhook.press(hello, "Choose a cafe", **ENGLISH)
    choice = fake_telegram.last_message(GROUP)
    webhook.press(choice, "Столовая №1", **ENGLISH)

    # Then every reply to them is English
    assert "To receive orders in this chat" in hello.text
    assert choice.text == EN.pick_cafe
    assert fake_telegram.last_message(GROUP).text.startswith(
        "The request to link cafe «Столовая №1» is sent"
    )

    # When the manager approves from Telegram in English
    to_manager = fake_telegram.last_message(MANAGER)
    webhook.press(to_manager, "Одобрить", user_id=MANAGER, language_code="en")

    # Then the decision mark on the manager's message is English
    [edit] = fake_telegram.edits(MANAGER)
    assert edit.params["text"].endswith("✅ Approved")
    db.expire_all()
    assert db.get(Cafe, menu.cafe.id).tg_chat_id == GROUP  # type: ignore[union-attr]


def test_a_refusal_reaches_an_english_speaker_in_english(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    menu = make_cafe(db, chat_id=None, notifications=False)
    menu.cafe.is_active = False
    db.commit()

    webhook.say(GROUP, f"/start cafe_{menu.cafe.id}", **ENGLISH)
    english = fake_telegram.last_message(GROUP).text
    webhook.say(GROUP, f"/start cafe_{menu.cafe.id}")
    russian = fake_telegram.last_message(GROUP).text

    assert english == "Cafe «Столовая №1» is switched off: no chat can be linked to it"
    assert russian == "Кафе «Столовая №1» сейчас отключено, привязать к нему чат нельзя"


def test_status_orders_unlink_and_help_in_a_cafe_group_speak_english(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    make_cafe(db, chat_id=GROUP)
    db.commit()

    webhook.say(GROUP, "/status", **ENGLISH)
    assert "This chat is linked to cafe «Столовая №1» ✅" in fake_telegram.last_message(GROUP).text
    webhook.say(GROUP, "/orders", **ENGLISH)
    assert fake_telegram.last_message(GROUP).text == EN.no_orders
    webhook.say(GROUP, "/help", **ENGLISH)
    assert "/orders — the orders for your cafe so far" in fake_telegram.last_message(GROUP).text
    webhook.say(GROUP, "/unlink", **ENGLISH)
    question = fake_telegram.last_message(GROUP)
    assert question.button_texts == ["Yes, unlink", "Cancel"]
    webhook.press(question, "Cancel", **ENGLISH)
    assert fake_telegram.edits(GROUP)[-1].params["text"] == EN.kept


def test_pressing_arrived_answers_the_presser_in_their_language(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    # Given a linked cafe with an order for today, and a stranger chat holding its button
    today = TUESDAY_MORNING.date()
    menu = make_cafe(db, chat_id=GROUP)
    ivan = make_user(db, 1001, "Иван Петров")
    make_combo_order(db, ivan, menu, today)
    db.add(BotContact(tgid=ivan.tgid, started_at=TUESDAY_MORNING))
    db.commit()
    button = arrived_callback(menu.cafe.id, today)

    # When someone in another chat presses it, in English
    webhook.press_data(-100999, button, 1, **ENGLISH)

    # Then the refusal is English
    assert fake_telegram.last_message(-100999).text == "Only this cafe's chat can mark the delivery"

    # When the cook in the cafe's group presses it, in English
    webhook.press_data(GROUP, button, 1, **ENGLISH)

    # Then the cook's answers are English; Иван hears the news (in the app's own Russian)
    answers = fake_telegram.requests("answerCallbackQuery")
    assert answers[-1].params["text"] == EN.arrival_thanks
    done = fake_telegram.last_message(GROUP).text
    assert done.startswith(f"✅ Lunch for {today:%d.%m} arrived at 09:15 (Sam)")
    assert "Employees told: 1" in done
    assert fake_telegram.sent_messages(1001)


def test_both_languages_have_the_same_placeholders() -> None:
    """A text with `{cafe}` in Russian must have `{cafe}` in English too, or .format breaks."""

    def fields(texts: BotTexts) -> dict[str, set[str]]:
        return {
            name: {field for _, field, _, _ in Formatter().parse(value) if field}
            for name, value in vars(texts).items()
        }

    assert fields(RU) == fields(EN)
    assert all(value.strip() for value in vars(EN).values())
