"""The fake Telegram Bot API, driven through the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import re
import threading
import time
import warnings
from datetime import timedelta

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, WebAppInfo
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from infra.local.fakes.telegram import (
    BOT_BLOCKED,
    BOT_KICKED_SUPERGROUP,
    CHAT_NOT_FOUND,
    FakeTelegram,
    callback_query_update,
    message_update,
)
from infra.local.fakes.telegram.html import parse_html

pytest_plugins = ["tests.fakes.plugin"]

CHAT = 424242
OTHER_CHAT = 515151
SUPERGROUP = -1001234567890


def bot_for(fake: FakeTelegram, *, read_timeout: float | None = None) -> Bot:
    if read_timeout is not None:
        request = HTTPXRequest(read_timeout=read_timeout)
        return Bot(fake.token, base_url=fake.base_url, request=request)
    return Bot(fake.token, base_url=fake.base_url)


def ci(text: str) -> re.Pattern[str]:
    """PTB re-cases Telegram's descriptions ("Bad Request: chat not found" -> "Chat not found")."""
    return re.compile(re.escape(text), re.IGNORECASE)


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # Opt in to PTB's coming ``timedelta`` durations (no deprecation warnings).
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns that ``retry_after`` becomes a timedelta; accept both shapes.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Заказать", callback_data="order:17")],
        [InlineKeyboardButton("Меню", url="https://example.com/menu")],
    ]
)


# ------------------------------------------------------------------------- basics


async def test_get_me_answers_the_bot_user(fake_telegram: FakeTelegram) -> None:
    async with bot_for(fake_telegram) as bot:
        me = await bot.get_me()

    assert me.is_bot is True
    assert me.id == int(fake_telegram.token.split(":")[0])
    assert me.username == "lunch_test_bot"
    assert [r.method for r in fake_telegram.requests()] == ["getMe", "getMe"]
    assert all(r.ok and r.token == fake_telegram.token for r in fake_telegram.requests())


async def test_send_message_html_with_keyboard_is_recorded_parsed(
    fake_telegram: FakeTelegram,
) -> None:
    async with bot_for(fake_telegram) as bot:
        message = await bot.send_message(
            CHAT,
            "<b>Обед</b> на <i>завтра</i> 🍲 &lt;до 11:00&gt;",
            parse_mode="HTML",
            reply_markup=KEYBOARD,
        )

    (sent,) = fake_telegram.sent_messages(CHAT)
    assert sent.chat_id == CHAT
    assert isinstance(sent.chat_id, int)
    assert sent.parse_mode == "HTML"
    assert sent.text == "<b>Обед</b> на <i>завтра</i> 🍲 &lt;до 11:00&gt;"
    assert sent.reply_markup == {
        "inline_keyboard": [
            [{"text": "Заказать", "callback_data": "order:17"}],
            [{"text": "Меню", "url": "https://example.com/menu"}],
        ]
    }
    assert sent.callback_data == ["order:17"]
    assert sent.rendered_text == "Обед на завтра 🍲 <до 11:00>"
    # Telegram answers with the rendered text, entities and the keyboard echoed back.
    assert message.text == "Обед на завтра 🍲 <до 11:00>"
    assert message.entities == (
        MessageEntity(MessageEntity.BOLD, 0, 4),
        MessageEntity(MessageEntity.ITALIC, 8, 6),
    )
    assert message.reply_markup == KEYBOARD
    assert message.chat.id == CHAT
    assert message.chat.type == "private"
    assert message.from_user is not None
    assert message.from_user.is_bot
    assert message.message_id == sent.message_id == 1


async def test_message_ids_count_per_chat(fake_telegram: FakeTelegram) -> None:
    async with bot_for(fake_telegram) as bot:
        first = await bot.send_message(CHAT, "one")
        second = await bot.send_message(CHAT, "two")
        other = await bot.send_message(OTHER_CHAT, "one")

    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert [m.text for m in fake_telegram.sent_messages(CHAT)] == ["one", "two"]
    assert fake_telegram.last_message().chat_id == OTHER_CHAT


def test_raw_json_request_and_unknown_method(fake_telegram: FakeTelegram) -> None:
    with httpx.Client() as client:
        ok = client.post(
            f"{fake_telegram.api_url}/sendMessage",
            json={"chat_id": str(CHAT), "text": "plain", "reply_markup": {"inline_keyboard": []}},
        )
        unknown = client.post(f"{fake_telegram.api_url}/sendTelepathy", json={})

    assert ok.status_code == 200
    assert ok.json()["ok"] is True
    assert ok.json()["result"]["text"] == "plain"
    assert fake_telegram.requests("sendMessage")[0].params["chat_id"] == CHAT
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


