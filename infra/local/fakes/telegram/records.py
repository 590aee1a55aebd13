"""What the fake remembers of each request and message, and the failures scripted into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from infra.local.fakes.telegram.protocol import (
    ChatKey,
    JSONDict,
)


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
