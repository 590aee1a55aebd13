"""The bot under test: Telegram updates posted to the webhook handler as API Gateway would."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from functions.telegram_webhook.handler import build_handler
from infra.local.events import api_gateway_v2_http, lambda_context
from infra.local.fakes.telegram import (
    FakeTelegram,
    SentMessage,
    callback_query_update,
    make_user,
    message_update,
)
from shared.kit.clock import FixedClock
from shared.kit.settings import Settings
from tests.harness.lunch import WEBHOOK_SECRET

MSK = ZoneInfo("Europe/Moscow")
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 15, tzinfo=MSK)
MINIAPP_URL = "https://lunch.example.com/app/"


@dataclass
class Webhook:
    """Telegram's side of the conversation: it posts updates, the bot answers through the fake."""

    handler: Callable[[dict[str, Any], Any], dict[str, Any]]
    telegram: FakeTelegram

    def post(self, update: dict[str, Any], *, secret: str | None = WEBHOOK_SECRET) -> int:
        headers = {"content-type": "application/json"}
        if secret is not None:
            headers["x-telegram-bot-api-secret-token"] = secret
        event = api_gateway_v2_http("POST", "/telegram/webhook", body=update, headers=headers)
        return int(self.handler(event, lambda_context("telegram_webhook"))["statusCode"])

    def say(self, chat_id: int, text: str, *, user_id: int | None = None, **user: Any) -> int:
        sender = make_user(user_id or (chat_id if chat_id > 0 else 555), **user)
        return self.post(message_update(chat_id, text, from_user=sender))

    def press(
        self, message: SentMessage, button: str, *, user_id: int | None = None, **user: Any
    ) -> int:
        """Press the button whose text contains `button` on a message the bot sent."""
        [data] = [b["callback_data"] for b in message.buttons if button in b["text"]]
        chat_id = int(message.chat_id)
        return self.press_data(
            chat_id, data, message.message_id, message.rendered_text, user_id=user_id, **user
        )

    def press_data(
        self,
        chat_id: int,
        data: str,
        message_id: int,
        message_text: str = "",
        *,
        user_id: int | None = None,
        **user: Any,
    ) -> int:
        """Press a button with `data` on the message `message_id` in `chat_id`."""
        user = {"first_name": "Анна"} | user
        sender = make_user(user_id or (chat_id if chat_id > 0 else 555), **user)
        update = callback_query_update(
            chat_id, data, message_id=message_id, from_user=sender, message_text=message_text
        )
        return self.post(update)


@pytest.fixture
def webhook(fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]) -> Webhook:
    settings = settings_factory(fake_telegram, miniapp_url=MINIAPP_URL)
    return Webhook(build_handler(settings, FixedClock(TUESDAY_MORNING)), fake_telegram)