# ------------------------------------------------------------------------- scripted errors


async def test_429_raises_retry_after_with_its_value(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", 429, retry_after=5)

    async with bot_for(fake_telegram) as bot:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "hi")
        await bot.send_message(CHAT, "hi again")  # only once

    assert retry_after_seconds(caught.value) == 5
    failed = fake_telegram.requests("sendMessage")[0]
    assert failed.status == 429
    assert failed.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }
    assert [m.text for m in fake_telegram.sent_messages()] == ["hi again"]


async def test_403_blocked_targets_one_chat(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", 403, BOT_BLOCKED, chat_id=CHAT, times=None)

    async with bot_for(fake_telegram) as bot:
        for _ in range(2):
            with pytest.raises(Forbidden, match=ci("blocked by the user")):
                await bot.send_message(CHAT, "hi")
        await bot.send_message(OTHER_CHAT, "hi")

    assert [m.chat_id for m in fake_telegram.sent_messages()] == [OTHER_CHAT]


async def test_block_chat_on_a_supergroup_says_kicked(fake_telegram: FakeTelegram) -> None:
    fake_telegram.block_chat(SUPERGROUP)

    async with bot_for(fake_telegram) as bot:
        with pytest.raises(Forbidden, match=ci("kicked from the supergroup chat")):
            await bot.send_message(SUPERGROUP, "hi")

    assert fake_telegram.requests("sendMessage")[0].description == BOT_KICKED_SUPERGROUP


async def test_400_chat_not_found_raises_bad_request(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", 400, CHAT_NOT_FOUND, chat_id=CHAT)

    async with bot_for(fake_telegram) as bot:
        with pytest.raises(BadRequest, match=ci("Chat not found")):
            await bot.send_message(CHAT, "hi")


async def test_require_known_chats_rejects_unknown_chat(fake_telegram: FakeTelegram) -> None:
    fake_telegram.require_known_chats = True
    fake_telegram.add_chat(CHAT, first_name="Анна", username="anna")

    async with bot_for(fake_telegram) as bot:
        message = await bot.send_message(CHAT, "hi")
        with pytest.raises(BadRequest, match=ci("Chat not found")):
            await bot.send_message(OTHER_CHAT, "hi")

    assert message.chat.username == "anna"


async def test_wrong_token_raises_invalid_token(fake_telegram: FakeTelegram) -> None:
    wrong = Bot("7000000001:AAWrongTokenWrongTokenWrongTokenWrong", base_url=fake_telegram.base_url)
    malformed = Bot("not-a-token", base_url=fake_telegram.base_url)

    with pytest.raises(InvalidToken):
        await wrong.initialize()
    with pytest.raises(InvalidToken):
        await malformed.get_me()

    statuses = [(r.status, r.response) for r in fake_telegram.requests("getMe")]
    assert statuses == [
        (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
        (404, {"ok": False, "error_code": 404, "description": "Not Found"}),
    ]
    await wrong.shutdown()
    await malformed.shutdown()


async def test_500_and_proxy_502_raise_network_error(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", 500)
    fake_telegram.fail_next(
        "sendMessage", 502, raw_body=b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    )

    async with bot_for(fake_telegram) as bot:
        with pytest.raises(NetworkError, match=ci("Internal Server Error")):
            await bot.send_message(CHAT, "hi")
        with pytest.raises(NetworkError, match=ci("Bad Gateway")):
            await bot.send_message(CHAT, "hi")
        await bot.send_message(CHAT, "hi")

    assert [r.status for r in fake_telegram.requests("sendMessage")] == [500, 502, 200]


async def test_failure_times_and_method_targeting(fake_telegram: FakeTelegram) -> None:
    twice = fake_telegram.fail_next("sendMessage", 500, times=2)

    async with bot_for(fake_telegram) as bot:
        await bot.get_me()  # another method is not affected
        for _ in range(2):
            with pytest.raises(NetworkError):
                await bot.send_message(CHAT, "hi")
        await bot.send_message(CHAT, "hi")
        always = fake_telegram.fail_next(None, 500, times=None)
        with pytest.raises(NetworkError):
            await bot.get_me()
        always.cancel()
        await bot.get_me()

    assert twice.hits == 2
    assert not twice.active
    assert always.hits == 1


async def test_slow_answer_times_out(fake_telegram: FakeTelegram) -> None:
    fake_telegram.delay_next("sendMessage", 2.0)

    async with bot_for(fake_telegram, read_timeout=0.2) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "slow")
        assert time.monotonic() - started < 1.5

    assert fake_telegram.requests("sendMessage")[0].params["text"] == "slow"


# ------------------------------------------------------------------------- flood control


async def test_rate_limit_per_chat_answers_retry_after(fake_telegram: FakeTelegram) -> None:
    fake_telegram.enforce_rate_limits(per_second=30, per_chat_per_second=1)

    async with bot_for(fake_telegram) as bot:
        await bot.send_message(CHAT, "first")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "too soon")
        await bot.send_message(OTHER_CHAT, "other chat is fine")
        await bot.send_chat_action(CHAT, "typing")  # does not count
        await asyncio.sleep(1.05)
        await bot.send_message(CHAT, "after a second")

    assert retry_after_seconds(caught.value) == 1
    assert [m.text for m in fake_telegram.sent_messages(CHAT)] == ["first", "after a second"]
    first, later = fake_telegram.send_times(CHAT)
    assert later - first >= 1.0


async def test_rate_limit_overall(fake_telegram: FakeTelegram) -> None:
    fake_telegram.enforce_rate_limits(per_second=3, per_chat_per_second=None)

    async with bot_for(fake_telegram) as bot:
        for chat in range(1, 4):
            await bot.send_message(chat, "ok")
        with pytest.raises(RetryAfter):
            await bot.send_message(4, "over the limit")

    assert len(fake_telegram.sent_messages()) == 3


# ------------------------------------------------------------------------- validation


async def test_invalid_html_is_rejected_like_telegram(fake_telegram: FakeTelegram) -> None:
    async with bot_for(fake_telegram) as bot:
        with pytest.raises(BadRequest, match=ci("unsupported start tag")):
            await bot.send_message(CHAT, "Итого: 3 < 5 <br>", parse_mode="HTML")

    response = fake_telegram.requests("sendMessage")[0].response
    assert response is not None
    assert response["description"] == (
        'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 14'
    )


async def test_keyboard_validation(fake_telegram: FakeTelegram) -> None:
    web_app = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Открыть", web_app=WebAppInfo("https://example.com/app"))]]
    )
    local = InlineKeyboardMarkup([[InlineKeyboardButton("Меню", url="http://localhost:5173")]])
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])

    async with bot_for(fake_telegram) as bot:
        await bot.send_message(CHAT, "private chat is fine", reply_markup=web_app)
        with pytest.raises(BadRequest, match=ci("Button_type_invalid")):
            await bot.send_message(SUPERGROUP, "group", reply_markup=web_app)
        with pytest.raises(BadRequest, match=ci("Wrong http url")):
            await bot.send_message(CHAT, "local", reply_markup=local)
        with pytest.raises(BadRequest, match=ci("Button_data_invalid")):
            await bot.send_message(CHAT, "long", reply_markup=long_data)

    descriptions = [r.description for r in fake_telegram.requests("sendMessage")]
    assert descriptions == [
        None,
        "Bad Request: BUTTON_TYPE_INVALID",
        "Bad Request: inline keyboard button URL 'http://localhost:5173' is invalid: "
        "Wrong HTTP URL",
        "Bad Request: BUTTON_DATA_INVALID",
    ]


