"""Reporting that a cafe's lunch arrived and telling everyone with an order there, once.

The arrival is one row per cafe and date, so pressing "Привезли" twice, or two people pressing
it, records it once. Each order gets one notice row; a notice is sent while its row is locked
(`FOR UPDATE SKIP LOCKED`) and marked sent in the same transaction, so two presses working at
once never tell a person twice, and a press after a crash sends only what is still unsent.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.deliveries import repository
from shared.kit.db import unit_of_work
from shared.kit.errors import AccessDenied, NotFound
from shared.models import Cafe, NoticeState
from shared.notifications.delivery import SendText
from shared.notifications.errors import ChatUnreachable, DeliveryError
from shared.reminders import contacts

logger = logging.getLogger(__name__)

ARRIVED_TEXT = "🍽 Обед из «{cafe}» привезли! Приятного аппетита."


class NotThisCafesChat(AccessDenied):
    code = "not_this_cafes_chat"


@dataclass(frozen=True)
class ArrivalOutcome:
    cafe_name: str
    arrived_at: datetime
    reported_by_name: str | None
    first_report: bool
    sent: int
    not_reachable: int
    failed: int


async def report_arrival(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    *,
    cafe_id: int,
    order_date: date,
    chat_id: int,
    reporter_id: int | None,
    reporter_name: str | None,
    now: datetime,
) -> ArrivalOutcome:
    """Record the arrival (once) and send every unsent notice; the chat must be the cafe's."""
    async with unit_of_work(sessions) as session:
        cafe = await session.get(Cafe, cafe_id)
        if cafe is None:
            raise NotFound("Этого кафе больше нет", en="This cafe no longer exists")
        if cafe.tg_chat_id != chat_id:
            raise NotThisCafesChat(
                "Отметить доставку может только чат этого кафе",
                en="Only this cafe's chat can mark the delivery",
            )
        arrival, first = await repository.record_arrival(
            session,
            cafe_id,
            order_date,
            now=now,
            reported_by=reporter_id,
            reported_by_name=reporter_name,
            chat_id=chat_id,
        )
        await repository.add_notices(session, arrival)
        notice_ids = await repository.unsent_notice_ids(session, arrival.id)
        cafe_name = cafe.name
    text = ARRIVED_TEXT.format(cafe=escape(cafe_name))
    sent = not_reachable = failed = 0
    for notice_id in notice_ids:
        outcome = await _send_notice(sessions, send, notice_id, text, now=now)
        sent += outcome == NoticeState.SENT
        not_reachable += outcome == NoticeState.SKIPPED
        failed += outcome == "failed"
    return ArrivalOutcome(
        cafe_name=cafe_name,
        arrived_at=arrival.arrived_at,
        reported_by_name=arrival.reported_by_name,
        first_report=first,
        sent=sent,
        not_reachable=not_reachable,
        failed=failed,
    )


async def _send_notice(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    notice_id: int,
    text: str,
    *,
    now: datetime,
) -> str | None:
    async with unit_of_work(sessions) as session:
        notice = await repository.claim_notice(session, notice_id)
        if notice is None:  # sent already, or being sent by another press right now
            return None
        if (
            unreachable := await contacts.unreachable_reason(session, notice.user_tgid)
        ) is not None:
            notice.state, notice.reason = NoticeState.SKIPPED, unreachable
            return NoticeState.SKIPPED
        try:
            await send(notice.user_tgid, text)
        except ChatUnreachable as error:
            await contacts.mark_blocked(session, notice.user_tgid, now=now)
            notice.state, notice.reason = NoticeState.SKIPPED, error.reason[:300]
            return NoticeState.SKIPPED
        except DeliveryError as error:
            # Left unsent: the next press of the button tries this person again.
            logger.warning("arrival notice not sent", extra={"reason": error.reason})
            return "failed"
        notice.state, notice.sent_at = NoticeState.SENT, now
        return NoticeState.SENT
