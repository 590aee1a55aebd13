"""Only Telegram, with the secret given to setWebhook, can talk to the bot."""

from sqlalchemy.orm import Session

from infra.local.fakes.telegram import FakeTelegram, message_update
from tests.integration.bot.conftest import Webhook


def test_a_call_with_a_wrong_or_missing_secret_is_refused_and_ignored(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    update = message_update(1001, "/help")

    assert webhook.post(update, secret="guessed") == 401
    assert webhook.post(update, secret=None) == 401

    assert fake_telegram.sent_messages() == []


def test_a_body_that_is_not_an_update_is_a_bad_request(db: Session, webhook: Webhook) -> None:
    assert webhook.post({"hello": "world"}) == 400


def test_the_right_secret_gets_an_answer(
    db: Session, webhook: Webhook, fake_telegram: FakeTelegram
) -> None:
    assert webhook.say(1001, "/help") == 200

    assert "/link — привязать этот чат" in fake_telegram.last_message(1001).text
