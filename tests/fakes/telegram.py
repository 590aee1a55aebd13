"""A fake Telegram Bot API: a real local HTTP server speaking the Bot API protocol.

It runs a ``ThreadingHTTPServer`` in a background thread, so it serves sync tests, async
tests and code that runs its own event loop alike. Point python-telegram-bot at it with
``Bot(fake.token, base_url=fake.base_url)`` (PTB appends the token to ``base_url``).

What it does, as ``api.telegram.org`` does:

* ``POST`` or ``GET`` ``/bot<token>/<method>`` with form-encoded, multipart (PTB's
  uploads) or JSON bodies; method names are case-insensitive;
* answers ``{"ok": true, "result": ...}`` with full objects: ``sendMessage`` returns a
  ``Message`` with a ``message_id`` counting up per chat, ``date``, ``chat``, ``from``, the
  text *as Telegram renders it* (HTML parsed into plain text + ``entities``) and the
  inline keyboard echoed back;
* a wrong but well-formed token gets ``401 Unauthorized``, a malformed one and unknown
  methods ``404 Not Found``;
* validates what Telegram validates and answers with Telegram's own error texts: HTML
  markup (``can't parse entities: ...``), empty or too long texts, inline keyboards
  (``BUTTON_DATA_INVALID``, URL buttons to ``localhost``, ``web_app`` buttons outside
  private chats, ``http://`` Web App URLs), "message is not modified", answering a
  callback query twice, ``getUpdates`` while a webhook is set, non-HTTPS webhooks;
* scripted failures (:meth:`FakeTelegram.fail_next`), slow answers
  (:meth:`FakeTelegram.delay_next`) and optional flood control
  (:meth:`FakeTelegram.enforce_rate_limits`);
* records every request (:meth:`FakeTelegram.requests`,
  :meth:`FakeTelegram.sent_messages`).

Not emulated: MarkdownV2/Markdown parsing (such texts are echoed unparsed, without
entities), automatic detection of URLs/mentions/commands in plain text, files download,
and methods not listed in ``FakeTelegram.SUPPORTED_METHODS`` (they get ``404 Not Found``
as unknown methods do; add your own with :meth:`FakeTelegram.set_method_handler`).
"""

from __future__ import annotations

import asyncio
import copy
import email.message
import email.parser
import itertools
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.http import FakeHTTPServer

if TYPE_CHECKING:
    from telegram import Bot

__all__ = [
    "BOT_BLOCKED",
    "BOT_KICKED_GROUP",
    "BOT_KICKED_SUPERGROUP",
    "CHAT_NOT_FOUND",
    "DEFAULT_TOKEN",
    "MESSAGE_NOT_MODIFIED",
    "QUERY_TOO_OLD",
    "FakeTelegram",
    "MethodHandler",
    "RecordedRequest",
    "ScriptedFailure",
    "SentMessage",
    "UploadedFile",
    "callback_query_update",
    "can_t_parse_entities",
    "make_user",
    "message_update",
    "too_many_requests",
]

type JSONDict = dict[str, Any]
type ChatKey = int | str
type MethodHandler = Callable[[JSONDict], Any]

DEFAULT_TOKEN = "7000000001:AAFakeTelegramTokenForLocalTests_001"

# Telegram's error descriptions, verbatim.
BOT_BLOCKED = "Forbidden: bot was blocked by the user"
BOT_KICKED_GROUP = "Forbidden: bot was kicked from the group chat"
BOT_KICKED_SUPERGROUP = "Forbidden: bot was kicked from the supergroup chat"
CHAT_NOT_FOUND = "Bad Request: chat not found"
CHAT_ID_EMPTY = "Bad Request: chat_id is empty"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "Bad Request: message to delete not found"
MESSAGE_ID_EMPTY = "Bad Request: message identifier is not specified"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
BUTTON_TYPE_INVALID = "Bad Request: BUTTON_TYPE_INVALID"
TEXT_BUTTONS_UNALLOWED = (
    "Bad Request: can't parse inline keyboard button: "
    "Text buttons are unallowed in the inline keyboard"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
WEBHOOK_NOT_HTTPS = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
INTERNAL_SERVER_ERROR = "Internal Server Error"

_STATUS_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: INTERNAL_SERVER_ERROR,
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_PATH = re.compile(r"/bot([^/]*)/([^/]*)")

# How form fields are typed when PTB sends them url-encoded / multipart (all strings).
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "menu_button",
        "link_preview_options",
        "reply_parameters",
        "results",
        "media",
        "rights",
        "reaction",
        "options",
        "prices",
        "message_ids",
        "web_app_query",
    }
)
_INT_FIELDS = frozenset(
    {
        "message_id",
        "from_chat_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "reply_to_message_id",
        "message_thread_id",
        "user_id",
        "until_date",
        "duration",
        "width",
        "height",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "is_personal",
        "has_spoiler",
        "disable_content_type_detection",
        "allow_paid_broadcast",
    }
)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_MAX_TEXT = 4096
_MAX_CAPTION = 1024


def too_many_requests(retry_after: int) -> str:
    """Telegram's 429 description for a given ``retry_after``."""
    return f"Too Many Requests: retry after {retry_after}"


def can_t_parse_entities(detail: str) -> str:
    """Telegram's 400 description for markup it cannot parse."""
    return f"Bad Request: can't parse entities: {detail}"


