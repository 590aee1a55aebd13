"""Local sign-in without Telegram: initData for a seeded user, signed with the bot token.

Registered only when `settings.dev_login_enabled` is true, which Settings allows only in the
local and test environments. The Mini App's dev mock environment uses it to launch as a real
employee or manager; the initData still goes through POST /auth/telegram like Telegram's would.
"""

import base64
import hashlib
from datetime import datetime
from urllib.parse import parse_qsl

from pydantic import BaseModel, Field

from functions.api.deps import NowDep, SessionDep, SettingsDep
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.auth.init_data import TelegramUser, sign_init_data, user_init_data
from shared.kit.errors import NotFound
from shared.users import service as users

router = Routes(prefix="/dev", tags=["dev"])


def launch_init_data(user: TelegramUser, bot_token: str, *, auth_date: datetime) -> str:
    """initData as current Telegram clients send it, `signature` field included.

    Telegram adds an Ed25519 `signature` (for validation by third parties) that Mini App SDKs
    require to be present; our server checks only the HMAC `hash`, which covers it too.
    """
    fields = dict(parse_qsl(user_init_data(user, bot_token, auth_date=auth_date)))
    digest = hashlib.sha512(f"{user.id}:{fields['auth_date']}".encode()).digest()
    fields["signature"] = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return sign_init_data(fields, bot_token)


class DevSignInIn(BaseModel):
    tgid: int
    language_code: str | None = Field(
        default=None, max_length=35, description="As Telegram sends it: ru, en, …"
    )


class DevSignInOut(BaseModel):
    init_data: str


@router.post("/sign-in", responses=error_responses(404, 429))
async def dev_sign_in(
    body: DevSignInIn, session: SessionDep, settings: SettingsDep, now: NowDep
) -> DevSignInOut:
    """initData for a user who exists, as Telegram would sign it (local and test only)."""
    user = await users.find_user(session, body.tgid)
    if user is None:
        raise NotFound(
            f"Нет пользователя с Telegram ID {body.tgid}: загрузите демо-данные",
            en=f"No user with Telegram ID {body.tgid}: load the demo data",
        )
    first, _, last = user.name.partition(" ")
    init_data = launch_init_data(
        TelegramUser(
            id=user.tgid,
            first_name=first,
            last_name=last or None,
            language_code=body.language_code,
        ),
        settings.telegram_bot_token.get_secret_value(),
        auth_date=now,
    )
    return DevSignInOut(init_data=init_data)
