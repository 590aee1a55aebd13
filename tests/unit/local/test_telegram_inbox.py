"""Without a bot token, what a cafe would receive is kept by the fake and shown, safely."""

import json
import urllib.request

from telegram import Bot

from infra.local.fakes.telegram.inbox import LOCAL_TOKEN, CapturedMessage, inbox, local_telegram
from shared.kit import runtime


def test_a_message_sent_through_python_telegram_bot_is_captured() -> None:
    shown: list[CapturedMessage] = []
    capture = local_telegram(shown.append).start()
    try:
        bot = Bot(LOCAL_TOKEN, base_url=capture.base_url)

        async def send() -> None:
            async with bot:
                await bot.send_message(
                    -1001, "<b>Столовая №1</b>\n📝 Без лука &lt;script&gt;", parse_mode="HTML"
                )

        runtime.run(send())
    finally:
        capture.stop()

    [message] = inbox(capture)
    assert shown == [message]
    assert message.chat_id == -1001
    assert message.plain_text() == "Столовая №1\n📝 Без лука <script>"
    assert message.safe_html() == "<b>Столовая №1</b><br>📝 Без лука &lt;script&gt;"


def test_markup_outside_telegram_formatting_is_shown_as_text() -> None:
    capture = local_telegram().start()
    try:
        body = json.dumps({"chat_id": "5", "text": '<a href="x">hi</a>', "parse_mode": "HTML"})
        request = urllib.request.Request(
            f"{capture.base_url}{LOCAL_TOKEN}/sendMessage",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            sent = json.loads(answer.read())
    finally:
        capture.stop()

    [message] = inbox(capture)
    assert sent["result"]["chat"]["id"] == 5
    assert message.safe_html() == '&lt;a href="x"&gt;hi&lt;/a&gt;'
