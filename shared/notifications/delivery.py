"""Delivering a cafe's orders for a date to its Telegram chat, once.

State lives in `notification_deliveries` (one row per cafe and date). A delivery works on one
pooled connection that holds a session-level advisory lock for the pair, so two consumers never
work on the same pair at once; each sent part is committed as soon as Telegram accepts it, so a
retry after a crash resumes with the next part. One delivery of one part is two transactions:
claim and read (the attempt is counted before anything is sent), then the result.
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
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from psycopg.errors import LockNotAvailable, QueryCanceled
from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
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
    FloodWait,
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
MAX_FLOOD_WAITS = 10  # 429s waited out for one message before it counts as a failed attempt
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


@dataclass(frozen=True)
class CafeOrders:
    """What a cafe is to be sent for a date: the cafe (None if deleted) and its people's orders."""

    cafe: Cafe | None
    people: list[PersonOrder]


type ReadAhead = Callable[[], Awaitable[CafeOrders | None]]


class TelegramSender:
    """Sends through python-telegram-bot within the shared rate limits.

    Flood control (429) is waited out and the message sent again, up to `max_flood_waits`
    times; with `wait_out_floods=False` it raises `FloodWait` instead, for a caller that has
    more to let go of while it waits. Telegram's other refusals become the delivery errors above.
    """

    def __init__(
        self,
        bot: Bot,
        limiter: TelegramRateLimiter,
        *,
        max_flood_waits: int = MAX_FLOOD_WAITS,
        wait_out_floods: bool = True,
    ) -> None:
        self._bot = bot
        self._limiter = limiter
        self._max_flood_waits = max_flood_waits
        self._wait_out_floods = wait_out_floods

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
                if not self._wait_out_floods:
                    raise FloodWait(_seconds(error)) from error
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
    count_attempt: bool = True,
    flood_waits_left: int = 0,
    read_ahead: ReadAhead | None = None,
) -> DeliveryOutcome:
    """Send the cafe the day's orders unless that was already done (or there is nothing to send).

    Raises a transient `DeliveryError` when the record should be tried again later, and
    `FloodWait` when Telegram asked to wait and `flood_waits_left` says the caller will wait
    and call again (with `count_attempt=False`: it is the same attempt); with none left, flood
    control ends the attempt like Telegram being unavailable. `read_ahead` answers the cafe and
    its orders when a batch's were read together (None: read them here).
    """
    async with _locked(sessions, cafe_id, order_date) as held:
        try:
            return await _deliver_locked(
                held,
                send,
                cafe_id,
                order_date,
                now=now,
                count_attempt=count_attempt,
                read_ahead=read_ahead,
            )
        except FloodWait:
            if flood_waits_left > 0:
                raise
            error: DeliveryError = TelegramUnavailable("flood control lasted too long")
            return await _record_failure(held, cafe_id, order_date, error, max_attempts)
        except DeliveryError as error:
            return await _record_failure(held, cafe_id, order_date, error, max_attempts)


async def read_cafe_orders(
    session: AsyncSession, pairs: Collection[tuple[int, date]]
) -> dict[tuple[int, date], CafeOrders]:
    """Every pair's cafe and orders (with their lines and dish labels) in four statements."""
    ids = {cafe_id for cafe_id, _ in pairs}
    cafes = {cafe.id: cafe for cafe in await session.scalars(select(Cafe).where(Cafe.id.in_(ids)))}
    placed = await orders.orders_with_names_many(
        session, [pair for pair in pairs if pair[0] in cafes]
    )
    labels = await dish_labels(session, [order for rows in placed.values() for order, _, _ in rows])
    return {
        (cafe_id, day): CafeOrders(
            cafe=cafes.get(cafe_id),
            people=[
                PersonOrder(user_name=name, order=order, office=office, labels=labels)
                for order, name, office in placed.get((cafe_id, day), [])
            ],
        )
        for cafe_id, day in pairs
    }


