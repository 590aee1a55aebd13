"""Linking a cafe's Telegram chat: the bot asks, a manager decides, the cafe gets its orders."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.errors import DomainError
from shared.links import service
from shared.links.service import MAX_PENDING_PER_CHAT
from shared.models import Cafe, CafeLinkRequest, Role, User
from tests.factories import make_cafe, make_user

Auth = Callable[[User], dict[str, str]]

CHAT = -1009876543210
OTHER_CHAT = -1005555555555
NOW = "2026-11-24T06:15:00Z"


async def unlinked_cafe(session: AsyncSession, name: str = "Кафе Восток") -> Cafe:
    menu = await session.run_sync(make_cafe, name, chat_id=None, notifications=False)
    return menu.cafe


async def a_manager(session: AsyncSession) -> User:
    return await session.run_sync(make_user, 9001, "Ольга Менеджер", role=Role.MANAGER)


@dataclass(frozen=True)
class Asked:
    """What the bot got back when a chat asked: the request, or the refusal it shows."""

    status_code: int
    body: dict[str, Any]

    def json(self) -> dict[str, Any]:
        return self.body

    @property
    def text(self) -> str:
        return str(self.body)


async def ask(
    session: AsyncSession, cafe: Cafe, chat: int = CHAT, username: str | None = "vostok_cafe"
) -> Asked:
    """A chat asks through the bot (the only place a chat is proven), as the bot's /link does."""
    now = datetime(2026, 11, 24, 6, 15, tzinfo=UTC)
    try:
        request = await service.request_link(session, cafe.id, chat, username, now=now)
    except DomainError as error:
        return Asked(error.status_code, {"detail": error.message, "code": error.code})
    return Asked(201, request.model_dump(mode="json"))


async def stored_requests(session: AsyncSession) -> int:
    statement = select(func.count()).select_from(CafeLinkRequest)
    return (await session.execute(statement)).scalar_one()


async def test_a_cafe_chat_asks_and_the_manager_sees_one_waiting_request(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = await unlinked_cafe(session)
    olga = await a_manager(session)

    first = await ask(session, cafe)
    assert first.status_code == 201, first.text
    assert first.json() | {"id": 0} == {
        "id": 0,
        "cafe_id": cafe.id,
        "cafe_name": "Кафе Восток",
        "tg_chat_id": CHAT,
        "tg_username": "vostok_cafe",
        "status": "pending",
        "created_at": NOW,
        "processed_at": None,
        "replaces_chat": None,
    }
    # The bot retries (a double tap, a webhook redelivery): still one request
    again = await ask(session, cafe)
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]

    listed = await client.get("/cafe-requests", headers=auth(olga))
    assert listed.status_code == 200
    assert listed.json() == {"items": [first.json()], "total": 1}
    # Asking links nothing by itself
    await session.refresh(cafe)
    assert cafe.tg_chat_id is None
    assert cafe.notifications_enabled is False