async def test_edit_message_and_not_modified(fake_telegram: FakeTelegram) -> None:
    async with bot_for(fake_telegram) as bot:
        sent = await bot.send_message(CHAT, "Заказ принят", reply_markup=KEYBOARD)
        edited = await bot.edit_message_text(
            "<b>Заказ</b> отменён", chat_id=CHAT, message_id=sent.message_id, parse_mode="HTML"
        )
        with pytest.raises(BadRequest, match=ci("Message is not modified")):
            await bot.edit_message_text(
                "<b>Заказ</b> отменён",
                chat_id=CHAT,
                message_id=sent.message_id,
                parse_mode="HTML",
            )

    assert not isinstance(edited, bool)
    assert edited.text == "Заказ отменён"
    assert edited.reply_markup is None  # editing without reply_markup removes the keyboard
    assert edited.edit_date is not None
    stored = fake_telegram.message(CHAT, sent.message_id)
    assert stored is not None
    assert stored["text"] == "Заказ отменён"
    assert len(fake_telegram.edits(CHAT)) == 1


async def test_callback_query_can_be_answered_once(fake_telegram: FakeTelegram) -> None:
    update = callback_query_update(CHAT, "order:17", message_id=1)
    query_id = update["callback_query"]["id"]

    async with bot_for(fake_telegram) as bot:
        assert await bot.answer_callback_query(query_id, text="Готово") is True
        with pytest.raises(BadRequest, match=ci("Query is too old")):
            await bot.answer_callback_query(query_id)

    assert fake_telegram.requests("answerCallbackQuery")[0].params == {
        "callback_query_id": query_id,
        "text": "Готово",
    }


