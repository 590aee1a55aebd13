"""The fake Telegram's side facing people: their messages and presses become the updates
Telegram would make, delivered to the webhook as Telegram delivers them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from infra.local.fakes.telegram import FakeTelegram
from infra.local.fakes.telegram.people import SECRET_HEADER, command_entities

GROUP_ID = -1002000000001
GROUP: dict[str, Any] = {"id": GROUP_ID, "type": "supergroup", "title": "Новое кафе 1"}
ANNA: dict[str, Any] = {"id": 7000001, "is_bot": False, "first_name": "Анна", "language_code": "ru"}


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(validate_urls=False) as running:
        yield running


type Received = list[tuple[dict[str, str], dict[str, Any]]]


@pytest.fixture
def webhook() -> Iterator[tuple[str, Received]]:
    """A webhook receiver on 127.0.0.1: its URL, and what it was sent (headers, body)."""
    received: Received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def test_commands_are_marked_where_telegram_marks_them() -> None:
    assert command_entities("/start cafe_2") == [{"offset": 0, "length": 6, "type": "bot_command"}]
    # UTF-16 offsets: the emoji counts twice
    assert command_entities("🍲 /help@lunch_bot now") == [
        {"offset": 3, "length": 15, "type": "bot_command"}
    ]
    assert command_entities("no/command here") == []


async def test_a_person_s_message_is_the_update_the_bot_reads(fake: FakeTelegram) -> None:
    async with fake.make_bot() as bot:
        await bot.send_message(GROUP_ID, "Здравствуйте!")
        data = fake.user_sends(GROUP, ANNA, "/start cafe_2")
        update = Update.de_json(data, bot)

    assert update.message is not None
    assert update.message.message_id == 2  # after the bot's message in the same chat
    assert update.message.chat.type == "supergroup"
    assert update.message.chat.title == "Новое кафе 1"
    assert update.effective_user is not None
    assert update.effective_user.id == ANNA["id"]
    assert update.message.parse_entities(["bot_command"]) != {}
    assert update.message.text == "/start cafe_2"


async def test_a_press_carries_the_message_as_it_stands_and_only_its_buttons(
    fake: FakeTelegram,
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Одобрить", callback_data="a:1")]])
    async with fake.make_bot() as bot:
        sent = await bot.send_message(100001, "Новая заявка", reply_markup=keyboard)
        await bot.edit_message_text(
            "Новая заявка (обновлено)", 100001, sent.message_id, reply_markup=keyboard
        )
        manager = {"id": 100001, "is_bot": False, "first_name": "Ольга"}
        data = fake.user_presses(100001, sent.message_id, manager, "a:1")
        update = Update.de_json(data, bot)
        assert update.callback_query is not None
        await update.callback_query.answer("Готово")
        with pytest.raises(BadRequest, match="Query is too old"):
            await update.callback_query.answer("again")

    query = update.callback_query
    assert query.data == "a:1"
    assert isinstance(query.message, Message)
    assert query.message.text == "Новая заявка (обновлено)"
    with pytest.raises(LookupError):
        fake.user_presses(100001, sent.message_id, manager, "not-a-button")
    with pytest.raises(LookupError):
        fake.user_presses(100001, 999, manager, "a:1")

    history = fake.chat_history(100001)
    assert [(e.kind, e.text) for e in history] == [
        ("bot", "Новая заявка (обновлено)"),
        ("press", "✅ Одобрить"),
        ("toast", "Готово"),
    ]
    assert history[0].edited


async def test_the_chat_shows_what_its_members_see(fake: FakeTelegram) -> None:
    async with fake.make_bot() as bot:
        fake.user_sends(GROUP, ANNA, "/status")
        first = await bot.send_message(GROUP_ID, "<b>Привязан</b>", parse_mode="HTML")
        gone = await bot.send_message(GROUP_ID, "удалю")
        await bot.delete_message(GROUP_ID, gone.message_id)
        await bot.edit_message_reply_markup(
            GROUP_ID,
            first.message_id,
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]]),
        )
        await bot.send_message(-1009, "another chat")

    history = fake.chat_history(GROUP_ID)
    assert [(e.kind, e.text) for e in history] == [
        ("user", "/status"),
        ("bot", "<b>Привязан</b>"),
    ]
    assert history[1].parse_mode == "HTML"
    assert not history[1].edited  # new buttons: no "edited" mark
    assert history[1].message is not None
    assert history[1].message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x"


def test_updates_reach_the_webhook_with_its_secret(
    fake: FakeTelegram, webhook: tuple[str, Received]
) -> None:
    url, received = webhook
    # Set through the Bot API, as the bot's owner sets it
    httpx.post(f"{fake.api_url}/setWebhook", json={"url": url, "secret_token": "s3cret"})

    added = fake.bot_membership(GROUP, ANNA)
    assert fake.deliver(added) == "webhook answered 200"
    command = fake.user_sends(GROUP, ANNA, "/link")
    assert fake.deliver(command) == "webhook answered 200"
    chatter = fake.user_sends(GROUP, ANNA, "всем привет")
    assert fake.deliver(chatter) == "not delivered: in groups the bot sees only commands"

    assert [body for _headers, body in received] == [added, command]
    assert all(headers[SECRET_HEADER] == "s3cret" for headers, _body in received)
    change = received[0][1]["my_chat_member"]
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "left",
        "member",
    )
    [chatter_shown] = [e for e in fake.chat_history(GROUP_ID) if e.text == "всем привет"]
    assert chatter_shown.note == "not delivered: in groups the bot sees only commands"


def test_without_a_webhook_updates_wait_for_get_updates(fake: FakeTelegram) -> None:
    update = fake.user_sends({"id": 5, "type": "private", "first_name": "Иван"}, ANNA, "hi")
    assert fake.deliver(update) == "queued for getUpdates"
    assert fake.pending_updates() == [update]


def test_a_webhook_must_be_https_where_urls_are_checked() -> None:
    with FakeTelegram() as strict:
        answer = httpx.post(f"{strict.api_url}/setWebhook", json={"url": "http://127.0.0.1/x"})
    assert answer.status_code == 400
    assert "HTTPS URL must be provided" in answer.json()["description"]
