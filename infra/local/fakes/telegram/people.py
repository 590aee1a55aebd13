"""The people's side of the chats: what they type and press, kept as Telegram keeps it and
turned into updates for the bot, delivered to the webhook as Telegram delivers them, and each
chat's history as its members see it.

* ``user_sends`` stores a person's text message in the chat (its ``message_id`` counts on from
  the bot's messages there) and makes the ``message`` update, with ``bot_command`` entities;
* ``user_presses`` makes the ``callback_query`` update for an inline button of a bot's message,
  carrying that message as it stands now; a button the message does not have cannot be pressed;
* ``bot_membership`` makes the ``my_chat_member`` update of the bot added to (or removed from)
  a group;
* ``deliver`` POSTs an update to the URL given to ``setWebhook``, with its ``secret_token`` in
  ``X-Telegram-Bot-Api-Secret-Token``; in a group a bot in privacy mode gets only commands
  and replies to its own messages, as in Telegram;
* ``chat_history`` lists what a chat shows: people's messages, the bot's messages as they are
  now (edits applied, deleted ones gone), the toasts of ``answerCallbackQuery``.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Literal

from infra.local.fakes.telegram.html import _u16
from infra.local.fakes.telegram.protocol import ChatKey, JSONDict
from infra.local.fakes.telegram.state import TelegramState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A command anywhere in the text, as Telegram's clients mark it: /name or /name@bot.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
# The methods that put a new message of the bot's in a chat.
_SENDING = frozenset({"sendMessage", "sendDocument", "sendPhoto"})

type EventKind = Literal["user", "bot", "press", "toast", "service"]


def command_entities(text: str) -> list[JSONDict]:
    """The ``bot_command`` entities Telegram adds to a text (offsets in UTF-16 units)."""
    return [
        {"offset": _u16(text[: m.start()]), "length": _u16(m.group()), "type": "bot_command"}
        for m in _COMMAND.finditer(text)
    ]


@dataclass
class _Incoming:
    """An update people caused, and what became of its delivery."""

    at: float
    chat_id: ChatKey
    update: JSONDict
    label: str
    delivery: str | None = None


@dataclass(frozen=True)
class ChatEvent:
    """One line of a chat's history, as its members see it; ``at`` is ``time.monotonic()``."""

    at: float
    kind: EventKind
    text: str
    parse_mode: str | None = None
    message: JSONDict | None = None
    edited: bool = False
    alert: bool = False
    note: str | None = None


