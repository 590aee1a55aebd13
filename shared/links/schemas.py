"""Shapes of cafe link requests, as the REST contract and the bot see them."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.models import Cafe, CafeLinkRequest, RequestStatus

# Telegram ids fit in 52 bits; group and channel ids are negative (-100…). Bounding them here
# keeps absurd numbers out of the BIGINT columns with a 422 instead of a database error.
MAX_CHAT_ID = 10**15
ChatId = Annotated[int, Field(ge=-MAX_CHAT_ID, le=MAX_CHAT_ID, description="Telegram chat id")]
# Telegram usernames: 5–32 characters of letters, digits and underscores; "@" is optional here.
Username = Annotated[
    str,
    Field(
        pattern=r"^@?[A-Za-z0-9_]{5,32}$",
        max_length=33,
        description="The chat's @username (the leading @ is optional)",
    ),
]


class LinkRequestIn(BaseModel):
    """A cafe chat asks to receive that cafe's orders."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"tg_chat_id": -1001234567890, "tg_username": "cafe1"}]},
    )

    tg_chat_id: ChatId
    tg_username: Username | None = None

    @field_validator("tg_chat_id")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("a Telegram chat id is never 0")
        return value

    @field_validator("tg_username")
    @classmethod
    def _without_at(cls, value: str | None) -> str | None:
        return value.removeprefix("@") if value else value


class LinkedChat(BaseModel):
    """A Telegram chat a cafe is linked to."""

    tg_chat_id: int
    tg_username: str | None


class LinkRequestOut(BaseModel):
    """A link request with the cafe's name, for the manager's list and the bot's answers."""

    id: int
    cafe_id: int
    cafe_name: str
    tg_chat_id: int
    tg_username: str | None
    status: RequestStatus
    created_at: datetime
    processed_at: datetime | None
    replaces_chat: LinkedChat | None = Field(
        default=None,
        description="The chat the cafe is linked to now, which approving this request replaces "
        "(that chat is told); on an approved request, the chat it replaced",
    )


class LinkCodeOut(BaseModel):
    """A one-time code a manager hands to a cafe: the chat that opens the link gets linked."""

    code: str
    deep_link: str = Field(description="t.me link that opens the bot with the code")
    expires_at: datetime
    replaces_chat: LinkedChat | None = Field(
        description="The cafe's current chat, which redeeming the code replaces (it is told)"
    )


class LinkRequestPage(BaseModel):
    items: list[LinkRequestOut]
    total: int


class NotificationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool


class LinkedCafe(BaseModel):
    """The cafe a chat is linked to, as the bot's /status shows it."""

    id: int
    name: str
    notifications_enabled: bool
    linked_at: datetime | None
    # Set when Telegram refused to deliver to the chat (the bot was removed or blocked).
    chat_unreachable_reason: str | None


class LinkStatus(BaseModel):
    """Where a chat stands: the cafe it is linked to, and requests still waiting for a manager."""

    cafe: LinkedCafe | None
    pending: list[LinkRequestOut]


def current_chat(cafe: Cafe, *, other_than: int | None = None) -> LinkedChat | None:
    """The chat `cafe` is linked to, unless none or it is `other_than`."""
    if cafe.tg_chat_id is None or cafe.tg_chat_id == other_than:
        return None
    return LinkedChat(tg_chat_id=cafe.tg_chat_id, tg_username=cafe.tg_username)


def link_request_out(
    request: CafeLinkRequest, cafe_name: str, replaces_chat: LinkedChat | None = None
) -> LinkRequestOut:
    return LinkRequestOut(
        replaces_chat=replaces_chat,
        id=request.id,
        cafe_id=request.cafe_id,
        cafe_name=cafe_name,
        tg_chat_id=request.tg_chat_id,
        tg_username=request.tg_username,
        status=RequestStatus(request.status),
        created_at=request.created_at,
        processed_at=request.processed_at,
    )


def linked_cafe(cafe: Cafe) -> LinkedCafe:
    return LinkedCafe(
        id=cafe.id,
        name=cafe.name,
        notifications_enabled=cafe.notifications_enabled,
        linked_at=cafe.linked_at,
        chat_unreachable_reason=cafe.chat_unreachable_reason,
    )