class OrdersAhead:
    """A batch's cafes and orders, read together once, when its first delivery asks for them.

    Read on their own connection while the deliveries take their locks (the caller leaves one
    connection of the pool for it), so a delivery's own transaction only claims its row.
    Orders cannot change once their deadline has passed; a cafe whose chat changes meanwhile is
    no staler than one read just before the limiter's wait. If the read fails, each delivery
    reads its own.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], pairs: Collection[tuple[int, date]]
    ) -> None:
        self._sessions = sessions
        self._pairs = set(pairs)
        self._reading: asyncio.Future[dict[tuple[int, date], CafeOrders]] | None = None

    def __call__(self, cafe_id: int, order_date: date) -> ReadAhead:
        """The read for one pair; the first delivery to ask starts reading them all."""

        async def read() -> CafeOrders | None:
            if self._reading is None:
                self._reading = asyncio.ensure_future(self._read())
            try:
                found = await asyncio.shield(self._reading)
            except Exception:
                return None
            return found.get((cafe_id, order_date))

        return read

    async def close(self) -> None:
        """Stop a read nobody waits for any more: nothing is left running when the batch ends
        (a frozen container would keep its connection)."""
        if self._reading is not None and not self._reading.done():
            self._reading.cancel()
            with suppress(asyncio.CancelledError):
                await self._reading

    async def _read(self) -> dict[tuple[int, date], CafeOrders]:
        async with self._sessions() as session, session.begin():
            return await read_cafe_orders(session, self._pairs)


async def mark_dead_lettered(
    sessions: async_sessionmaker[AsyncSession], cafe_id: int, order_date: date, *, now: datetime
) -> None:
    """Remember that a failed delivery reached the dead-letter topic."""
    async with unit_of_work(sessions) as session:
        await session.execute(
            update(NotificationDelivery)
            .where(
                NotificationDelivery.cafe_id == cafe_id,
                NotificationDelivery.order_date == order_date,
            )
            .values(dead_lettered_at=now)
        )


@dataclass
class _Held:
    """The one connection a delivery works on, holding the pair's advisory lock."""

    session: AsyncSession
    key: tuple[int, int]
    released: bool = False

    async def release(self) -> None:
        """Release the lock inside the transaction in progress, just before its commit.

        The lock is not transactional, but the delivery row written in this transaction stays
        locked until the commit, and the next holder reads that row with an upsert that waits
        for it: so it sees this transaction's outcome, never the state before it.
        """
        await self.session.execute(select(func.pg_advisory_unlock(*self.key)))
        self.released = True


@asynccontextmanager
async def _locked(
    sessions: async_sessionmaker[AsyncSession], cafe_id: int, order_date: date
) -> AsyncIterator[_Held]:
    """One pooled connection with the pair's session-level advisory lock, released on leaving.

    A copy of the record (Kafka redelivers, a batch may hold it twice) waits here while another
    consumer delivers the same pair, then finds it delivered. Only a delivery that holds the lock
    for longer than the connection's lock and statement timeouts makes the copy fail and come
    back later. The lock outlives the transactions that commit each part, so one connection does
    what a lock connection and a work connection did before.
    """
    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine):
        raise TypeError("deliveries need sessions bound to an engine")
    key = (DELIVERY_LOCK_NAMESPACE + cafe_id, order_date.toordinal())
    async with engine.connect() as connection:
        # Bound to a connection outside any transaction, the session begins and commits its own.
        session = sessions(bind=connection)
        try:
            await session.execute(select(func.pg_advisory_lock(*key)))
        except OperationalError as error:
            await session.rollback()
            if not isinstance(error.orig, LockNotAvailable | QueryCanceled):
                raise
            raise DeliveryInProgress(
                f"cafe {cafe_id} {order_date} is being delivered elsewhere"
            ) from None
        held = _Held(session, key)
        try:
            yield held
        finally:
            if not held.released:
                await _release_or_drop(held, connection)


async def _release_or_drop(held: _Held, connection: AsyncConnection) -> None:
    """Roll back what is left and release the lock; a connection that cannot is closed instead
    (which releases it too), never handed back to the pool still holding it."""
    try:
        await held.session.rollback()
        await held.release()
        await held.session.commit()
    except BaseException:
        await connection.invalidate()
        raise


