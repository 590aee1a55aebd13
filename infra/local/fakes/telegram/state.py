"""The fake's state (chats, messages, updates, webhook) and the chat lookups methods share."""

from __future__ import annotations

import threading
from collections.abc import Callable

from infra.local.fakes.telegram.protocol import (
    _TOKEN_SHAPE,
    CHAT_ID_EMPTY,
    CHAT_NOT_FOUND,
    DEFAULT_TOKEN,
    ChatKey,
    JSONDict,
    MethodHandler,
    _bad_request,
)
from infra.local.fakes.telegram.ratelimit import _RateLimiter
from infra.local.fakes.telegram.records import (
    RecordedRequest,
    ScriptedFailure,
)
from infra.local.fakes.telegram.transport import (
    _chat_key,
    _Server,
)
from infra.local.fakes.telegram.updates import _default_chat


class TelegramState:
    """Everything the fake keeps, guarded by one lock; `reset()` clears it."""

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
        on_answer: Callable[[RecordedRequest], None] | None = None,
    ) -> None:
        if not _TOKEN_SHAPE.fullmatch(token):
            msg = f"not a Telegram bot token: {token!r}"
            raise ValueError(msg)
        self.token = token
        self.host = host
        # Called with each request once answered: `make run` prints what a cafe receives.
        self.on_answer = on_answer
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
