"""Linking a cafe's Telegram chat, for the REST API and the bot alike.

Rules:
- a link starts only where the chat is proven: the bot, whose update names the real chat (a
  request that waits for a manager), or a one-time code a manager issued (it links at once, the
  manager vouched by issuing it). Asking again for the same cafe returns the waiting request;
- a chat is linked to at most one cafe (one chat gets one cafe's orders; a cafe chain with several
  cafes uses one chat per cafe). A cafe has at most one chat: approving a request for a cafe that
  already has a chat moves the link to the new chat;
- approving links the chat, turns notifications on and rejects the other waiting requests for the
  cafe and the chat's requests for other cafes;
- the number of waiting requests is capped per chat, never per cafe: a cap per cafe would let
  strangers' chats lock the real cafe out.

Functions never commit; the caller's unit of work does.
"""

from datetime import datetime
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from shared.cafes import repository as cafes
from shared.links import repository
from shared.links.codes import code_is_valid, issue_code, parse_code
from shared.links.errors import (
    CafeInactive,
    CafeNotFound,
    CafeNotLinked,
    ChatAlreadyLinked,
    LinkCodeInvalid,
    LinkRequestNotFound,
    LinkRequestProcessed,
    TooManyLinkRequests,
)
from shared.links.schemas import (
    LinkCodeOut,
    LinkedChat,
    LinkRequestOut,
    LinkRequestPage,
    LinkStatus,
    current_chat,
    link_request_out,
    linked_cafe,
)
from shared.models import Cafe, CafeLinkRequest, RequestStatus

MAX_PENDING_PER_CHAT = 3


async def request_link(
    session: AsyncSession, cafe_id: int, chat_id: int, username: str | None, *, now: datetime
) -> LinkRequestOut:
    """Ask for `chat_id` to receive the cafe's orders; a manager approves or rejects."""
    cafe = await _cafe(session, cafe_id)
    if not cafe.is_active:
        raise CafeInactive(
            f"Кафе «{cafe.name}» сейчас отключено, привязать к нему чат нельзя",
            en=f"Cafe «{cafe.name}» is switched off: no chat can be linked to it",
        )
    linked = await repository.cafe_linked_to(session, chat_id)
    if linked is not None and linked.id == cafe.id:
        raise ChatAlreadyLinked(
            f"Этот чат уже привязан к кафе «{cafe.name}»",
            en=f"This chat is already linked to cafe «{cafe.name}»",
        )
    if linked is not None:
        raise ChatAlreadyLinked(
            f"Этот чат уже привязан к кафе «{linked.name}». "
            "Сначала отвяжите его, затем отправьте заявку снова",
            en=f"This chat is already linked to cafe «{linked.name}». "
            "Unlink it first, then send the request again",
        )
    request = await repository.pending_request(session, cafe.id, chat_id)
    if request is None:
        await _refuse_a_flood(session, chat_id)
        await repository.add_pending_request(session, cafe.id, chat_id, username, now=now)
        request = await repository.pending_request(session, cafe.id, chat_id)
        if request is None:  # a manager decided on a concurrent twin between the two statements
            raise LinkRequestProcessed(
                "Заявку только что рассмотрели: проверьте статус привязки",
                en="The request has just been decided: check the link status",
            )
    elif username and request.tg_username != username:
        request.tg_username = username
        await session.flush()
    return link_request_out(request, cafe.name, current_chat(cafe, other_than=chat_id))


async def approve(session: AsyncSession, request_id: int, *, now: datetime) -> LinkRequestOut:
    """Link the request's chat to its cafe with notifications on; reject competing requests."""
    request = await _request(session, request_id)
    # Lock order chat → cafe → request, the same in every decision, so two managers never deadlock.
    await repository.lock_chat(session, request.tg_chat_id)
    cafe = await _cafe(session, request.cafe_id, for_update=True)
    request = await _request(session, request_id, for_update=True)
    _must_be_pending(request)
    linked = await repository.cafe_linked_to(session, request.tg_chat_id)
    if linked is not None and linked.id != cafe.id:
        raise ChatAlreadyLinked(
            f"Этот чат уже привязан к кафе «{linked.name}». "
            "Отвяжите его там, затем одобрите заявку",
            en=f"This chat is already linked to cafe «{linked.name}». "
            "Unlink it there, then approve the request",
        )
    replaced = _link(cafe, request.tg_chat_id, request.tg_username, now=now)
    request.status = RequestStatus.APPROVED
    request.processed_at = now
    await session.flush()
    await repository.reject_pending(
        session, cafe_id=cafe.id, chat_id=request.tg_chat_id, keep=request.id, now=now
    )
    return link_request_out(request, cafe.name, replaced)


