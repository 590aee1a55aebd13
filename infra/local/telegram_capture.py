"""A local stand-in for the Telegram Bot API that shows what a cafe would receive.

`make run` without a real bot token points python-telegram-bot (`TELEGRAM_API_BASE_URL`) at this
server. It answers the subset of the Bot API the system uses (getMe, sendMessage,
editMessageText, answerCallbackQuery, setMyCommands, setChatMenuButton, getUpdates with nothing
new, setWebhook, deleteWebhook) and keeps every message: the runner prints each one and lists
them on its dev page.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

LOCAL_TOKEN = "1000000001:LOCAL-capture-token-for-make-run"
BOT_USER = {
    "id": 1000000001,
    "is_bot": True,
    "first_name": "Обед (локально)",
    "username": "lunch_local_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_ALLOWED_TAGS = re.compile(r"&lt;(/?)(b|strong|i|em|u|s|code|pre|blockquote)&gt;")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class CapturedMessage:
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


class TelegramCapture:
    """The capture server; `base_url` goes to TELEGRAM_API_BASE_URL."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[CapturedMessage], None] | None = None,
    ) -> None:
        self.messages: list[CapturedMessage] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._on_message = on_message
        capture = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                capture._serve(self)

            def do_GET(self) -> None:
                capture._serve(self)

            def log_message(self, *_args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def start(self) -> TelegramCapture:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sent(self) -> list[CapturedMessage]:
        with self._lock:
            return list(self.messages)

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        method = parts.path.rsplit("/", 1)[-1]
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        params = _params(request.headers.get("Content-Type", ""), raw, parts.query)
        status, body = self._answer(method, params)
        data = json.dumps(body, ensure_ascii=False).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name = method.lower()
        if name == "getme":
            return 200, {"ok": True, "result": BOT_USER}
        if name == "getupdates":
            time.sleep(min(float(params.get("timeout") or 0), 1.0))
            return 200, {"ok": True, "result": []}
        if name in ("sendmessage", "editmessagetext"):
            return 200, {"ok": True, "result": self._record(method, params)}
        return 200, {"ok": True, "result": True}

    def _record(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id", 0)
        with self._lock:
            message = CapturedMessage(
                message_id=int(params.get("message_id") or next(self._ids)),
                chat_id=_chat_id(chat_id),
                text=str(params.get("text", "")),
                parse_mode=params.get("parse_mode"),
                sent_at=time.time(),
                method=method,
            )
            self.messages.append(message)
        if self._on_message is not None:
            self._on_message(message)
        private = isinstance(message.chat_id, int) and message.chat_id > 0
        chat_type = "private" if private else "group"
        return {
            "message_id": message.message_id,
            "date": int(message.sent_at),
            "chat": {"id": message.chat_id, "type": chat_type, "title": "cafe"},
            "from": BOT_USER,
            "text": message.plain_text(),
        }


def _chat_id(value: Any) -> int | str:
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _params(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query))
    if not raw:
        return params
    if content_type.startswith("application/json"):
        loaded = json.loads(raw)
        if isinstance(loaded, dict):
            params.update(loaded)
    else:
        params.update(parse_qsl(raw.decode(), keep_blank_values=True))
    return params
