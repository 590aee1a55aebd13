"""Delivering a cafe's orders for a date to its Telegram chat, once.

State lives in `notification_deliveries` (one row per cafe and date). A transaction-scoped
advisory lock keeps two consumers from working on the same pair at once; each sent part is
committed as soon as Telegram accepts it, so a retry after a crash resumes with the next part.
The window that remains: if the process dies after Telegram accepted a part and before that part
was committed, or the request timed out after Telegram had accepted it, the retry sends that one
part again. Everything else is exactly once.

Failures are sorted in two: permanent ones (Telegram refuses the chat or the message) end the
delivery at once as `failed`; transient ones (network, 5xx, flood control that lasts too long)
are counted in `attempts` and raised, so that the record is retried, until `max_attempts` is
reached and the delivery ends as `failed` too. A failed delivery is then dead-lettered by the
caller (`dead_lettered_at` says it was).
"""

import asyncio
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from psycopg.errors import LockNotAvailable
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.error import ChatMigrated as TelegramChatMigrated
from telegram.warnings import PTBDeprecationWarning

from shared.cafes.repository import dish_labels
from shared.kit.db import unit_of_work
from shared.kit.ratelimit import TelegramRateLimiter
from shared.models import Cafe, DeliveryState, NotificationDelivery
from shared.notifications.arrival_button import arrived_keyboard
from shared.notifications.errors import (
    ChatMigrated,
    ChatUnreachable,
    DeliveryError,
    DeliveryInProgress,
    MessageRejected,
    TelegramUnavailable,
)
from shared.notifications.formatting import PersonOrder, cafe_order_messages
from shared.ordering import repository as orders


class SendText(Protocol):
    """Sends one HTML message to a chat (with an optional inline keyboard); returns its id."""

    async def __call__(
        self, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> int: ...


DELIVERY_LOCK_NAMESPACE = 0x10C4  # advisory-lock key space of deliveries
LOCK_WAIT_SECONDS = 15
# Telegram's 400 answers that mean the chat, not the message, is the problem.
UNREACHABLE_CHAT_ERRORS = ("chat not found", "not enough rights", "have no rights", "chat_id")


@dataclass(frozen=True)
class DeliveryOutcome:
    state: DeliveryState
    parts_sent: int
    reason: str | None = None
    already_done: bool = False
    attempts: int = 0
    chat_id: int | None = None
    dead_lettered: bool = False


class TelegramSender:
    """Sends through python-telegram-bot within the shared rate limits.

    Flood control (429) is waited out and the message sent again, up to `max_flood_waits`
    times; Telegram's other refusals become the delivery errors above.
    """

    def __init__(
        self, bot: Bot, limiter: TelegramRateLimiter, *, max_flood_waits: int = 10
    ) -> None:
        self._bot = bot
        self._limiter = limiter
        self._max_flood_waits = max_flood_waits

    async def __call__(
        self, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> int:
        for _ in range(self._max_flood_waits + 1):
            try:
                async with self._limiter.sending(chat_id):
                    message = await self._bot.send_message(
                        chat_id=chat_id,
                        text=text,
                        parse_mode=ParseMode.HTML,
                        disable_web_page_preview=True,
                        reply_markup=reply_markup,
                    )
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error))
                continue
            except TelegramChatMigrated as error:
                raise ChatMigrated(error.new_chat_id) from error
            except Forbidden as error:
                raise ChatUnreachable(error.message) from error
            except BadRequest as error:
                if any(text in error.message.lower() for text in UNREACHABLE_CHAT_ERRORS):
                    raise ChatUnreachable(error.message) from error
                raise MessageRejected(error.message) from error
            except (NetworkError, TelegramError) as error:
                raise TelegramUnavailable(f"{type(error).__name__}: {error.message}") from error
            return message.message_id
        raise TelegramUnavailable(f"flood control lasted over {self._max_flood_waits} waits")


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that `retry_after` becomes a timedelta one day; both are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        retry_after = error.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


async def deliver_cafe_orders(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    cafe_id: int,
    order_date: date,
    *,
    now: datetime,
    max_attempts: int,
) -> DeliveryOutcome:
    """Send the cafe the day's orders unless that was already done (or there is nothing to send).

    Raises a transient `DeliveryError` when the record should be tried again later.
    """
    async with sessions() as lock_session, lock_session.begin():
        # A copy of the record (Kafka redelivers, a batch may hold it twice) waits here while
        # another consumer delivers the same pair, then finds it delivered. Only a delivery
        # that holds the lock for longer than LOCK_WAIT makes the copy fail and come back later.
        await lock_session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
        key = order_date.toordinal()
        try:
            await lock_session.execute(
                select(func.pg_advisory_xact_lock(DELIVERY_LOCK_NAMESPACE + cafe_id, key))
            )
        except OperationalError as error:
            if not isinstance(error.orig, LockNotAvailable):
                raise
            raise DeliveryInProgress(
                f"cafe {cafe_id} {order_date} is being delivered elsewhere"
            ) from None
        try:
            return await _deliver_locked(sessions, send, cafe_id, order_date, now=now)
        except DeliveryError as error:
            return await _record_failure(
                sessions, cafe_id, order_date, error, max_attempts=max_attempts
            )