async def issue_link_code(
    session: AsyncSession, cafe_id: int, *, key: str, bot_username: str, now: datetime
) -> LinkCodeOut:
    """A one-time code (and deep link) that links the cafe to whichever chat opens it."""
    cafe = await _cafe(session, cafe_id)
    if not cafe.is_active:
        raise CafeInactive(
            f"Кафе «{cafe.name}» сейчас отключено, привязать к нему чат нельзя",
            en=f"Cafe «{cafe.name}» is switched off: no chat can be linked to it",
        )
    code, expires_at = issue_code(cafe, key, now=now)
    return LinkCodeOut(
        code=code,
        deep_link=f"https://t.me/{bot_username}?start={code}",
        expires_at=expires_at,
        replaces_chat=current_chat(cafe),
    )


async def link_with_code(
    session: AsyncSession,
    code: str,
    chat_id: int,
    username: str | None,
    *,
    key: str,
    now: datetime,
) -> LinkRequestOut:
    """Redeem a manager's one-time code in the chat that sent it: the chat is linked at once."""
    parsed = parse_code(code)
    invalid = LinkCodeInvalid(
        "Ссылка для привязки недействительна: она устарела или уже использована. "
        "Попросите офис-менеджера прислать новую",
        en="This link is no longer valid: it has expired or was already used. "
        "Ask the office manager for a new one",
    )
    if parsed is None:
        raise invalid
    await repository.lock_chat(session, chat_id)
    cafe = await cafes.get_cafe(session, parsed.cafe_id, for_update=True)
    if cafe is None or not code_is_valid(code, cafe, key, now=now):
        raise invalid
    if not cafe.is_active:
        raise CafeInactive(
            f"Кафе «{cafe.name}» сейчас отключено, привязать к нему чат нельзя",
            en=f"Cafe «{cafe.name}» is switched off: no chat can be linked to it",
        )
    if cafe.tg_chat_id == chat_id:
        raise ChatAlreadyLinked(
            f"Этот чат уже привязан к кафе «{cafe.name}»",
            en=f"This chat is already linked to cafe «{cafe.name}»",
        )
    linked = await repository.cafe_linked_to(session, chat_id)
    if linked is not None:
        raise ChatAlreadyLinked(
            f"Этот чат уже привязан к кафе «{linked.name}». "
            "Сначала отвяжите его (/unlink), затем откройте ссылку снова",
            en=f"This chat is already linked to cafe «{linked.name}». "
            "Unlink it first (/unlink), then open the link again",
        )
    replaced = _link(cafe, chat_id, username, now=now)
    request = await repository.add_approved_request(session, cafe.id, chat_id, username, now=now)
    await repository.reject_pending(
        session, cafe_id=cafe.id, chat_id=chat_id, keep=request.id, now=now
    )
    return link_request_out(request, cafe.name, replaced)


def _link(cafe: Cafe, chat_id: int, username: str | None, *, now: datetime) -> LinkedChat | None:
    """Point the cafe at `chat_id` with notifications on; answer the chat this replaced."""
    replaced = current_chat(cafe, other_than=chat_id)
    cafe.tg_chat_id = chat_id
    cafe.tg_username = username
    cafe.notifications_enabled = True
    cafe.linked_at = now
    cafe.chat_unreachable_reason = None
    return replaced


async def reject(session: AsyncSession, request_id: int, *, now: datetime) -> LinkRequestOut:
    """Turn a waiting request down; the chat stays unlinked."""
    request = await _request(session, request_id, for_update=True)
    _must_be_pending(request)
    request.status = RequestStatus.REJECTED
    request.processed_at = now
    await session.flush()
    cafe = await _cafe(session, request.cafe_id)
    return link_request_out(request, cafe.name)


