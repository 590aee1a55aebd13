"""FakeTelegram: starting and stopping, scripting failures, reading what was sent."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from telegram import Bot
from infra.local.fakes.telegram.methods import BotApiMethods
from infra.local.fakes.telegram.people import PeopleSide
from infra.local.fakes.telegram.protocol import (
    _PATH,
    _STATUS_DESCRIPTIONS,
    _TOKEN_SHAPE,
    BOT_BLOCKED,
    BOT_KICKED_GROUP,
    BOT_KICKED_SUPERGROUP,
    INTERNAL_SERVER_ERROR,
    ChatKey,
    JSONDict,
    MethodHandler,
    _ApiError,
    _bad_request,
    _Described,
    too_many_requests,
)
from infra.local.fakes.telegram.ratelimit import _RateLimiter
from infra.local.fakes.telegram.records import (
    RecordedRequest,
    ScriptedFailure,
    SentMessage,
    UploadedFile,
)
from infra.local.fakes.telegram.transport import (
    _chat_key,
    _counts_for_flood_control,
    _json_bytes,
    _Server,
    parse_params,
)
from infra.local.fakes.telegram.updates import _default_chat


class FakeTelegram(BotApiMethods, PeopleSide):
    """A fake Telegram Bot API server on ``127.0.0.1`` (a free port by default).

    Use as a context manager, or ``start()``/``stop()``. All methods are thread-safe.
    """

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self._requested_port), self._handle_http, self._stopping)
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
        if self.on_answer is not None:
            self.on_answer(record)
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
            params, files = parse_params(record.content_type, query, body)
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
