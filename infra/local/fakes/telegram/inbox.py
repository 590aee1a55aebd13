"""What the cafes' chats received, read from the fake: `make run` prints it and lists it on
its dev page when no real bot token is set."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from infra.local.fakes.telegram.records import RecordedRequest
from infra.local.fakes.telegram.server import FakeTelegram

LOCAL_TOKEN = "1000000001:LOCAL-capture-token-for-make-run"
MESSAGE_METHODS = frozenset({"sendMessage", "editMessageText"})

_ALLOWED_TAGS = re.compile(r"&lt;(/?)(b|strong|i|em|u|s|code|pre|blockquote)&gt;")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class CapturedMessage:
    """A message (or an edit of one) as the cafe's chat shows it."""

    message_id: int
    chat_id: int | str
    text: str
    parse_mode: str | None
    sent_at: float
    method: str = "sendMessage"

    def plain_text(self) -> str:
        """The text as a person reads it in Telegram (markup removed)."""
        if self.parse_mode == "HTML":
            return html.unescape(_TAG.sub("", self.text))
        return self.text

    def safe_html(self) -> str:
        """The text for a web page: everything escaped except Telegram's formatting tags."""
        escaped = html.escape(self.text, quote=False)
        if self.parse_mode == "HTML":
            # The text's own entities (&lt; for a user's "<") stay entities; tags become text,
            # and only the harmless formatting ones are turned back into tags.
            escaped = _ALLOWED_TAGS.sub(r"<\1\2>", escaped.replace("&amp;", "&"))
        return escaped.replace("\n", "<br>")


def captured(request: RecordedRequest) -> CapturedMessage | None:
    """The message an accepted sendMessage / editMessageText put in a chat, else None."""
    if not request.ok or request.method not in MESSAGE_METHODS:
        return None
    result = request.result
    message_id = result.get("message_id") if isinstance(result, dict) else None
    chat_id = request.chat_id
    return CapturedMessage(
        message_id=int(message_id or request.params.get("message_id") or 0),
        chat_id=chat_id if chat_id is not None else 0,
        text=str(request.params.get("text", "")),
        parse_mode=request.params.get("parse_mode"),
        sent_at=request.wall_time.timestamp(),
        method=request.method,
    )


def local_telegram(
    on_message: Callable[[CapturedMessage], None] | None = None, *, port: int = 0
) -> FakeTelegram:
    """The fake as `make run` uses it: any chat, http:// Mini App links allowed, not started."""

    def answered(request: RecordedRequest) -> None:
        message = captured(request)
        if message is not None and on_message is not None:
            on_message(message)

    return FakeTelegram(
        LOCAL_TOKEN,
        port=port,
        bot_first_name="Обед (локально)",
        bot_username="lunch_local_bot",
        # make run serves the Mini App over http://127.0.0.1, which Telegram itself refuses.
        validate_urls=False,
        on_answer=answered,
    )


def inbox(fake: FakeTelegram) -> list[CapturedMessage]:
    """Every message the chats received, oldest first."""
    return [m for request in fake.requests() if (m := captured(request)) is not None]