async def set_notifications(session: AsyncSession, cafe_id: int, enabled: bool) -> Cafe:
    """Pause or resume order messages to the cafe's chat without unlinking it."""
    cafe = await _cafe(session, cafe_id, for_update=True)
    if enabled and cafe.tg_chat_id is None:
        raise CafeNotLinked(
            f"У кафе «{cafe.name}» нет привязанного чата: сначала одобрите заявку на привязку",
            en=f"Cafe «{cafe.name}» has no linked chat: approve its link request first",
        )
    cafe.notifications_enabled = enabled
    await session.flush()
    return cafe


async def unlink(session: AsyncSession, cafe_id: int) -> Cafe:
    """Forget the cafe's chat and stop notifications; unlinking an unlinked cafe changes nothing."""
    cafe = await _cafe(session, cafe_id, for_update=True)
    cafe.tg_chat_id = None
    cafe.tg_username = None
    cafe.notifications_enabled = False
    cafe.linked_at = None
    cafe.chat_unreachable_reason = None
    await session.flush()
    return cafe


async def link_status(session: AsyncSession, chat_id: int) -> LinkStatus:
    """The cafe the chat is linked to, if any, and its requests still waiting for a manager."""
    cafe = await repository.cafe_linked_to(session, chat_id)
    pending = await repository.pending_for_chat(session, chat_id)
    return LinkStatus(
        cafe=linked_cafe(cafe) if cafe is not None else None,
        pending=[
            link_request_out(request, cafe.name, current_chat(cafe, other_than=chat_id))
            for request, cafe in pending
        ],
    )


async def list_requests(
    session: AsyncSession, status: RequestStatus | None, *, offset: int, limit: int
) -> LinkRequestPage:
    """Requests newest first, optionally of one status, with the total for paging."""
    rows, total = await repository.list_requests(session, status, offset=offset, limit=limit)
    return LinkRequestPage(
        items=[
            link_request_out(
                request,
                cafe.name,
                current_chat(cafe, other_than=request.tg_chat_id)
                if request.status == RequestStatus.PENDING
                else None,
            )
            for request, cafe in rows
        ],
        total=total,
    )


async def _cafe(session: AsyncSession, cafe_id: int, *, for_update: bool = False) -> Cafe:
    cafe = await cafes.get_cafe(session, cafe_id, for_update=for_update)
    if cafe is None:
        raise CafeNotFound(f"Кафе №{cafe_id} не найдено", en=f"Cafe #{cafe_id} was not found")
    return cafe


async def _request(
    session: AsyncSession, request_id: int, *, for_update: bool = False
) -> CafeLinkRequest:
    request = await repository.get_request(session, request_id, for_update=for_update)
    if request is None:
        raise LinkRequestNotFound(
            f"Заявка на привязку №{request_id} не найдена",
            en=f"Link request #{request_id} was not found",
        )
    return request


def _must_be_pending(request: CafeLinkRequest) -> None:
    if request.status == RequestStatus.APPROVED:
        raise LinkRequestProcessed("Эта заявка уже одобрена", en="This request is already approved")
    if request.status == RequestStatus.REJECTED:
        raise LinkRequestProcessed(
            "Эта заявка уже отклонена", en="This request is already rejected"
        )


async def _refuse_a_flood(session: AsyncSession, chat_id: int) -> None:
    if await repository.count_pending(session, chat_id=chat_id) >= MAX_PENDING_PER_CHAT:
        raise TooManyLinkRequests(
            f"У этого чата уже {MAX_PENDING_PER_CHAT} заявки ждут решения менеджера. "
            "Дождитесь ответа, прежде чем отправлять новую",
            en=f"This chat already has {MAX_PENDING_PER_CHAT} requests waiting for a manager. "
            "Wait for an answer before sending another",
        )


def cafe_deep_link(bot_username: str, cafe_id: int) -> str:
    """The link a manager shares with a cafe: opening it asks to link that cafe's chat."""
    return f"https://t.me/{bot_username}?start=cafe_{cafe_id}"


def share_url(link: str, text: str) -> str:
    """Telegram's share sheet for a link (t.me/share/url), with a line of text for the cafe."""
    return f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(text, safe='')}"