class _ApiError(Exception):
    def __init__(
        self, status: int, description: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = dict(parameters) if parameters else None


def _bad_request(description: str) -> _ApiError:
    return _ApiError(400, description)


@dataclass(frozen=True, slots=True)
class _Described:
    """A successful result that Telegram answers with a ``description`` too."""

    result: Any
    description: str


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file uploaded in a multipart request."""

    field_name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(slots=True)
class RecordedRequest:
    """One request as the fake received it; ``status``/``response`` are set once answered.

    ``params`` are typed as Telegram reads them: ``chat_id`` and ids as ``int`` (a
    ``@channel`` username stays ``str``), ``reply_markup``/``entities``/... JSON-decoded,
    flags as ``bool``. ``at`` is ``time.monotonic()`` at arrival.
    """

    method: str
    params: JSONDict
    at: float
    wall_time: datetime
    http_method: str
    content_type: str
    token: str
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int | None = None
    response: JSONDict | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> ChatKey | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None

    @property
    def result(self) -> Any:
        return None if self.response is None else self.response.get("result")

    @property
    def description(self) -> str | None:
        return None if self.response is None else self.response.get("description")


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message the fake accepted (``sendMessage`` answered ``ok``).

    ``text`` is the text as sent (with its HTML markup); ``rendered_text`` and
    ``entities`` are what Telegram made of it; ``message`` is the full ``Message`` object
    returned.
    """

    chat_id: ChatKey
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: JSONDict | None
    rendered_text: str
    entities: list[JSONDict]
    at: float
    message: JSONDict
    params: JSONDict

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        if self.reply_markup is None:
            return []
        rows = self.reply_markup.get("inline_keyboard", [])
        return rows if isinstance(rows, list) else []

    @property
    def buttons(self) -> list[JSONDict]:
        return [button for row in self.inline_keyboard for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [str(button.get("text", "")) for button in self.buttons]

    @property
    def callback_data(self) -> list[str]:
        return [str(b["callback_data"]) for b in self.buttons if "callback_data" in b]


@dataclass(slots=True)
class ScriptedFailure:
    """A queued failure or delay; returned by :meth:`FakeTelegram.fail_next`.

    ``remaining`` is how many more requests it applies to (``None``: always);
    ``hits`` how many it has answered.
    """

    method: str | None
    chat_id: ChatKey | None
    status: int | None
    description: str | None
    retry_after: int | None
    parameters: JSONDict | None
    delay: float
    raw_body: bytes | None
    remaining: int | None
    hits: int = 0

    @property
    def active(self) -> bool:
        return self.remaining is None or self.remaining > 0

    def cancel(self) -> None:
        self.remaining = 0

    def _matches(self, method: str, chat_id: ChatKey | None) -> bool:
        if not self.active:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id


class _RateLimiter:
    """Sliding windows: overall per second, per chat per second, per group per minute."""

    def __init__(
        self,
        per_second: int | None,
        per_chat_per_second: int | None,
        per_group_per_minute: int | None,
    ) -> None:
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.per_group_per_minute = per_group_per_minute
        self._all: deque[float] = deque()
        self._chat: dict[ChatKey, deque[float]] = {}
        self._group: dict[ChatKey, deque[float]] = {}

    @staticmethod
    def _wait(hits: deque[float], limit: int | None, window: float, now: float) -> float:
        while hits and hits[0] <= now - window:
            hits.popleft()
        if limit is None or len(hits) < limit:
            return 0.0
        return hits[0] + window - now

    def acquire(self, chat: ChatKey, is_group: bool, now: float) -> int | None:
        """Take a slot, or return the ``retry_after`` seconds Telegram would answer."""
        chat_hits = self._chat.setdefault(chat, deque())
        group_hits = self._group.setdefault(chat, deque())
        waits = [
            self._wait(self._all, self.per_second, 1.0, now),
            self._wait(chat_hits, self.per_chat_per_second, 1.0, now),
        ]
        if is_group:
            waits.append(self._wait(group_hits, self.per_group_per_minute, 60.0, now))
        longest = max(waits)
        if longest > 0:
            return max(1, math.ceil(longest))
        self._all.append(now)
        chat_hits.append(now)
        if is_group:
            group_hits.append(now)
        return None


# --------------------------------------------------------------------------------------
# Telegram's HTML parse mode
# --------------------------------------------------------------------------------------

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_html_entity(text: str, start: int) -> tuple[str | None, int]:
    """Decode ``&lt;``/``&#65;``/``&#x41;`` at ``start``; ``(None, start)`` if there is none."""
    end = text.find(";", start + 1, start + 12)
    if end == -1:
        return None, start
    name = text[start + 1 : end]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], end + 1
    try:
        if name.startswith(("#x", "#X")):
            code = int(name[2:], 16)
        elif name.startswith("#"):
            code = int(name[1:], 10)
        else:
            return None, start
        return chr(code), end + 1
    except (ValueError, OverflowError):
        return None, start


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML into (plain text, entities) as Telegram does.

    Raises ``ValueError`` with Telegram's message (the part after "can't parse
    entities: ") when the markup is invalid. Entity offsets/lengths are in UTF-16 code
    units; byte offsets in errors are UTF-8 offsets into ``text``.
    """

    def at(index: int) -> int:
        return len(text[:index].encode())

    out: list[str] = []
    pos = 0  # UTF-16 position in the output
    entities: list[JSONDict] = []
    stack: list[tuple[str, str | None, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded, after = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded)
                pos += _u16(decoded)
                i = after
                continue
        if ch != "<":
            out.append(ch)
            pos += _u16(ch)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise ValueError(f"Unexpected end tag at byte offset {at(begin)}")
            i += 1
            name_start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise ValueError(f"Unclosed end tag at byte offset {at(begin)}")
            i += 1
            tag, open_argument, start = stack[-1]
            if end_name and end_name != tag:
                raise ValueError(
                    f"Unmatched end tag at byte offset {at(begin)}, "
                    f'expected "</{tag}>", found "</{end_name}>"'
                )
            stack.pop()
            if pos > start:
                _close_entity(entities, tag, open_argument, start, pos - start, "".join(out))
            continue

        name_start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise ValueError(f"Unclosed start tag at byte offset {at(begin)}")
        tag = text[name_start:i].lower()
        if tag not in _HTML_TAGS:
            raise ValueError(f'Unsupported start tag "{tag}" at byte offset {at(begin)}')
        argument: str | None = None
        while True:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise ValueError(f'Unclosed start tag "{tag}" at byte offset {at(begin)}')
            if text[i] == ">":
                i += 1
                break
            attr_start = i
            while i < n and not text[i].isspace() and text[i] not in "=>/\"'":
                i += 1
            attr = text[attr_start:i].lower()
            if not attr:
                raise ValueError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {at(begin)}'
                )
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise ValueError(f'Unclosed start tag "{tag}" at byte offset {at(begin)}')
            if text[i] != "=":
                if tag == "blockquote" and attr == "expandable":
                    argument = "expandable"
                continue
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise ValueError(f'Unclosed start tag "{tag}" at byte offset {at(begin)}')
            if text[i] in "\"'":
                quote = text[i]
                i += 1
                chars: list[str] = []
                while i < n and text[i] != quote:
                    if text[i] == "&":
                        decoded, after = _decode_html_entity(text, i)
                        if decoded is not None:
                            chars.append(decoded)
                            i = after
                            continue
                    chars.append(text[i])
                    i += 1
                if i >= n:
                    raise ValueError(f"Unclosed start tag at byte offset {at(begin)}")
                i += 1
                value = "".join(chars)
            else:
                token_start = i
                while i < n and (text[i].isascii() and (text[i].isalnum() or text[i] in ".-")):
                    i += 1
                value = text[token_start:i].lower()
                if i < n and not text[i].isspace() and text[i] != ">":
                    raise ValueError(f"Unexpected end of name token at byte offset {at(i)}")
            if tag == "a" and attr == "href":
                argument = value
            elif tag == "code" and attr == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif tag == "span" and attr == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif tag == "tg-emoji" and attr == "emoji-id":
                argument = value
        if tag == "span" and argument != "spoiler":
            raise ValueError(f'Tag "span" must have class "tg-spoiler" at byte offset {at(begin)}')
        stack.append((tag, argument, pos))
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        entity.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_entity(
    entities: list[JSONDict],
    tag: str,
    argument: str | None,
    offset: int,
    length: int,
    plain_so_far: str,
) -> None:
    if tag in _SIMPLE_ENTITY:
        entity: JSONDict = {"offset": offset, "length": length, "type": _SIMPLE_ENTITY[tag]}
        if tag == "code" and argument:
            entity["_language"] = argument
        entities.append(entity)
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
        ):
            language = last.pop("_language", None)
            last["type"] = "pre"
            if language:
                last["language"] = language
        else:
            entities.append({"offset": offset, "length": length, "type": "pre"})
    elif tag == "a":
        url = argument if argument is not None else _utf16_slice(plain_so_far, offset, length)
        if url:
            entities.append({"offset": offset, "length": length, "type": "text_link", "url": url})
    elif tag == "blockquote":
        kind = "expandable_blockquote" if argument == "expandable" else "blockquote"
        entities.append({"offset": offset, "length": length, "type": kind})
    elif tag == "tg-emoji":
        if not argument or not argument.isdigit():
            raise ValueError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "offset": offset,
                "length": length,
                "type": "custom_emoji",
                "custom_emoji_id": argument,
            }
        )


def _utf16_slice(text: str, offset: int, length: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[offset * 2 : (offset + length) * 2].decode("utf-16-le")


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace as Telegram does, keeping entities aligned."""
    stripped_left = text.lstrip()
    shift = _u16(text) - _u16(stripped_left)
    stripped = stripped_left.rstrip()
    total = _u16(stripped)
    result: list[JSONDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(total, entity["offset"] + entity["length"] - shift)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


# --------------------------------------------------------------------------------------
# Update builders (for getUpdates / webhook tests)
# --------------------------------------------------------------------------------------

_update_ids = itertools.count(100_000)
_query_ids = itertools.count(1)


def make_user(
    user_id: int,
    *,
    first_name: str = "Test",
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "ru",
    is_bot: bool = False,
) -> JSONDict:
    """A ``User`` object as it appears in updates."""
    user: JSONDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name is not None:
        user["last_name"] = last_name
    if username is not None:
        user["username"] = username
    if language_code is not None:
        user["language_code"] = language_code
    return user


def _default_chat(chat_id: ChatKey) -> JSONDict:
    if isinstance(chat_id, str):
        return {"id": -1001000000000, "title": chat_id.lstrip("@"), "type": "channel"}
    if chat_id > 0:
        return {"id": chat_id, "first_name": "Test", "type": "private"}
    if str(chat_id).startswith("-100"):
        return {"id": chat_id, "title": f"Group {chat_id}", "type": "supergroup"}
    return {"id": chat_id, "title": f"Group {chat_id}", "type": "group"}


def message_update(
    chat_id: int,
    text: str,
    *,
    from_user: JSONDict | None = None,
    message_id: int = 1,
    date: int | None = None,
    update_id: int | None = None,
    entities: Sequence[JSONDict] | None = None,
) -> JSONDict:
    """An ``Update`` with a text ``message`` from a user (``/start`` gets its entity)."""
    user = from_user or make_user(chat_id if chat_id > 0 else 1)
    chat = _default_chat(chat_id)
    if chat["type"] == "private":
        chat = {"id": chat_id, "first_name": user["first_name"], "type": "private"}
        if "username" in user:
            chat["username"] = user["username"]
    message: JSONDict = {
        "message_id": message_id,
        "from": user,
        "chat": chat,
        "date": date if date is not None else int(time.time()),
        "text": text,
    }
    if entities is not None:
        message["entities"] = list(entities)
    elif text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"offset": 0, "length": _u16(command), "type": "bot_command"}]
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "message": message,
    }


