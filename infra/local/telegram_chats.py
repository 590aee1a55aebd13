"""The dev page's Telegram chats: be a cafe's group chat, the manager or an employee, type and
press buttons, and read the bot's replies, under `make run` without a bot token.

Each message or press becomes the Update Telegram would make (infra/local/fakes/telegram's
people side: the message with its chat, sender and `bot_command` entities, the callback query
with the message as it stands) and is delivered the way Telegram delivers it: POSTed to the
webhook set with `setWebhook`, i.e. this server's `POST /telegram/webhook` with the secret
token, where the local API Gateway hands it to the real `telegram_webhook` function. What the
chat shows is what the local Telegram recorded: the bot's messages and edits, its toasts.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.local.fakes.telegram import FakeTelegram, ScriptedFailure
from infra.local.fakes.telegram.inbox import CapturedMessage
from infra.local.fakes.telegram.people import ChatEvent
from infra.local.system import LocalSystem
from infra.local.telegram_panel import panel_page
from shared.models import Cafe, Role, User

# Who types in a cafe's group chat: the cafe's administrator (not one of the office's people).
CAFE_ADMIN = {"id": 7000001, "is_bot": False, "first_name": "Анна", "last_name": "Кузнецова"}
# Group chats made on the page, not linked to any cafe yet (-100… ids are supergroups).
NEW_CHAT_BASE = -1002000000000
# A link to the bot that carries a start parameter: Telegram opens it as "/start <parameter>".
DEEP_LINK = re.compile(r"^(?:https?://)?t\.me/[A-Za-z0-9_]{3,32}\?start=([A-Za-z0-9_-]{1,64})$")


@dataclass(frozen=True)
class Seat:
    """A chat to play and the person who types in it."""

    chat: dict[str, Any]
    user: dict[str, Any]
    label: str
    group: str
    note: str
    bot_removed: bool = False

    @property
    def key(self) -> int:
        return int(self.chat["id"])

    @property
    def is_group(self) -> bool:
        return self.chat["type"] in {"group", "supergroup"}

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "label": self.label,
            "group": self.group,
            "note": self.note,
            "is_group": self.is_group,
            "bot_removed": self.bot_removed,
        }


# Telegram's limit on a text message.
MAX_TEXT = 4096


class TypedIn(BaseModel):
    text: str
    english: bool = False


class MembershipIn(BaseModel):
    member: bool


class PressedIn(BaseModel):
    message_id: int
    data: str = Field(max_length=64)
    english: bool = False


@dataclass
class Chats:
    """The chats one can play, read from the demo data, plus the new group chats made here."""

    system: LocalSystem
    sessions: async_sessionmaker[AsyncSession]
    new_chats: list[dict[str, Any]] = field(default_factory=list)
    # Groups the bot was removed from: the local Telegram refuses its sends there until it is back.
    removed: dict[int, ScriptedFailure] = field(default_factory=dict)

    @property
    def fake(self) -> FakeTelegram | None:
        return self.system.capture

    async def seats(self) -> list[Seat]:
        async with self.sessions() as session:
            cafes = list(await session.scalars(select(Cafe).order_by(Cafe.id)))
            people = list(await session.scalars(select(User).order_by(User.tgid)))
        made_here = {chat["id"]: chat for chat in self.new_chats}
        seats = [*self._groups(cafes, made_here), *self._people(people)]
        return [
            replace(seat, note=f"{seat.note}, bot removed", bot_removed=True)
            if seat.key in self.removed
            else seat
            for seat in seats
        ]

    def _groups(self, cafes: list[Cafe], made_here: dict[int, dict[str, Any]]) -> list[Seat]:
        seats: list[Seat] = []
        for cafe in cafes:
            if cafe.tg_chat_id is None:
                continue
            chat = made_here.pop(cafe.tg_chat_id, None) or {
                "id": cafe.tg_chat_id,
                "type": "supergroup",
                "title": f"{cafe.name} · заказы",
                **({"username": cafe.tg_username} if cafe.tg_username else {}),
            }
            seats.append(
                Seat(chat, CAFE_ADMIN, chat["title"], "Cafe chats", f"linked to «{cafe.name}»")
            )
        for chat in made_here.values():
            seats.append(Seat(chat, CAFE_ADMIN, chat["title"], "Cafe chats", "not linked yet"))
        return seats

    @staticmethod
    def _people(people: list[User]) -> list[Seat]:
        seats: list[Seat] = []
        for person in people:
            first, _, last = person.name.partition(" ")
            user = {"id": person.tgid, "is_bot": False, "first_name": first or person.name}
            if last:
                user["last_name"] = last
            chat = {"id": person.tgid, "type": "private", "first_name": user["first_name"]}
            if last:
                chat["last_name"] = last
            role = "manager" if person.role == Role.MANAGER else "employee"
            note = f"{role}, private chat with the bot"
            if not person.is_active:
                note += " (inactive)"
            seats.append(Seat(chat, user, person.name, "People", note))
        return seats

    async def seat(self, chat_id: int) -> Seat | None:
        return next((s for s in await self.seats() if s.key == chat_id), None)

    def new_chat(self) -> dict[str, Any]:
        number = len(self.new_chats) + 1
        chat = {"id": NEW_CHAT_BASE - number, "type": "supergroup", "title": f"Новое кафе {number}"}
        self.new_chats.append(chat)
        return chat


def _person(seat: Seat, english: bool) -> dict[str, Any]:
    """The sender as Telegram describes them; their app's language decides the bot's."""
    return {**seat.user, "language_code": "en" if english else "ru"}


def as_typed(text: str) -> str:
    """What the chat gets: opening a t.me link to the bot sends `/start <parameter>`."""
    link = DEEP_LINK.match(text.strip())
    return f"/start {link.group(1)}" if link else text.strip()


def event_view(event: ChatEvent) -> dict[str, Any]:
    """One history line for the page: safe HTML, the inline keyboard as buttons."""
    view: dict[str, Any] = {"kind": event.kind, "note": event.note}
    if event.kind == "bot" and event.message is not None:
        shown = CapturedMessage(0, 0, event.text, event.parse_mode, 0.0)
        view["html"] = shown.safe_html() if event.text else "<i>(a file)</i>"
        view["message_id"] = event.message["message_id"]
        view["edited"] = event.edited
        rows = (event.message.get("reply_markup") or {}).get("inline_keyboard") or []
        view["keyboard"] = [[_button(b) for b in row] for row in rows]
        # In groups the bot answers as a reply: Telegram shows the message it answers above.
        replied = event.message.get("reply_to_message")
        if isinstance(replied, dict):
            author = replied.get("from", {}).get("first_name", "")
            view["quote"] = {"from": author, "text": str(replied.get("text", "")).split("\n")[0]}
    elif event.kind == "user" and event.message is not None:
        view["html"] = html.escape(event.text).replace("\n", "<br>")
        view["from"] = event.message["from"].get("first_name", "")
    else:
        view["text"] = event.text
        view["alert"] = event.alert
    return view


def _button(button: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {"text": button.get("text", "")}
    if "callback_data" in button:
        shown["data"] = button["callback_data"]
    elif "url" in button or "web_app" in button:
        shown["url"] = button.get("url") or button["web_app"].get("url", "")
    return shown


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def set_webhook(fake: FakeTelegram, url: str, secret: str) -> None:
    """Point the local Telegram at this server's webhook route, as a deployment's `setWebhook`."""
    body = json.dumps({"url": url, "secret_token": secret}).encode()
    request = urllib.request.Request(  # the local Telegram on 127.0.0.1
        f"{fake.api_url}/setWebhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


def register(
    shell: FastAPI, system: LocalSystem, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The Telegram panel's page and its JSON routes, on the local app."""
    chats = Chats(system, sessions)
    secret = system.settings.telegram_webhook_secret.get_secret_value()

    async def deliver(request: Request, update: dict[str, Any]) -> str:
        fake = chats.fake
        assert fake is not None
        url = f"{str(request.base_url).rstrip('/')}/telegram/webhook"
        if (fake.webhook or {}).get("url") != url:
            await asyncio.to_thread(set_webhook, fake, url, secret)
        return await asyncio.to_thread(fake.deliver, update)

    async def delivered(request: Request, seat: Seat, update: dict[str, Any]) -> JSONResponse:
        """Deliver the update; answer it, what became of it and the chat as it is now."""
        delivery = await deliver(request, update)
        # The update may have changed what the chat is (linked, unlinked): read it again.
        seat = await chats.seat(seat.key) or seat
        return JSONResponse({"update": update, "delivery": delivery, **history(seat)})

    def history(seat: Seat) -> dict[str, Any]:
        fake = chats.fake
        assert fake is not None
        events = [event_view(e) for e in fake.chat_history(seat.key)]
        return {"chat": seat.summary(), "events": events}

    @shell.get("/dev/telegram", response_class=HTMLResponse)
    async def telegram_panel() -> HTMLResponse:
        return HTMLResponse(panel_page(available=chats.fake is not None))

    @shell.get("/dev/telegram/chats")
    async def list_chats() -> JSONResponse:
        return JSONResponse([seat.summary() for seat in await chats.seats()])

    @shell.post("/dev/telegram/chats")
    async def add_chat(request: Request) -> JSONResponse:
        """A new group with the bot added to it: a cafe's chat that is not linked yet."""
        if chats.fake is None:
            return _problem(409, "A real bot token is set: use Telegram itself")
        chat = chats.new_chat()
        update = chats.fake.bot_membership(chat, CAFE_ADMIN)
        delivery = await deliver(request, update)
        return JSONResponse({"chat": chat, "update": update, "delivery": delivery}, 201)

    @shell.get("/dev/telegram/chats/{chat_id}")
    async def chat_history(chat_id: int) -> JSONResponse:
        seat = await chats.seat(chat_id)
        if seat is None or chats.fake is None:
            return _problem(404, f"No chat {chat_id} to play: pick one from the list")
        return JSONResponse(history(seat))

    @shell.post("/dev/telegram/chats/{chat_id}/messages")
    async def send(chat_id: int, typed: TypedIn, request: Request) -> JSONResponse:
        """The person of this chat sends a message; the bot's update is delivered."""
        seat = await chats.seat(chat_id)
        if seat is None or chats.fake is None:
            return _problem(404, f"No chat {chat_id} to play: pick one from the list")
        text = as_typed(typed.text)
        if not text:
            return _problem(400, "Type a message or a command first")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            return _problem(400, f"A Telegram message holds at most {MAX_TEXT} characters")
        update = chats.fake.user_sends(seat.chat, _person(seat, typed.english), text)
        return await delivered(request, seat, update)

    @shell.post("/dev/telegram/chats/{chat_id}/membership")
    async def membership(chat_id: int, change: MembershipIn, request: Request) -> JSONResponse:
        """Remove the bot from a group (its sends there fail as Telegram's do) or add it back."""
        seat = await chats.seat(chat_id)
        fake = chats.fake
        if seat is None or fake is None:
            return _problem(404, f"No chat {chat_id} to play: pick one from the list")
        if not seat.is_group:
            return _problem(400, "Only a group has the bot as a member: pick a cafe's chat")
        if change.member == (chat_id not in chats.removed):
            return _problem(
                409,
                "The bot is in this chat already"
                if change.member
                else "The bot was removed from this chat already",
            )
        if change.member:
            chats.removed.pop(chat_id).cancel()
            update = fake.bot_membership(seat.chat, CAFE_ADMIN, old="kicked", new="member")
        else:
            chats.removed[chat_id] = fake.block_chat(chat_id)
            update = fake.bot_membership(seat.chat, CAFE_ADMIN, old="member", new="kicked")
        return await delivered(request, seat, update)

    @shell.post("/dev/telegram/chats/{chat_id}/presses")
    async def press(chat_id: int, pressed: PressedIn, request: Request) -> JSONResponse:
        """The person presses an inline button under one of the bot's messages."""
        seat = await chats.seat(chat_id)
        if seat is None or chats.fake is None:
            return _problem(404, f"No chat {chat_id} to play: pick one from the list")
        try:
            update = chats.fake.user_presses(
                seat.key, pressed.message_id, _person(seat, pressed.english), pressed.data
            )
        except LookupError:
            return _problem(409, "That button is no longer under the message: reload the chat")
        return await delivered(request, seat, update)
