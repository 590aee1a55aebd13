"""Delivering a cafe's orders for a date to its Telegram chat, once.

State lives in `notification_deliveries` (one row per cafe and date). A transaction-scoped
advisory lock keeps two consumers from working on the same pair at once; each sent part is
committed as soon as Telegram accepts it, so a retry after a crash resumes with the next part.
The window that remains: if the process dies after Telegram accepted a part and before that part
was committed, the retry sends that one part again. Everything else is exactly once.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from shared.kit.db import unit_of_work
from shared.models import Cafe, DeliveryState, NotificationDelivery
from shared.notifications.errors import ChatUnreachable, DeliveryInProgress
from shared.notifications.formatting import PersonOrder, cafe_order_messages
from shared.ordering import repository as orders

# Sends one HTML message to a chat and returns Telegram's message id.
SendText = Callable[[int, str], Awaitable[int]]

DELIVERY_LOCK_NAMESPACE = 0x10C4  # advisory-lock key space of deliveries


@dataclass(frozen=True)
class DeliveryOutcome:
    state: DeliveryState
    parts_sent: int
    reason: str | None = None
    already_done: bool = False


def bot_sender(bot: Bot) -> SendText:
    """Send through python-telegram-bot, as HTML without link previews."""

    async def send(chat_id: int, text: str) -> int:
        message = await bot.send_message(
            chat_id=chat_id, text=text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        )
        return message.message_id

    return send


async def deliver_cafe_orders(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    cafe_id: int,
    order_date: date,
    *,
    now: datetime,
) -> DeliveryOutcome:
    """Send the cafe the day's orders unless that was already done (or there is nothing to send)."""
    async with sessions() as lock_session, lock_session.begin():
        key = order_date.toordinal()
        locked = await lock_session.scalar(
            select(func.pg_try_advisory_xact_lock(DELIVERY_LOCK_NAMESPACE + cafe_id, key))
        )
        if not locked:
            raise DeliveryInProgress(f"cafe {cafe_id} {order_date} is being delivered elsewhere")
        return await _deliver_locked(sessions, send, cafe_id, order_date, now=now)


async def _deliver_locked(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    cafe_id: int,
    order_date: date,
    *,
    now: datetime,
) -> DeliveryOutcome:
    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date)
        if delivery.state in (DeliveryState.DELIVERED, DeliveryState.SKIPPED):
            return DeliveryOutcome(delivery.state, delivery.parts_sent, delivery.reason, True)
        delivery.attempts += 1
        cafe = await session.get(Cafe, cafe_id)
        people: list[PersonOrder] = []
        if cafe is not None:
            rows = await orders.orders_with_names(session, cafe_id, order_date)
            people = [PersonOrder(user_name=name, order=order) for order, name in rows]
        skip_reason = _skip_reason(cafe, people)
        if skip_reason is not None or cafe is None or cafe.tg_chat_id is None:
            delivery.state = DeliveryState.SKIPPED
            delivery.reason = skip_reason
            return DeliveryOutcome(DeliveryState.SKIPPED, 0, skip_reason)
        chat_id = cafe.tg_chat_id
        messages = cafe_order_messages(cafe.name, order_date, people)
        delivery.chat_id = chat_id
        delivery.parts_total = len(messages)
        delivery.state = DeliveryState.SENDING
        start = delivery.parts_sent

    for index in range(start, len(messages)):
        try:
            message_id = await send(chat_id, messages[index])
        except (Forbidden, BadRequest) as error:
            await _mark_unreachable(sessions, cafe_id, order_date, str(error.message))
            raise ChatUnreachable(f"Telegram refused chat {chat_id}: {error.message}") from error
        async with unit_of_work(sessions) as session:
            delivery = await _delivery_row(session, cafe_id, order_date)
            delivery.parts_sent = index + 1
            delivery.message_ids = [*delivery.message_ids, message_id]

    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date)
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
        delivery.reason = None
        return DeliveryOutcome(DeliveryState.DELIVERED, delivery.parts_sent)


def _skip_reason(cafe: Cafe | None, people: list[PersonOrder]) -> str | None:
    if cafe is None:
        return "cafe deleted"
    if not people:
        return "no orders"
    if cafe.tg_chat_id is None:
        return "no linked chat"
    if not cafe.notifications_enabled:
        return "notifications disabled"
    return None


async def _delivery_row(
    session: AsyncSession, cafe_id: int, order_date: date
) -> NotificationDelivery:
    await session.execute(
        insert(NotificationDelivery)
        .values(cafe_id=cafe_id, order_date=order_date)
        .on_conflict_do_nothing(index_elements=["cafe_id", "order_date"])
    )
    statement = select(NotificationDelivery).where(
        NotificationDelivery.cafe_id == cafe_id, NotificationDelivery.order_date == order_date
    )
    return (await session.execute(statement)).scalar_one()


async def _mark_unreachable(
    sessions: async_sessionmaker[AsyncSession], cafe_id: int, order_date: date, reason: str
) -> None:
    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date)
        delivery.state = DeliveryState.FAILED
        delivery.reason = reason
        cafe = await session.get(Cafe, cafe_id)
        if cafe is not None:
            cafe.chat_unreachable_reason = reason