async def _deliver_locked(
    held: _Held,
    send: SendText,
    cafe_id: int,
    order_date: date,
    *,
    now: datetime,
    count_attempt: bool,
    read_ahead: ReadAhead | None,
) -> DeliveryOutcome:
    session = held.session
    delivery = await _claim(session, cafe_id, order_date, count_attempt=count_attempt)
    if delivery.state in (DeliveryState.DELIVERED, DeliveryState.SKIPPED, DeliveryState.FAILED):
        await held.release()
        await session.commit()
        return _outcome(delivery, already_done=True)
    known = await read_ahead() if read_ahead is not None else None
    if known is None:
        known = (await read_cafe_orders(session, [(cafe_id, order_date)]))[cafe_id, order_date]
    cafe, people = known.cafe, known.people
    skip_reason = _skip_reason(cafe, people)
    if skip_reason is not None or cafe is None or cafe.tg_chat_id is None:
        delivery.state = DeliveryState.SKIPPED
        delivery.reason = skip_reason
        await session.flush()
        await held.release()
        await session.commit()
        return _outcome(delivery)
    # The attempt is counted before anything is sent; no transaction stays open while
    # Telegram is asked.
    await session.commit()
    chat_id = cafe.tg_chat_id
    messages = cafe_order_messages(cafe.name, order_date, people)
    # Written with the first part sent, or with the failure: a crash before either leaves the
    # row as it was, and the next try works them out again.
    delivery.chat_id = chat_id
    delivery.parts_total = len(messages)
    index = delivery.parts_sent
    while index < len(messages):
        # The last part carries the "Привезли" button: the cafe presses it on arrival.
        markup = arrived_keyboard(cafe_id, order_date) if index == len(messages) - 1 else None
        try:
            message_id = await send(chat_id, messages[index], markup)
        except ChatMigrated as moved:
            chat_id = moved.new_chat_id
            await _move_chat(session, delivery, cafe_id, chat_id)
            continue
        # Each accepted part is committed at once; the last one in the same transaction that
        # marks the delivery done (and releases the lock).
        index += 1
        delivery.parts_sent = index
        delivery.message_ids = [*delivery.message_ids, message_id]
        if index < len(messages):
            await session.commit()
    delivery.state = DeliveryState.DELIVERED
    delivery.delivered_at = now
    delivery.reason = None
    if cafe.chat_unreachable_reason is not None:
        await session.execute(
            update(Cafe)
            .where(Cafe.id == cafe_id, Cafe.tg_chat_id == chat_id)
            .values(chat_unreachable_reason=None)
        )
    await session.flush()
    await held.release()
    await session.commit()
    return _outcome(delivery)


async def _claim(
    session: AsyncSession, cafe_id: int, order_date: date, *, count_attempt: bool
) -> NotificationDelivery:
    """The pair's delivery row, created if new, with this attempt counted unless it is done.

    One upsert: it waits for a transaction still writing the row and answers its latest
    version.
    """
    table = NotificationDelivery.__table__
    finished = [DeliveryState.DELIVERED, DeliveryState.SKIPPED, DeliveryState.FAILED]
    counted = table.c.attempts + 1 if count_attempt else table.c.attempts
    statement = (
        insert(NotificationDelivery)
        .values(
            cafe_id=cafe_id,
            order_date=order_date,
            state=DeliveryState.SENDING,
            attempts=1 if count_attempt else 0,
            parts_total=0,
            parts_sent=0,
            message_ids=[],
        )
        .on_conflict_do_update(
            index_elements=["cafe_id", "order_date"],
            set_={"attempts": case((table.c.state.in_(finished), table.c.attempts), else_=counted)},
        )
        .returning(NotificationDelivery)
    )
    result = await session.scalars(statement, execution_options={"populate_existing": True})
    return result.one()


async def _record_failure(
    held: _Held,
    cafe_id: int,
    order_date: date,
    error: DeliveryError,
    max_attempts: int,
) -> DeliveryOutcome:
    session = held.session
    # (Raised by a send, outside any transaction: the row as this attempt left it in memory.)
    delivery = await _delivery_row(session, cafe_id, order_date)
    delivery.reason = error.reason[:1000]
    if isinstance(error, ChatUnreachable):
        cafe = await session.get(Cafe, cafe_id)
        if cafe is not None and cafe.tg_chat_id == delivery.chat_id:
            cafe.chat_unreachable_reason = error.reason[:300]
    failed = error.permanent or delivery.attempts >= max_attempts
    if failed:
        delivery.state = DeliveryState.FAILED
    await session.flush()
    await held.release()
    await session.commit()
    if failed:
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
    session: AsyncSession, cafe_id: int, order_date: date
) -> NotificationDelivery:
    statement = select(NotificationDelivery).where(
        NotificationDelivery.cafe_id == cafe_id, NotificationDelivery.order_date == order_date
    )
    return (await session.execute(statement)).scalar_one()


async def _move_chat(
    session: AsyncSession, delivery: NotificationDelivery, cafe_id: int, chat_id: int
) -> None:
    cafe = await session.get(Cafe, cafe_id)
    if cafe is not None and cafe.tg_chat_id == delivery.chat_id:
        cafe.tg_chat_id = chat_id
    delivery.chat_id = chat_id
    await session.commit()
