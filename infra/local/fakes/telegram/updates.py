"""Builders of Telegram updates (messages, button presses) for getUpdates and webhooks."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence

from infra.local.fakes.telegram.html import _u16
from infra.local.fakes.telegram.protocol import (
    ChatKey,
    JSONDict,
)

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
