"""What the Bot API says and accepts: Telegram's error texts, field types and limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
