"""What the bot tells a cafe chat about its link: the domain functions the bot's handlers call."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared.links import service
from shared.links.errors import ChatAlreadyLinked, LinkRequestNotFound
from shared.models import Cafe, RequestStatus
from tests.factories import make_cafe

CHAT = -1009876543210
NOW = datetime(2026, 11, 24, 6, 15, tzinfo=UTC)


async def unlinked_cafe(session: AsyncSession, name: str) -> Cafe:
    return (await session.run_sync(make_cafe, name, chat_id=None, notifications=False)).cafe


async def test_a_new_chat_is_neither_linked_nor_waiting(session: AsyncSession) -> None:
    status = await service.link_status(session, CHAT)
    assert status.cafe is None
    assert status.pending == []


async def test_a_chat_sees_its_waiting_request_then_its_cafe_once_approved(
    session: AsyncSession,
) -> None:
    cafe = await unlinked_cafe(session, "Кафе Восток")
    request = await service.request_link(session, cafe.id, CHAT, "vostok_cafe", now=NOW)

    waiting = await service.link_status(session, CHAT)
    assert waiting.cafe is None
    assert [(r.cafe_name, r.status) for r in waiting.pending] == [
        ("Кафе Восток", RequestStatus.PENDING)
    ]

    await service.approve(session, request.id, now=NOW)
    linked = await service.link_status(session, CHAT)
    assert linked.cafe is not None
    assert (linked.cafe.name, linked.cafe.notifications_enabled, linked.cafe.linked_at) == (
        "Кафе Восток",
        True,
        NOW,
    )
    assert linked.pending == []

    # /unlink from the chat: the cafe stops getting orders and the chat is free again
    await service.unlink(session, cafe.id)
    assert (await service.link_status(session, CHAT)).cafe is None


async def test_a_repeated_request_keeps_one_row_and_takes_the_new_username(
    session: AsyncSession,
) -> None:
    cafe = await unlinked_cafe(session, "Кафе Восток")
    first = await service.request_link(session, cafe.id, CHAT, "old_name", now=NOW)
    again = await service.request_link(session, cafe.id, CHAT, "new_name", now=NOW)
    assert again.id == first.id
    assert again.tg_username == "new_name"


async def test_a_linked_chat_is_told_where_it_is_linked(session: AsyncSession) -> None:
    await session.run_sync(make_cafe, "Столовая №1", chat_id=CHAT)
    other = await unlinked_cafe(session, "Пекарня")
    with pytest.raises(ChatAlreadyLinked, match="«Столовая №1»"):
        await service.request_link(session, other.id, CHAT, None, now=NOW)


async def test_deciding_on_an_unknown_request_says_so(session: AsyncSession) -> None:
    with pytest.raises(LinkRequestNotFound) as caught:
        await service.reject(session, 424242, now=NOW)
    assert caught.value.code == "link_request_not_found"
    assert caught.value.status_code == 404
