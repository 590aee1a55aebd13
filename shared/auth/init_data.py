"""Telegram Mini App `initData`: verification (and signing, for tests and local sign-in).

https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)
hash       = hex(HMAC_SHA256(key=secret_key, msg=data_check_string))
where data_check_string is every received field but `hash`, as `key=value`, sorted, joined by \\n.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from shared.kit.errors import NotAuthenticated


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class InitData:
    user: TelegramUser
    auth_date: datetime
    query_id: str | None
    start_param: str | None


def _secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def _signature(fields: dict[str, str], bot_token: str) -> str:
    message = _data_check_string(fields).encode()
    return hmac.new(_secret_key(bot_token), message, hashlib.sha256).hexdigest()


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """Encode `fields` as initData signed with `bot_token`, as Telegram would."""
    unsigned = {key: value for key, value in fields.items() if key != "hash"}
    return urlencode({**unsigned, "hash": _signature(unsigned, bot_token)})


def user_init_data(
    user: TelegramUser, bot_token: str, *, auth_date: datetime, start_param: str | None = None
) -> str:
    """initData for `user` opened at `auth_date`, signed with `bot_token`."""
    user_json = {"id": user.id, "first_name": user.first_name}
    if user.last_name:
        user_json["last_name"] = user.last_name
    if user.username:
        user_json["username"] = user.username
    if user.language_code:
        user_json["language_code"] = user.language_code
    fields = {
        "query_id": f"AAH{user.id}",
        "user": json.dumps(user_json, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(auth_date.timestamp())),
    }
    if start_param:
        fields["start_param"] = start_param
    return sign_init_data(fields, bot_token)


# Telegram user ids are positive and fit in 52 bits.
MAX_USER_ID = 2**52


def _optional_text(user_json: dict[str, Any], key: str) -> str | None:
    value = user_json.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{key} is not a string")
    return value


def _telegram_user(user_json: object) -> TelegramUser:
    """The `user` field, with the types Telegram documents; anything else is refused.

    The signature proves who signed the fields, not that they have the documented shape.
    """
    if not isinstance(user_json, dict):
        raise TypeError("user is not an object")
    user_id = user_json.get("id")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise TypeError("user.id is not an integer")
    if not 0 < user_id < MAX_USER_ID:
        raise ValueError("user.id is out of range")
    return TelegramUser(
        id=user_id,
        first_name=_optional_text(user_json, "first_name") or "",
        last_name=_optional_text(user_json, "last_name"),
        username=_optional_text(user_json, "username"),
        language_code=_optional_text(user_json, "language_code"),
    )


def verify_init_data(raw: str, bot_token: str, *, now: datetime, max_age_seconds: int) -> InitData:
    """Check the signature and freshness of `raw` initData and return what it says."""
    try:
        fields = dict(parse_qsl(raw, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        raise NotAuthenticated(
            "initData — не строка запроса: откройте приложение из Telegram",
            en="initData is not a valid query string",
        ) from None
    received = fields.get("hash")
    if not received:
        raise NotAuthenticated(
            "В initData нет подписи: откройте приложение из Telegram",
            en="initData has no hash: open the app from Telegram",
        )
    if not hmac.compare_digest(_signature(fields, bot_token), received):
        raise NotAuthenticated(
            "Подпись initData неверна: откройте приложение из Telegram заново",
            en="initData signature is invalid: open the app from Telegram again",
        )
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = _telegram_user(json.loads(fields["user"]))
    # OverflowError / OSError: an auth_date beyond what a datetime holds.
    except (KeyError, ValueError, TypeError, OverflowError, OSError, RecursionError):
        raise NotAuthenticated(
            "В initData нет пользователя или даты входа: откройте приложение из Telegram",
            en="initData lacks a valid user or auth_date",
        ) from None
    age = (now - auth_date).total_seconds()
    if age > max_age_seconds:
        raise NotAuthenticated(
            "initData устарели: закройте приложение и откройте снова",
            en="initData has expired: close the app and open it again",
        )
    if age < -60:
        raise NotAuthenticated(
            "initData датированы будущим временем: проверьте часы устройства",
            en="initData is dated in the future",
        )
    return InitData(
        user=user,
        auth_date=auth_date,
        query_id=fields.get("query_id"),
        start_param=fields.get("start_param"),
    )