# ------------------------------------------------------------------------- updates & webhook


async def test_get_updates_long_polls_pushed_updates(fake_telegram: FakeTelegram) -> None:
    first = fake_telegram.push_update(message_update(CHAT, "/start"))

    def push_later() -> None:
        time.sleep(0.3)
        fake_telegram.push_update(message_update(CHAT, "меню", message_id=2))

    async with bot_for(fake_telegram) as bot:
        updates = await bot.get_updates(timeout=5)
        assert [u.update_id for u in updates] == [first]
        assert updates[0].message is not None
        assert updates[0].message.text == "/start"

        pusher = threading.Thread(target=push_later)
        pusher.start()
        started = time.monotonic()
        later = await bot.get_updates(offset=first + 1, timeout=5)
        pusher.join()

    assert time.monotonic() - started < 4
    assert [u.message.text for u in later if u.message] == ["меню"]
    assert [u["update_id"] for u in fake_telegram.pending_updates()] == [later[0].update_id]


async def test_webhook_lifecycle_and_conflict(fake_telegram: FakeTelegram) -> None:
    async with bot_for(fake_telegram) as bot:
        with pytest.raises(BadRequest, match=ci("Https url must be provided")):
            await bot.set_webhook("http://example.com/hook")
        assert await bot.set_webhook("https://example.com/hook", secret_token="s3cret")
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict, match=ci("Webhook is active")):
            await bot.get_updates()
        assert await bot.delete_webhook()
        assert await bot.get_updates() == ()

    assert info.url == "https://example.com/hook"
    assert fake_telegram.webhook is None
    set_call = fake_telegram.requests("setWebhook")[1]
    assert set_call.response == {"ok": True, "result": True, "description": "Webhook was set"}
    assert set_call.params["secret_token"] == "s3cret"


async def test_commands_and_menu_button(fake_telegram: FakeTelegram) -> None:
    async with bot_for(fake_telegram) as bot:
        assert await bot.set_my_commands([("start", "Начать"), ("menu", "Меню на сегодня")])
        commands = await bot.get_my_commands()
        assert await bot.set_chat_menu_button()
        button = await bot.get_chat_menu_button()

    assert [(c.command, c.description) for c in commands] == [
        ("start", "Начать"),
        ("menu", "Меню на сегодня"),
    ]
    assert button.type == "default"
    assert fake_telegram.requests("setMyCommands")[0].params["commands"] == [
        {"command": "start", "description": "Начать"},
        {"command": "menu", "description": "Меню на сегодня"},
    ]


def test_wait_for_messages_from_another_thread(fake_telegram: FakeTelegram) -> None:
    def send() -> None:
        time.sleep(0.2)
        httpx.post(f"{fake_telegram.api_url}/sendMessage", data={"chat_id": CHAT, "text": "later"})

    sender = threading.Thread(target=send)
    sender.start()
    (message,) = fake_telegram.wait_for_messages(1, chat_id=CHAT, within=5)
    sender.join()
    assert message.text == "later"

    with pytest.raises(AssertionError, match=ci("expected 2")):
        fake_telegram.wait_for_messages(2, within=0.1)


def test_reset_forgets_everything(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next(None, 500, times=None)
    httpx.post(f"{fake_telegram.api_url}/getMe")
    fake_telegram.reset()
    response = httpx.post(f"{fake_telegram.api_url}/getMe")
    assert response.status_code == 200
    assert len(fake_telegram.requests()) == 1


# ------------------------------------------------------------------------- HTML parser


def test_parse_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_html(
        '😀 <b>жирный <i>курсив</i></b> <a href="https://t.me/x?a=1&amp;b=2">ссылка</a>\n'
        '<pre><code class="language-python">print(1)</code></pre>'
    )
    assert text == "😀 жирный курсив ссылка\nprint(1)"
    assert entities == [
        {"offset": 3, "length": 13, "type": "bold"},
        {"offset": 10, "length": 6, "type": "italic"},
        {"offset": 17, "length": 6, "type": "text_link", "url": "https://t.me/x?a=1&b=2"},
        {"offset": 24, "length": 8, "type": "pre", "language": "python"},
    ]


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Ёлка <script>", 'Unsupported start tag "script" at byte offset 9'),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("a <b", "Unclosed start tag at byte offset 2"),
    ],
)
def test_parse_html_errors_are_telegrams(markup: str, error: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(error)}$"):
        parse_html(markup)
