"""The Bot API methods the fake answers, each as Telegram would."""

from __future__ import annotations

import copy
import json
import re
import time
from typing import Any
from urllib.parse import urlsplit

from infra.local.fakes.telegram.html import (
    _strip_text,
    _u16,
    parse_html,
)
from infra.local.fakes.telegram.protocol import (
    _BUTTON_ACTIONS,
    _MAX_CAPTION,
    _MAX_TEXT,
    BUTTON_DATA_INVALID,
    BUTTON_TYPE_INVALID,
    CAPTION_TOO_LONG,
    MESSAGE_ID_EMPTY,
    MESSAGE_NOT_MODIFIED,
    MESSAGE_TO_DELETE_NOT_FOUND,
    MESSAGE_TO_EDIT_NOT_FOUND,
    QUERY_TOO_OLD,
    TEXT_BUTTONS_UNALLOWED,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    WEBHOOK_ACTIVE,
    WEBHOOK_NOT_HTTPS,
    ChatKey,
    JSONDict,
    _ApiError,
    _bad_request,
    _Described,
    can_t_parse_entities,
)
from infra.local.fakes.telegram.records import UploadedFile
from infra.local.fakes.telegram.state import TelegramState
from infra.local.fakes.telegram.transport import _chat_key


class BotApiMethods(TelegramState):
    """One `_m_<method>` per supported Bot API method, called under the state's lock."""

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
        # `make run` (validate_urls off) points the webhook at its own http://127.0.0.1.
        if self.validate_urls and not url.lower().startswith("https://"):
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