class PeopleSide(TelegramState):
    """Telegram's side facing people: their messages and presses become the bot's updates."""

    def _init_state(self) -> None:
        super()._init_state()
        self._incoming: list[_Incoming] = []
        self._query_chats: dict[str, ChatKey] = {}
        self._query_ids = itertools.count(1)

    def _next_update(self, body: JSONDict) -> JSONDict:
        update = {"update_id": self._next_update_id, **body}
        self._next_update_id += 1
        return update

    def _log(self, chat_id: ChatKey, update: JSONDict, label: str) -> JSONDict:
        self._incoming.append(_Incoming(time.monotonic(), chat_id, update, label))
        self._changed.notify_all()
        return copy.deepcopy(update)

    def user_sends(self, chat: JSONDict, user: JSONDict, text: str) -> JSONDict:
        """``user`` writes ``text`` in ``chat``: the message is stored, its update returned."""
        key: ChatKey = chat["id"]
        with self._changed:
            self._chats.setdefault(key, dict(chat))
            message_id = self._next_message_id.get(key, 1)
            self._next_message_id[key] = message_id + 1
            message: JSONDict = {
                "message_id": message_id,
                "from": dict(user),
                "chat": dict(chat),
                "date": int(time.time()),
                "text": text,
            }
            if entities := command_entities(text):
                message["entities"] = entities
            self._messages[(key, message_id)] = message
            return self._log(key, self._next_update({"message": copy.deepcopy(message)}), text)

    def user_presses(
        self, chat_id: ChatKey, message_id: int, user: JSONDict, data: str
    ) -> JSONDict:
        """``user`` presses the button with ``data`` under the bot's message: its update
        (``LookupError`` if the message is gone or has no such button any more)."""
        with self._changed:
            stored = self._messages.get((chat_id, message_id))
            if stored is None:
                msg = f"message {message_id} is not in chat {chat_id}"
                raise LookupError(msg)
            rows = (stored.get("reply_markup") or {}).get("inline_keyboard") or []
            button = next((b for row in rows for b in row if b.get("callback_data") == data), None)
            if button is None:
                msg = f"message {message_id} has no button {data!r}"
                raise LookupError(msg)
            query_id = f"{user['id']}{next(self._query_ids):08d}"
            self._query_chats[query_id] = chat_id
            query = {
                "id": query_id,
                "from": dict(user),
                "message": copy.deepcopy(stored),
                "chat_instance": str(abs(hash((chat_id, self.bot_id))) % 10**18),
                "data": data,
            }
            return self._log(chat_id, self._next_update({"callback_query": query}), button["text"])

    def bot_membership(
        self, chat: JSONDict, user: JSONDict, old: str = "left", new: str = "member"
    ) -> JSONDict:
        """``user`` adds the bot to ``chat`` (or removes it: ``new="left"``): the update."""

        def member(status: str) -> JSONDict:
            bot = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
            state: JSONDict = {"user": bot, "status": status}
            if status == "kicked":
                state["until_date"] = 0
            return state

        change = {
            "chat": dict(chat),
            "from": dict(user),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        with self._changed:
            self._chats.setdefault(chat["id"], dict(chat))
            verb = "added" if new in {"member", "administrator"} else "removed"
            label = f"{user.get('first_name', 'Someone')} {verb} the bot"
            return self._log(chat["id"], self._next_update({"my_chat_member": change}), label)

    def deliver(self, update: JSONDict, *, timeout: float = 120) -> str:
        """Hand ``update`` to the bot as Telegram would; what became of it, in a few words."""
        message = update.get("message")
        # A bot in privacy mode hears only commands and replies to itself in a group.
        if (
            isinstance(message, dict)
            and message["chat"]["type"] in {"group", "supergroup"}
            and not self.bot_user.get("can_read_all_group_messages")
            and not any(e["type"] == "bot_command" for e in message.get("entities", []))
            and (message.get("reply_to_message") or {}).get("from", {}).get("id") != self.bot_id
        ):
            return self._delivered(update, "not delivered: in groups the bot sees only commands")
        with self._lock:
            webhook = None if self._webhook is None else dict(self._webhook)
        if webhook is None:  # the bot polls: getUpdates hands it over
            with self._changed:
                self._updates.append(copy.deepcopy(update))
                self._changed.notify_all()
            return self._delivered(update, "queued for getUpdates")
        request = urllib.request.Request(  # the URL the bot's owner set
            str(webhook["url"]),
            data=json.dumps(update, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        if webhook.get("secret_token"):
            request.add_header(SECRET_HEADER, str(webhook["secret_token"]))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                status = int(answer.status)
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            return self._delivered(update, f"webhook unreachable: {error}")
        return self._delivered(update, f"webhook answered {status}")

    def _delivered(self, update: JSONDict, outcome: str) -> str:
        with self._changed:
            for incoming in self._incoming:
                if incoming.update["update_id"] == update["update_id"]:
                    incoming.delivery = outcome
            self._changed.notify_all()
        return outcome

    def chat_history(self, chat_id: ChatKey) -> list[ChatEvent]:
        """What ``chat_id`` shows, oldest first."""
        events: list[ChatEvent] = []
        with self._lock:
            for incoming in self._incoming:
                if incoming.chat_id == chat_id:
                    events.append(self._incoming_event(incoming))
            texts: dict[int, tuple[str, str | None]] = {}
            sent: list[tuple[float, int]] = []
            edited: set[int] = set()
            for request in self._requests:
                if not request.ok:
                    continue
                if request.method == "answerCallbackQuery":
                    query_id = str(request.params.get("callback_query_id"))
                    text = request.params.get("text")
                    if self._query_chats.get(query_id) == chat_id and text:
                        alert = bool(request.params.get("show_alert"))
                        events.append(ChatEvent(request.at, "toast", str(text), alert=alert))
                    continue
                if request.chat_id != chat_id or not isinstance(request.result, dict):
                    continue
                message_id = int(request.result.get("message_id", 0))
                if request.method in _SENDING:
                    sent.append((request.at, message_id))
                if request.method in {"sendMessage", "editMessageText"}:
                    params = request.params
                    texts[message_id] = (str(params.get("text", "")), params.get("parse_mode"))
                if request.method in {"editMessageText", "editMessageCaption"}:
                    # Clients mark a message "edited" when its text changes, not its buttons.
                    edited.add(message_id)
            for at, message_id in sent:
                stored = self._messages.get((chat_id, message_id))
                if stored is None:  # deleted
                    continue
                text, parse_mode = texts.get(message_id, (str(stored.get("caption", "")), None))
                events.append(
                    ChatEvent(
                        at,
                        "bot",
                        text,
                        parse_mode=parse_mode,
                        message=copy.deepcopy(stored),
                        edited=message_id in edited,
                    )
                )
        return sorted(events, key=lambda event: event.at)

    def _incoming_event(self, incoming: _Incoming) -> ChatEvent:
        update = incoming.update
        outcome = incoming.delivery
        failed = outcome if outcome and "answered 200" not in outcome else None
        if "message" in update:
            message_id = update["message"]["message_id"]
            stored = self._messages.get((incoming.chat_id, message_id), update["message"])
            return ChatEvent(
                incoming.at, "user", incoming.label, message=copy.deepcopy(stored), note=failed
            )
        if "callback_query" in update:
            return ChatEvent(incoming.at, "press", incoming.label, note=failed)
        return ChatEvent(incoming.at, "service", incoming.label, note=failed)