async def test_approving_links_the_chat_and_turns_down_competing_requests(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = await unlinked_cafe(session)
    other_cafe = await unlinked_cafe(session, "Пекарня")
    olga = await a_manager(session)
    mine = (await ask(session, cafe)).json()
    impostor = (await ask(session, cafe, chat=OTHER_CHAT, username="not_the_cafe")).json()
    same_chat_elsewhere = (await ask(session, other_cafe)).json()
    await session.execute(
        update(Cafe)
        .where(Cafe.id == cafe.id)
        .values(chat_unreachable_reason="Forbidden: bot was kicked from the group chat")
    )

    response = await client.post(f"/cafe-requests/{mine['id']}/approve", headers=auth(olga))

    assert response.status_code == 200, response.text
    assert response.json() | {"status": "approved", "processed_at": NOW} == response.json()
    await session.refresh(cafe)
    # the chat works again: the old "unreachable" mark is gone
    assert (cafe.tg_chat_id, cafe.tg_username, cafe.chat_unreachable_reason) == (
        CHAT,
        "vostok_cafe",
        None,
    )
    assert cafe.notifications_enabled is True
    assert cafe.linked_at is not None
    assert cafe.linked_at.isoformat() == "2026-11-24T06:15:00+00:00"
    rejected = await client.get("/cafe-requests?status=rejected", headers=auth(olga))
    assert {item["id"] for item in rejected.json()["items"]} == {
        impostor["id"],
        same_chat_elsewhere["id"],
    }
    assert all(item["processed_at"] == NOW for item in rejected.json()["items"])


async def test_approving_twice_or_after_rejecting_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = await unlinked_cafe(session)
    olga = await a_manager(session)
    request = (await ask(session, cafe)).json()

    rejected = await client.post(f"/cafe-requests/{request['id']}/reject", headers=auth(olga))
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["processed_at"] == NOW

    approved = await client.post(f"/cafe-requests/{request['id']}/approve", headers=auth(olga))
    assert approved.status_code == 409
    assert approved.json() == {
        "detail": "Эта заявка уже отклонена",
        "code": "link_request_processed",
    }
    await session.refresh(cafe)
    assert cafe.tg_chat_id is None
    # After a refusal the cafe may ask again
    assert (await ask(session, cafe)).json()["status"] == "pending"


async def test_a_linked_chat_cannot_ask_for_the_same_or_another_cafe(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    linked = (await session.run_sync(make_cafe, "Столовая №1", chat_id=CHAT)).cafe
    other = await unlinked_cafe(session)

    same = await ask(session, linked)
    assert same.status_code == 409
    assert same.json() == {
        "detail": "Этот чат уже привязан к кафе «Столовая №1»",
        "code": "chat_already_linked",
    }
    elsewhere = await ask(session, other)
    assert elsewhere.status_code == 409
    assert "«Столовая №1»" in elsewhere.json()["detail"]
    assert "отвяжите" in elsewhere.json()["detail"]
    assert await stored_requests(session) == 0


async def test_approving_is_refused_when_the_chat_got_linked_elsewhere_meanwhile(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = await unlinked_cafe(session)
    other = await unlinked_cafe(session, "Пекарня")
    olga = await a_manager(session)
    request = (await ask(session, cafe)).json()
    other.tg_chat_id = CHAT  # linked by other means while the request waited
    await session.flush()

    response = await client.post(f"/cafe-requests/{request['id']}/approve", headers=auth(olga))

    assert response.status_code == 409
    assert response.json()["code"] == "chat_already_linked"
    assert "«Пекарня»" in response.json()["detail"]
    await session.refresh(cafe)
    assert cafe.tg_chat_id is None


async def test_unknown_or_switched_off_cafes_cannot_be_asked_for(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cafe = await unlinked_cafe(session)
    cafe.is_active = False
    await session.flush()

    missing = await ask(session, Cafe(id=999999, name="?"))
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Кафе №999999 не найдено", "code": "cafe_not_found"}
    inactive = await ask(session, cafe)
    assert inactive.status_code == 400
    assert inactive.json()["code"] == "cafe_inactive"
    assert await stored_requests(session) == 0


async def test_strangers_cannot_ask_for_a_link_or_learn_anything_over_http(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """The contract's public link-request is gone: anyone could name any chat there."""
    cafe = (await session.run_sync(make_cafe, "Столовая №1", chat_id=CHAT)).cafe

    for path in (f"/cafes/{cafe.id}/link-request", "/cafes/999999/link-request"):
        response = await client.post(path, json={"tg_chat_id": OTHER_CHAT, "tg_username": "evil_"})
        assert response.status_code in (404, 405), path
        assert "Столовая" not in response.text
        assert str(CHAT) not in response.text
    code = await client.post(f"/cafes/{cafe.id}/link-code")
    assert code.status_code == 401
    assert await stored_requests(session) == 0


async def test_a_flood_of_chats_cannot_lock_a_cafe_out_and_each_chat_is_capped(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cafe = await unlinked_cafe(session)
    # Many chats asking for one cafe (strangers among them) never shut the real cafe out
    for n in range(15):
        assert (await ask(session, cafe, chat=-100100 - n, username=None)).status_code == 201
    real = await ask(session, cafe, chat=CHAT, username=None)
    assert real.status_code == 201, real.json()

    cafes = [await unlinked_cafe(session, f"Кафе {n}") for n in range(MAX_PENDING_PER_CHAT + 1)]
    answers = [(await ask(session, each, chat=-42, username=None)).status_code for each in cafes]
    assert answers == [201] * MAX_PENDING_PER_CHAT + [429]
    assert await stored_requests(session) == 15 + 1 + MAX_PENDING_PER_CHAT


async def test_only_a_manager_sees_and_decides_requests(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = await unlinked_cafe(session)
    ivan = await session.run_sync(make_user, 1001, "Иван Петров")
    request = (await ask(session, cafe)).json()

    assert (await client.get("/cafe-requests")).status_code == 401
    assert (await client.post(f"/cafes/{cafe.id}/link-code", headers=auth(ivan))).status_code == 403
    for method, path in [
        ("GET", "/cafe-requests"),
        ("POST", f"/cafe-requests/{request['id']}/approve"),
        ("POST", f"/cafe-requests/{request['id']}/reject"),
        ("DELETE", f"/cafes/{cafe.id}/link"),
    ]:
        response = await client.request(method, path, headers=auth(ivan))
        assert response.status_code == 403, path
        assert response.json()["code"] == "manager_only"
    await session.refresh(cafe)
    assert cafe.tg_chat_id is None


async def test_requests_are_listed_newest_first_by_status_with_paging(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    olga = await a_manager(session)
    cafes = [await unlinked_cafe(session, f"Кафе {n}") for n in range(3)]
    ids = [(await ask(session, cafe, chat=-200 - n)).json()["id"] for n, cafe in enumerate(cafes)]
    await client.post(f"/cafe-requests/{ids[0]}/reject", headers=auth(olga))

    pending = await client.get("/cafe-requests?status=pending", headers=auth(olga))
    assert [item["id"] for item in pending.json()["items"]] == [ids[2], ids[1]]
    assert pending.json()["total"] == 2
    page = await client.get("/cafe-requests?skip=1&limit=1", headers=auth(olga))
    assert page.json()["total"] == 3
    assert [item["id"] for item in page.json()["items"]] == [ids[1]]
    assert [item["cafe_name"] for item in page.json()["items"]] == ["Кафе 1"]
    wrong = await client.get("/cafe-requests?status=maybe", headers=auth(olga))
    assert wrong.status_code == 422


async def test_a_manager_pauses_and_resumes_notifications_without_unlinking(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = (await session.run_sync(make_cafe, "Столовая №1", chat_id=CHAT)).cafe
    olga = await a_manager(session)

    paused = await client.patch(
        f"/cafes/{cafe.id}/notifications", json={"enabled": False}, headers=auth(olga)
    )
    assert paused.status_code == 200, paused.text
    assert paused.json()["notifications_enabled"] is False
    assert paused.json()["tg_chat_id"] == CHAT
    assert paused.json()["name"] == "Столовая №1"

    resumed = await client.patch(
        f"/cafes/{cafe.id}/notifications", json={"enabled": True}, headers=auth(olga)
    )
    assert resumed.json()["notifications_enabled"] is True


async def test_unlinking_forgets_the_chat_and_notifications_cannot_be_turned_on_then(
    client: httpx.AsyncClient, session: AsyncSession, auth: Auth
) -> None:
    cafe = (await session.run_sync(make_cafe, "Столовая №1", chat_id=CHAT)).cafe
    olga = await a_manager(session)

    response = await client.delete(f"/cafes/{cafe.id}/link", headers=auth(olga))

    assert response.status_code == 204
    assert response.content == b""
    await session.refresh(cafe)
    assert (cafe.tg_chat_id, cafe.tg_username, cafe.linked_at) == (None, None, None)
    assert cafe.notifications_enabled is False
    enable = await client.patch(
        f"/cafes/{cafe.id}/notifications", json={"enabled": True}, headers=auth(olga)
    )
    assert enable.status_code == 400
    assert enable.json() == {
        "detail": "У кафе «Столовая №1» нет привязанного чата: сначала одобрите заявку на привязку",
        "code": "cafe_not_linked",
    }
    # The chat is free to ask again
    assert (await ask(session, cafe)).status_code == 201
    missing = await client.delete("/cafes/999999/link", headers=auth(olga))
    assert missing.status_code == 404