async def mark_dead_lettered(
    sessions: async_sessionmaker[AsyncSession], cafe_id: int, order_date: date, *, now: datetime
) -> None:
    """Remember that a failed delivery reached the dead-letter topic."""
    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date)
        delivery.dead_lettered_at = now


async def _deliver_locked(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    cafe_id: int,
    order_date: date,
    *,
    now: datetime,
) -> DeliveryOutcome:
    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date, create=True)
        if delivery.state in (DeliveryState.DELIVERED, DeliveryState.SKIPPED, DeliveryState.FAILED):
            return _outcome(delivery, already_done=True)
        delivery.attempts += 1
        cafe = await session.get(Cafe, cafe_id)
        people: list[PersonOrder] = []
        if cafe is not None:
            rows = await orders.orders_with_names(session, cafe_id, order_date)
            labels = await dish_labels(session, [order for order, _, _ in rows])
            people = [
                PersonOrder(user_name=name, order=order, office=office, labels=labels)
                for order, name, office in rows
            ]
        skip_reason = _skip_reason(cafe, people)
        if skip_reason is not None or cafe is None or cafe.tg_chat_id is None:
            delivery.state = DeliveryState.SKIPPED
            delivery.reason = skip_reason
            return _outcome(delivery)
        chat_id = cafe.tg_chat_id
        messages = cafe_order_messages(cafe.name, order_date, people)
        delivery.chat_id = chat_id
        delivery.parts_total = len(messages)
        delivery.state = DeliveryState.SENDING
        start = delivery.parts_sent

    index = start
    while True:
        # Each accepted part is committed at once; the last one in the same transaction that
        # marks the delivery done.
        message_id = None
        if index < len(messages):
            # The last part carries the "Привезли" button: the cafe presses it on arrival.
            markup = arrived_keyboard(cafe_id, order_date) if index == len(messages) - 1 else None
            try:
                message_id = await send(chat_id, messages[index], markup)
            except ChatMigrated as moved:
                chat_id = moved.new_chat_id
                await _move_chat(sessions, cafe_id, order_date, chat_id)
                continue
        async with unit_of_work(sessions) as session:
            delivery = await _delivery_row(session, cafe_id, order_date)
            if message_id is not None:
                index += 1
                delivery.parts_sent = index
                delivery.message_ids = [*delivery.message_ids, message_id]
            if index < len(messages):
                continue
            delivery.state = DeliveryState.DELIVERED
            delivery.delivered_at = now
            delivery.reason = None
            if cafe.chat_unreachable_reason is not None:
                await session.execute(
                    update(Cafe)
                    .where(Cafe.id == cafe_id, Cafe.tg_chat_id == chat_id)
                    .values(chat_unreachable_reason=None)
                )
            return _outcome(delivery)


async def _record_failure(
    sessions: async_sessionmaker[AsyncSession],
    cafe_id: int,
    order_date: date,
    error: DeliveryError,
    *,
    max_attempts: int,
) -> DeliveryOutcome:
    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date)
        delivery.reason = error.reason[:1000]
        if isinstance(error, ChatUnreachable):
            cafe = await session.get(Cafe, cafe_id)
            if cafe is not None and cafe.tg_chat_id == delivery.chat_id:
                cafe.chat_unreachable_reason = error.reason[:300]
        if error.permanent or delivery.attempts >= max_attempts:
            delivery.state = DeliveryState.FAILED
            return _outcome(delivery)
        error.attempts = delivery.attempts
    raise error


def _outcome(delivery: NotificationDelivery, *, already_done: bool = False) -> DeliveryOutcome:
    return DeliveryOutcome(
        state=delivery.state,
        parts_sent=delivery.parts_sent,
        reason=delivery.reason,
        already_done=already_done,
        attempts=delivery.attempts,
        chat_id=delivery.chat_id,
        dead_lettered=delivery.dead_lettered_at is not None,
    )


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
    session: AsyncSession, cafe_id: int, order_date: date, *, create: bool = False
) -> NotificationDelivery:
    if create:
        await session.execute(
            insert(NotificationDelivery)
            .values(cafe_id=cafe_id, order_date=order_date)
            .on_conflict_do_nothing(index_elements=["cafe_id", "order_date"])
        )
    statement = select(NotificationDelivery).where(
        NotificationDelivery.cafe_id == cafe_id, NotificationDelivery.order_date == order_date
    )
    return (await session.execute(statement)).scalar_one()


async def _move_chat(
    sessions: async_sessionmaker[AsyncSession], cafe_id: int, order_date: date, chat_id: int
) -> None:
    async with unit_of_work(sessions) as session:
        delivery = await _delivery_row(session, cafe_id, order_date)
        cafe = await session.get(Cafe, cafe_id)
        if cafe is not None and cafe.tg_chat_id == delivery.chat_id:
            cafe.tg_chat_id = chat_id
        delivery.chat_id = chat_id