def callback_query_update(
    chat_id: int,
    data: str,
    *,
    message_id: int,
    from_user: JSONDict | None = None,
    message_text: str = "",
    bot_user: JSONDict | None = None,
    query_id: str | None = None,
    update_id: int | None = None,
) -> JSONDict:
    """An ``Update`` with a ``callback_query`` for a button on a bot's message."""
    user = from_user or make_user(chat_id if chat_id > 0 else 1)
    bot = bot_user or {"id": 7000000001, "is_bot": True, "first_name": "Lunch Bot"}
    message: JSONDict = {
        "message_id": message_id,
        "from": bot,
        "chat": _default_chat(chat_id),
        "date": int(time.time()),
        "text": message_text,
    }
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "callback_query": {
            "id": query_id or f"{user['id']}{next(_query_ids):06d}",
            "from": user,
            "message": message,
            "chat_instance": str(abs(chat_id) * 7919),
            "data": data,
        },
    }


# --------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------


class _Server(FakeHTTPServer):
    def __init__(self, address: tuple[str, int], fake: FakeTelegram) -> None:
        self.fake = fake
        super().__init__(address, _Handler, fake._stopping)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self._serve("POST")

    def do_GET(self) -> None:
        self._serve("GET")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, verb: str) -> None:
        body = self._read_body()
        status, content_type, payload = self.server.fake._handle_http(
            verb, self.path, self.headers.get("Content-Type", ""), body
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


def _parse_multipart(content_type: str, body: bytes) -> tuple[JSONDict, dict[str, UploadedFile]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser().parsebytes(head + body)
    fields: JSONDict = {}
    files: dict[str, UploadedFile] = {}
    parts = message.get_payload()
    if not isinstance(parts, list):
        return fields, files
    for part in parts:
        if not isinstance(part, email.message.Message):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = UploadedFile(name, filename, part.get_content_type(), data)
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


def _type_form_value(name: str, value: str) -> Any:
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            if name == "reply_markup":
                raise _bad_request(
                    "Bad Request: can't parse reply keyboard markup JSON object"
                ) from exc
            raise _bad_request(f"Bad Request: can't parse {name} JSON object") from exc
    if name in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if name in _BOOL_FIELDS and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return value


def _normalize_params(params: JSONDict, *, typed: bool) -> JSONDict:
    out: JSONDict = {}
    for name, value in params.items():
        if not typed and isinstance(value, str):
            value = _type_form_value(name, value)
        if (
            name in {"chat_id", "from_chat_id"}
            and isinstance(value, str)
            and re.fullmatch(r"-?\d+", value)
        ):
            value = int(value)
        out[name] = value
    return out


def _chat_key(value: Any) -> ChatKey | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value:
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    return None


def _counts_for_flood_control(method: str) -> bool:
    return (method.startswith("send") and method != "sendChatAction") or method in {
        "forwardMessage",
        "copyMessage",
        "forwardMessages",
        "copyMessages",
    }


def _json_bytes(payload: JSONDict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


# --------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------


class FakeTelegram:
    """A fake Telegram Bot API server on ``127.0.0.1`` (a free port by default).

    Use as a context manager, or ``start()``/``stop()``. All methods are thread-safe.
    """

    SUPPORTED_METHODS: tuple[str, ...] = (
        "getMe",
        "logOut",
        "close",
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "sendChatAction",
        "sendDocument",
        "sendPhoto",
        "answerCallbackQuery",
        "getChat",
        "getUpdates",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "setChatMenuButton",
        "getChatMenuButton",
    )

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_first_name: str = "Lunch Bot",
        bot_username: str = "lunch_test_bot",
        require_known_chats: bool = False,
        validate_urls: bool = True,
    ) -> None:
        if not _TOKEN_SHAPE.fullmatch(token):
            msg = f"not a Telegram bot token: {token!r}"
            raise ValueError(msg)
        self.token = token
        self.host = host
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.require_known_chats = require_known_chats
        self.validate_urls = validate_urls
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._custom_handlers: dict[str, MethodHandler] = {}
        self._chats: dict[ChatKey, JSONDict] = {}
        self._init_state()

    def _init_state(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._failures: list[ScriptedFailure] = []
        self._limiter: _RateLimiter | None = None
        self._messages: dict[tuple[ChatKey, int], JSONDict] = {}
        self._deleted: set[tuple[ChatKey, int]] = set()
        self._next_message_id: dict[ChatKey, int] = {}
        self._answered_queries: set[str] = set()
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._webhook: JSONDict | None = None
        self._commands: dict[str, list[JSONDict]] = {}
        self._menu_buttons: dict[ChatKey | None, JSONDict] = {}
        self.server_errors: list[BaseException] = []

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-telegram:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            msg = "FakeTelegram is not started"
            raise RuntimeError(msg)
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass as PTB's ``Bot(base_url=...)``: ends with ``/bot``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def api_url(self) -> str:
        """``<url>/bot<token>``: append ``/<method>`` for raw HTTP calls."""
        return f"{self.base_url}{self.token}"

    def make_bot(self, **kwargs: Any) -> Bot:
        """A ``telegram.Bot`` pointed at this fake (extra kwargs go to ``Bot``)."""
        from telegram import Bot  # imported here: the fake itself does not need PTB

        return Bot(self.token, base_url=self.base_url, base_file_url=self.base_file_url, **kwargs)

    # ---------------------------------------------------------------- scripting

    def fail_next(
        self,
        method: str | None,
        status: int,
        description: str | None = None,
        *,
        chat_id: ChatKey | None = None,
        times: int | None = 1,
        retry_after: int | None = None,
        parameters: Mapping[str, Any] | None = None,
        delay: float = 0.0,
        raw_body: bytes | None = None,
    ) -> ScriptedFailure:
        """Answer the next ``times`` matching requests (``None``: all) with an error.

        ``method`` ``None`` matches every method; ``chat_id`` restricts to requests for
        that chat. ``description`` defaults to Telegram's text for the status (for 429:
        ``"Too Many Requests: retry after N"`` with ``parameters.retry_after``, N
        defaulting to 1). ``raw_body`` answers that body verbatim (e.g. the HTML page of
        a proxy's 502). Failures are matched in the order they were queued.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = too_many_requests(retry_after or 1)
            else:
                description = _STATUS_DESCRIPTIONS.get(status, "Unknown error")
        params = dict(parameters) if parameters else None
        if retry_after is not None:
            params = {**(params or {}), "retry_after": retry_after}
        failure = ScriptedFailure(
            method=method,
            chat_id=_chat_key(chat_id) if chat_id is not None else None,
            status=status,
            description=description,
            retry_after=retry_after,
            parameters=params,
            delay=delay,
            raw_body=raw_body,
            remaining=times,
        )
        with self._lock:
            self._failures.append(failure)
        return failure

    def delay_next(
        self,
        method: str | None,
        seconds: float,
        *,
        chat_id: ChatKey | None = None,
        times: int | None = 1,
    ) -> ScriptedFailure:
        """Answer the next ``times`` matching requests normally, but ``seconds`` late."""
        failure = ScriptedFailure(
            method=method,
            chat_id=_chat_key(chat_id) if chat_id is not None else None,
            status=None,
            description=None,
            retry_after=None,
            parameters=None,
            delay=seconds,
            raw_body=None,
            remaining=times,
        )
        with self._lock:
            self._failures.append(failure)
        return failure

    def block_chat(self, chat_id: int) -> ScriptedFailure:
        """From now on every request to ``chat_id`` fails as Telegram's would.

        Private chats: "bot was blocked by the user"; groups/supergroups: "bot was
        kicked from the group/supergroup chat".
        """
        chat_type = self._chat(chat_id)["type"]
        description = {
            "private": BOT_BLOCKED,
            "group": BOT_KICKED_GROUP,
        }.get(chat_type, BOT_KICKED_SUPERGROUP)
        return self.fail_next(None, 403, description, chat_id=chat_id, times=None)

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def enforce_rate_limits(
        self,
        per_second: int | None = 30,
        per_chat_per_second: int | None = 1,
        per_group_per_minute: int | None = 20,
    ) -> None:
        """Answer 429 with ``retry_after`` past Telegram's broadcast limits.

        The defaults are the documented ones: about 30 messages per second overall, one
        per second per chat, 20 per minute per group. Windows slide; only sending
        methods (``send*`` but ``sendChatAction``, ``forward*``, ``copy*``) count.
        ``None`` disables a limit.
        """
        with self._lock:
            self._limiter = _RateLimiter(per_second, per_chat_per_second, per_group_per_minute)

    def disable_rate_limits(self) -> None:
        with self._lock:
            self._limiter = None

    def set_method_handler(self, method: str, handler: MethodHandler | None) -> None:
        """Serve ``method`` with ``handler(params) -> result`` (``None`` removes it).

        The handler may raise ``ValueError("Bad Request: ...")`` to answer 400.
        """
        with self._lock:
            if handler is None:
                self._custom_handlers.pop(method.lower(), None)
            else:
                self._custom_handlers[method.lower()] = handler

    # ---------------------------------------------------------------- chats & updates

    def add_chat(
        self,
        chat_id: int,
        *,
        type: str | None = None,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> JSONDict:
        """Declare a chat (its ``Chat`` object in messages); makes it "known"."""
        chat = _default_chat(chat_id)
        if type is not None:
            chat["type"] = type
        for key, value in (
            ("title", title),
            ("username", username),
            ("first_name", first_name),
            ("last_name", last_name),
        ):
            if value is not None:
                chat[key] = value
        if chat["type"] == "private":
            chat.pop("title", None)
        else:
            chat.pop("first_name", None)
        with self._lock:
            self._chats[chat_id] = chat
        return dict(chat)

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue an update for ``getUpdates``; assigns ``update_id`` when missing."""
        with self._changed:
            item = dict(update)
            if "update_id" not in item:
                item["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, int(item["update_id"]) + 1)
            message = item.get("message") or item.get("edited_message")
            if isinstance(message, dict):
                chat = _chat_key(message.get("chat", {}).get("id"))
                message_id = message.get("message_id")
                if chat is not None and isinstance(message_id, int):
                    current = self._next_message_id.get(chat, 1)
                    self._next_message_id[chat] = max(current, message_id + 1)
            self._updates.append(item)
            self._changed.notify_all()
            return int(item["update_id"])

    def pending_updates(self) -> list[JSONDict]:
        with self._lock:
            return [dict(u) for u in self._updates]

    @property
    def webhook(self) -> JSONDict | None:
        with self._lock:
            return None if self._webhook is None else dict(self._webhook)

    def message(self, chat_id: ChatKey, message_id: int) -> JSONDict | None:
        """The current state of a message the bot sent (after edits), if any."""
        key = _chat_key(chat_id)
        with self._lock:
            stored = self._messages.get((key, message_id)) if key is not None else None
            return None if stored is None else copy.deepcopy(stored)

    # ---------------------------------------------------------------- recordings

    def requests(self, method: str | None = None) -> list[RecordedRequest]:
        """All requests (in arrival order), or those for ``method``."""
        with self._lock:
            if method is None:
                return list(self._requests)
            lowered = method.lower()
            return [r for r in self._requests if r.method.lower() == lowered]

    def sent_messages(self, chat_id: ChatKey | None = None) -> list[SentMessage]:
        """Messages accepted by ``sendMessage`` (optionally for one chat), in order."""
        key = _chat_key(chat_id) if chat_id is not None else None
        out: list[SentMessage] = []
        for req in self.requests("sendMessage"):
            if not req.ok or not isinstance(req.result, dict):
                continue
            message = req.result
            if key is not None and req.chat_id != key:
                continue
            markup = req.params.get("reply_markup")
            out.append(
                SentMessage(
                    chat_id=req.chat_id if req.chat_id is not None else message["chat"]["id"],
                    message_id=int(message["message_id"]),
                    text=str(req.params.get("text", "")),
                    parse_mode=req.params.get("parse_mode"),
                    reply_markup=markup if isinstance(markup, dict) else None,
                    rendered_text=str(message.get("text", "")),
                    entities=list(message.get("entities", [])),
                    at=req.at,
                    message=message,
                    params=req.params,
                )
            )
        return out

    def last_message(self, chat_id: ChatKey | None = None) -> SentMessage:
        messages = self.sent_messages(chat_id)
        if not messages:
            where = "" if chat_id is None else f" to chat {chat_id}"
            msg = f"no message was sent{where}"
            raise AssertionError(msg)
        return messages[-1]

    def send_times(self, chat_id: ChatKey | None = None) -> list[float]:
        """``time.monotonic()`` arrival times of accepted ``sendMessage`` calls."""
        return [m.at for m in self.sent_messages(chat_id)]

    def edits(self, chat_id: ChatKey | None = None) -> list[RecordedRequest]:
        """Accepted ``editMessageText``/``editMessageReplyMarkup`` calls."""
        key = _chat_key(chat_id) if chat_id is not None else None
        return [
            r
            for r in self.requests()
            if r.ok
            and r.method in {"editMessageText", "editMessageReplyMarkup"}
            and (key is None or r.chat_id == key)
        ]

    def wait_for_messages(
        self, count: int = 1, *, chat_id: ChatKey | None = None, within: float = 5.0
    ) -> list[SentMessage]:
        """Block until ``count`` messages were sent (to ``chat_id``); for sync tests.

        Do not call this from a coroutine on the loop that sends: use
        :meth:`wait_for_messages_async` there.
        """
        deadline = time.monotonic() + within
        with self._changed:
            while True:
                messages = self.sent_messages(chat_id)
                if len(messages) >= count:
                    return messages
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    msg = f"expected {count} message(s), got {len(messages)}: {messages!r}"
                    raise AssertionError(msg)
                self._changed.wait(remaining)

    async def wait_for_messages_async(
        self, count: int = 1, *, chat_id: ChatKey | None = None, within: float = 5.0
    ) -> list[SentMessage]:
        """Await until ``count`` messages were sent (to ``chat_id``)."""
        deadline = time.monotonic() + within
        while True:
            messages = self.sent_messages(chat_id)
            if len(messages) >= count:
                return messages
            if time.monotonic() >= deadline:
                msg = f"expected {count} message(s), got {len(messages)}: {messages!r}"
                raise AssertionError(msg)
            await asyncio.sleep(0.01)

    def reset(self) -> None:
        """Forget requests, messages, updates, webhook, failures and rate limits.

        Declared chats, custom method handlers and the token stay.
        """
        with self._changed:
            self._init_state()
            self._changed.notify_all()

    # ---------------------------------------------------------------- request handling

    def _handle_http(
        self, verb: str, raw_path: str, content_type: str, body: bytes
    ) -> tuple[int, str, bytes]:
        arrived = time.monotonic()
        wall = datetime.now(UTC)
        parts = urlsplit(raw_path)
        match = _PATH.fullmatch(parts.path)
        if match is None:
            return self._error_payload(404, "Not Found")
        token, method_name = match.groups()
        record = RecordedRequest(
            method=self._canonical(method_name) or method_name,
            params={},
            at=arrived,
            wall_time=wall,
            http_method=verb,
            content_type=content_type,
            token=token,
        )
        with self._changed:
            self._requests.append(record)
        try:
            status, payload, raw = self._answer(record, token, method_name, parts.query, body)
        except Exception as exc:  # a bug in the fake must not look like Telegram's answer
            self.server_errors.append(exc)
            status, payload, raw = 500, self._error_json(500, INTERNAL_SERVER_ERROR), None
        with self._changed:
            record.status = status
            record.response = payload
            self._changed.notify_all()
        if raw is not None:
            return status, "text/html", raw
        assert payload is not None
        return status, "application/json", _json_bytes(payload)

    def _error_payload(self, status: int, description: str) -> tuple[int, str, bytes]:
        return status, "application/json", _json_bytes(self._error_json(status, description))

    @staticmethod
    def _error_json(
        status: int, description: str, parameters: Mapping[str, Any] | None = None
    ) -> JSONDict:
        payload: JSONDict = {"ok": False, "error_code": status, "description": description}
        if parameters:
            payload["parameters"] = dict(parameters)
        return payload

    def _canonical(self, method: str) -> str | None:
        lowered = method.lower()
        with self._lock:
            if lowered in self._custom_handlers:
                for name in self.SUPPORTED_METHODS:
                    if name.lower() == lowered:
                        return name
                return method
        for name in self.SUPPORTED_METHODS:
            if name.lower() == lowered:
                return name
        return None

    def _answer(
        self, record: RecordedRequest, token: str, method_name: str, query: str, body: bytes
    ) -> tuple[int, JSONDict | None, bytes | None]:
        if token != self.token:
            if not _TOKEN_SHAPE.fullmatch(token):
                return 404, self._error_json(404, "Not Found"), None
            return 401, self._error_json(401, "Unauthorized"), None
        method = self._canonical(method_name)
        if method is None:
            return 404, self._error_json(404, "Not Found"), None

        try:
            params, files = self._parse_params(record.content_type, query, body)
        except _ApiError as err:
            return err.status, self._error_json(err.status, err.description), None
        record.params = params
        record.files = files
        chat = _chat_key(params.get("chat_id"))

        failure = self._take_failure(method, chat)
        if failure is not None:
            if failure.delay > 0 and self._stopping.wait(failure.delay):
                return 503, self._error_json(503, "Service Unavailable"), None
            if failure.raw_body is not None:
                return failure.status or 502, None, failure.raw_body
            if failure.status is not None:
                description = failure.description or _STATUS_DESCRIPTIONS.get(
                    failure.status, "Unknown error"
                )
                return (
                    failure.status,
                    self._error_json(failure.status, description, failure.parameters),
                    None,
                )

        if chat is not None and _counts_for_flood_control(method):
            with self._lock:
                limiter = self._limiter
                retry_after = (
                    limiter.acquire(chat, self._is_group(chat), time.monotonic())
                    if limiter is not None
                    else None
                )
            if retry_after is not None:
                return (
                    429,
                    self._error_json(
                        429, too_many_requests(retry_after), {"retry_after": retry_after}
                    ),
                    None,
                )

        try:
            result = self._dispatch(method, params, files)
        except _ApiError as err:
            return err.status, self._error_json(err.status, err.description, err.parameters), None
        if isinstance(result, _Described):
            return (
                200,
                {"ok": True, "result": result.result, "description": result.description},
                None,
            )
        return 200, {"ok": True, "result": result}, None

    def _parse_params(
        self, content_type: str, query: str, body: bytes
    ) -> tuple[JSONDict, dict[str, UploadedFile]]:
        raw: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, UploadedFile] = {}
        media_type = content_type.split(";", 1)[0].strip().lower()
        typed = False
        if body:
            if media_type == "application/json":
                try:
                    decoded = json.loads(body)
                except json.JSONDecodeError as exc:
                    raise _bad_request("Bad Request: can't parse JSON object") from exc
                if not isinstance(decoded, dict):
                    raise _bad_request("Bad Request: can't parse JSON object")
                if raw:
                    raw = _normalize_params(raw, typed=False)
                raw.update(decoded)
                typed = True
            elif media_type == "multipart/form-data":
                fields, files = _parse_multipart(content_type, body)
                raw.update(fields)
            else:
                raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return _normalize_params(raw, typed=typed), files

    def _take_failure(self, method: str, chat: ChatKey | None) -> ScriptedFailure | None:
        with self._lock:
            for failure in self._failures:
                if failure._matches(method, chat):
                    failure.hits += 1
                    if failure.remaining is not None:
                        failure.remaining -= 1
                    return failure
        return None

    def _dispatch(self, method: str, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        with self._lock:
            custom = self._custom_handlers.get(method.lower())
        if custom is not None:
            try:
                return custom(params)
            except ValueError as exc:
                raise _bad_request(str(exc)) from exc
        handler: Callable[[JSONDict, dict[str, UploadedFile]], Any] = getattr(self, f"_m_{method}")
        if method in {"getUpdates"}:
            return handler(params, files)
        with self._lock:
            return handler(params, files)

    # ---------------------------------------------------------------- helpers for methods

    def _chat(self, chat_id: ChatKey) -> JSONDict:
        with self._lock:
            known = self._chats.get(chat_id)
        return dict(known) if known is not None else _default_chat(chat_id)

    def _is_group(self, chat_id: ChatKey) -> bool:
        return self._chat(chat_id)["type"] in {"group", "supergroup"}

    def _require_chat(self, params: JSONDict) -> tuple[ChatKey, JSONDict]:
        key = _chat_key(params.get("chat_id"))
        if key is None:
            raise _bad_request(CHAT_ID_EMPTY)
        if self.require_known_chats and key not in self._chats:
            raise _bad_request(CHAT_NOT_FOUND)
        return key, self._chat(key)

    def _format(
        self,
        text: str,
        parse_mode: Any,
        entities: Any,
        *,
        limit: int,
        empty: str | None,
        too_long: str,
    ) -> tuple[str, list[JSONDict]]:
        mode = str(parse_mode).lower() if parse_mode else ""
        if mode == "html":
            try:
                plain, parsed = parse_html(text)
            except ValueError as exc:
                raise _bad_request(can_t_parse_entities(str(exc))) from exc
        else:
            plain = text
            parsed = [dict(e) for e in entities] if isinstance(entities, list) else []
        plain, parsed = _strip_text(plain, parsed)
        if not plain and empty is not None:
            raise _bad_request(empty)
        if _u16(plain) > limit:
            raise _bad_request(too_long)
        return plain, parsed

    def _check_url(self, url: Any, what: str, *, https_only: bool) -> None:
        if not self.validate_urls:
            return
        text = str(url)
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        scheme = parts.scheme.lower()
        if https_only and scheme != "https":
            raise _bad_request(
                f"Bad Request: inline keyboard button {what} '{text}' is invalid: "
                "Only HTTPS links are allowed"
            )
        if scheme == "tg":
            return
        private = (
            scheme not in {"http", "https"}
            or "." not in host
            or host == "localhost"
            or host.endswith(".localhost")
            or re.fullmatch(r"127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+", host)
            is not None
        )
        if private:
            raise _bad_request(
                f"Bad Request: inline keyboard button {what} '{text}' is invalid: Wrong HTTP URL"
            )

    def _inline_markup(self, markup: Any, chat: JSONDict) -> JSONDict | None:
        """Validate ``reply_markup``; return what Telegram echoes (inline keyboards only)."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return None
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                "should be an Array of Arrays"
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise _bad_request(
                        "Bad Request: can't parse inline keyboard button: "
                        'Field "text" must be of type String'
                    )
                actions = [a for a in _BUTTON_ACTIONS if a in button]
                if not actions:
                    raise _bad_request(TEXT_BUTTONS_UNALLOWED)
                if "callback_data" in button:
                    data = str(button["callback_data"]).encode()
                    if not 1 <= len(data) <= 64:
                        raise _bad_request(BUTTON_DATA_INVALID)
                if "url" in button:
                    self._check_url(button["url"], "URL", https_only=False)
                if "web_app" in button:
                    if chat.get("type") != "private":
                        raise _bad_request(BUTTON_TYPE_INVALID)
                    web_app = button["web_app"]
                    url = web_app.get("url", "") if isinstance(web_app, dict) else ""
                    self._check_url(url, "Web App URL", https_only=True)
        return {"inline_keyboard": rows}

    def _new_message(self, key: ChatKey, chat: JSONDict, content: JSONDict) -> JSONDict:
        message_id = self._next_message_id.get(key, 1)
        self._next_message_id[key] = message_id + 1
        message: JSONDict = {
            "message_id": message_id,
            "from": {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": self.bot_user["first_name"],
                "username": self.bot_user["username"],
            },
            "chat": chat,
            "date": int(time.time()),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        self._messages[(key, message_id)] = message
        return copy.deepcopy(message)

    def _message_id(self, params: JSONDict) -> int:
        value = params.get("message_id")
        if not isinstance(value, int) or isinstance(value, bool):
            raise _bad_request(MESSAGE_ID_EMPTY)
        return value

    def _existing(self, key: ChatKey, chat: JSONDict, message_id: int) -> JSONDict:
        stored = self._messages.get((key, message_id))
        if stored is not None:
            return stored
        if (key, message_id) in self._deleted:
            raise _bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
        # A message this fake did not send (e.g. from a pushed update): accept the edit.
        stored = {
            "message_id": message_id,
            "from": {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": self.bot_user["first_name"],
                "username": self.bot_user["username"],
            },
            "chat": chat,
            "date": int(time.time()),
        }
        self._messages[(key, message_id)] = stored
        return stored

    # ---------------------------------------------------------------- methods

    def _m_getMe(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        return dict(self.bot_user)

    def _m_logOut(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        return True

    def _m_close(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        return True

    def _m_sendMessage(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        key, chat = self._require_chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise _bad_request(TEXT_EMPTY)
        plain, entities = self._format(
            text,
            params.get("parse_mode"),
            params.get("entities"),
            limit=_MAX_TEXT,
            empty=TEXT_EMPTY,
            too_long=TEXT_TOO_LONG,
        )
        markup = self._inline_markup(params.get("reply_markup"), chat)
        content: JSONDict = {"text": plain, "entities": entities or None, "reply_markup": markup}
        if isinstance(params.get("message_thread_id"), int):
            content["message_thread_id"] = params["message_thread_id"]
        reply_to = self._reply_target(key, params)
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        return self._new_message(key, chat, content)

    def _reply_target(self, key: ChatKey, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        target = reply.get("message_id") if isinstance(reply, dict) else None
        if target is None:
            target = params.get("reply_to_message_id")
        if not isinstance(target, int):
            return None
        stored = self._messages.get((key, target))
        return None if stored is None else copy.deepcopy(stored)

    def _m_editMessageText(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise _bad_request(TEXT_EMPTY)
        if params.get("inline_message_id"):
            self._format(
                text,
                params.get("parse_mode"),
                params.get("entities"),
                limit=_MAX_TEXT,
                empty=TEXT_EMPTY,
                too_long=TEXT_TOO_LONG,
            )
            return True
        key, chat = self._require_chat(params)
        message_id = self._message_id(params)
        plain, entities = self._format(
            text,
            params.get("parse_mode"),
            params.get("entities"),
            limit=_MAX_TEXT,
            empty=TEXT_EMPTY,
            too_long=TEXT_TOO_LONG,
        )
        markup = self._inline_markup(params.get("reply_markup"), chat)
        message = self._existing(key, chat, message_id)
        if (
            message.get("text") == plain
            and message.get("entities", []) == entities
            and message.get("reply_markup") == markup
        ):
            raise _bad_request(MESSAGE_NOT_MODIFIED)
        message["text"] = plain
        message.pop("caption", None)
        if entities:
            message["entities"] = entities
        else:
            message.pop("entities", None)
        if markup is not None:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _m_editMessageReplyMarkup(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        if params.get("inline_message_id"):
            return True
        key, chat = self._require_chat(params)
        message_id = self._message_id(params)
        markup = self._inline_markup(params.get("reply_markup"), chat)
        message = self._existing(key, chat, message_id)
        if message.get("reply_markup") == markup:
            raise _bad_request(MESSAGE_NOT_MODIFIED)
        if markup is not None:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _m_deleteMessage(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        key, _chat = self._require_chat(params)
        message_id = self._message_id(params)
        if (key, message_id) in self._deleted:
            raise _bad_request(MESSAGE_TO_DELETE_NOT_FOUND)
        self._deleted.add((key, message_id))
        self._messages.pop((key, message_id), None)
        return True

    def _m_sendChatAction(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        self._require_chat(params)
        if not params.get("action"):
            raise _bad_request("Bad Request: action is empty")
        return True

    def _upload(
        self, name: str, params: JSONDict, files: dict[str, UploadedFile]
    ) -> tuple[str, UploadedFile | None]:
        value = params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise _bad_request(f"Bad Request: {name} not found")
            return upload.filename or name, upload
        if name in files:
            upload = files[name]
            return upload.filename or name, upload
        if isinstance(value, str) and value:
            return value.rsplit("/", 1)[-1], None
        raise _bad_request(f"Bad Request: there is no {name} in the request")

    def _file_ids(self, seed: str) -> tuple[str, str]:
        suffix = f"{abs(hash(seed)) % 10**12:012d}"
        return f"BQACAgIAAxkDAAI{suffix}", f"AgAD{suffix[:8]}"

    def _caption(self, params: JSONDict, chat: JSONDict) -> JSONDict:
        content: JSONDict = {}
        caption = params.get("caption")
        if isinstance(caption, str) and caption:
            plain, entities = self._format(
                caption,
                params.get("parse_mode"),
                params.get("caption_entities"),
                limit=_MAX_CAPTION,
                empty=None,
                too_long=CAPTION_TOO_LONG,
            )
            if plain:
                content["caption"] = plain
            if entities:
                content["caption_entities"] = entities
        content["reply_markup"] = self._inline_markup(params.get("reply_markup"), chat)
        return content

    def _m_sendDocument(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        key, chat = self._require_chat(params)
        filename, upload = self._upload("document", params, files)
        file_id, unique_id = self._file_ids(f"{filename}:{time.monotonic_ns()}")
        document: JSONDict = {
            "file_name": filename,
            "file_id": file_id,
            "file_unique_id": unique_id,
        }
        if upload is not None:
            document["mime_type"] = upload.content_type or "application/octet-stream"
            document["file_size"] = len(upload.data)
        return self._new_message(key, chat, {"document": document, **self._caption(params, chat)})

    def _m_sendPhoto(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        key, chat = self._require_chat(params)
        filename, upload = self._upload("photo", params, files)
        file_id, unique_id = self._file_ids(f"{filename}:{time.monotonic_ns()}")
        size = len(upload.data) if upload is not None else 0
        photo = [
            {
                "file_id": f"{file_id}{n}",
                "file_unique_id": f"{unique_id}{n}",
                "file_size": max(1, size // (4 - n)),
                "width": width,
                "height": width * 3 // 4,
            }
            for n, width in enumerate((90, 320, 800))
        ]
        return self._new_message(key, chat, {"photo": photo, **self._caption(params, chat)})

    def _m_answerCallbackQuery(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        query_id = params.get("callback_query_id")
        if not isinstance(query_id, str) or not query_id or query_id in self._answered_queries:
            raise _bad_request(QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise _bad_request("Bad Request: MESSAGE_TOO_LONG")
        self._answered_queries.add(query_id)
        return True

    def _m_getChat(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        _key, chat = self._require_chat(params)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _m_getUpdates(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        offset = params.get("offset")
        limit = params.get("limit")
        limit = min(100, max(1, limit)) if isinstance(limit, int) else 100
        timeout = params.get("timeout")
        wait = min(50.0, float(timeout)) if isinstance(timeout, int) and timeout > 0 else 0.0
        allowed = params.get("allowed_updates")
        deadline = time.monotonic() + wait
        with self._changed:
            if self._webhook is not None:
                raise _ApiError(409, WEBHOOK_ACTIVE)
            if isinstance(offset, int) and offset != 0:
                if offset < 0:
                    self._updates = self._updates[offset:]
                else:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                ready = [
                    u for u in self._updates if not allowed or any(kind in u for kind in allowed)
                ]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._stopping.is_set():
                    return [dict(u) for u in ready[:limit]]
                self._changed.wait(remaining)

    def _m_setWebhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        url = str(params.get("url", ""))
        if not url:
            return self._m_deleteWebhook(params, files)
        if not url.lower().startswith("https://"):
            raise _bad_request(WEBHOOK_NOT_HTTPS)
        if params.get("drop_pending_updates"):
            self._updates.clear()
        webhook: JSONDict = {"url": url, "max_connections": params.get("max_connections", 40)}
        for name in ("secret_token", "allowed_updates", "ip_address"):
            if params.get(name) is not None:
                webhook[name] = params[name]
        unchanged = self._webhook == webhook
        self._webhook = webhook
        return _Described(True, "Webhook is already set" if unchanged else "Webhook was set")

    def _m_deleteWebhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        existed = self._webhook is not None
        self._webhook = None
        return _Described(True, "Webhook was deleted" if existed else "Webhook is already deleted")

    def _m_getWebhookInfo(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        if self._webhook is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        info: JSONDict = {
            "url": self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
            "max_connections": self._webhook["max_connections"],
            "ip_address": "149.154.167.220",
        }
        if "allowed_updates" in self._webhook:
            info["allowed_updates"] = self._webhook["allowed_updates"]
        return info

    @staticmethod
    def _commands_key(params: JSONDict) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _m_setMyCommands(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("Bad Request: can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            description = command.get("description", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(name)) or not 1 <= len(description) <= 256:
                raise _bad_request("Bad Request: BOT_COMMAND_INVALID")
        self._commands[self._commands_key(params)] = [dict(c) for c in commands]
        return True

    def _m_getMyCommands(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        return [dict(c) for c in self._commands.get(self._commands_key(params), [])]

    def _m_deleteMyCommands(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _m_setChatMenuButton(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        key = _chat_key(params.get("chat_id"))
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict):
            raise _bad_request("Bad Request: can't parse menu button JSON object")
        if button.get("type") == "web_app":
            web_app = button.get("web_app")
            url = web_app.get("url", "") if isinstance(web_app, dict) else ""
            if not str(url).lower().startswith("https://"):
                raise _bad_request(
                    f"Bad Request: menu button Web App URL '{url}' is invalid: "
                    "Only HTTPS links are allowed"
                )
        self._menu_buttons[key] = dict(button)
        return True

    def _m_getChatMenuButton(self, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        key = _chat_key(params.get("chat_id"))
        if key in self._menu_buttons:
            return dict(self._menu_buttons[key])
        return dict(self._menu_buttons.get(None, {"type": "commands"}))
