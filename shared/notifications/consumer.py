"""What the notifications consumer does with one `deadline.passed`: deliver, retry, dead-letter.

A transient failure waits a backoff that doubles with each attempt and is raised, so the record
is reported as a batch item failure and comes back. A delivery that ends `failed` (Telegram
refused it for good, or `max_attempts` were spent) is produced to the dead-letter topic with its
reason and then counts as handled, so the partition moves on. Producing to the dead-letter topic
happens before it is recorded: if that fails the record is retried and dead-lettered then.
"""

import asyncio
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events import DeadlinePassed, DeliveryFailed, UnreadableRecord, publish
from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings
from shared.models import DeliveryState
from shared.notifications.delivery import (
    MAX_FLOOD_WAITS,
    DeliveryOutcome,
    ReadAhead,
    SendText,
    deliver_cafe_orders,
    mark_dead_lettered,
)
from shared.notifications.errors import DeliveryError, DeliveryInProgress, FloodWait

MAX_BACKOFF_SECONDS = 60.0


@dataclass(frozen=True)
class CafeNotifier:
    """`at_once` bounds the deliveries in flight (each holds a database connection); waits
    (a 429's retry_after, a retry's backoff) are spent outside it, so others go on meanwhile."""

    sessions: async_sessionmaker[AsyncSession]
    send: SendText
    producer: EventProducer
    settings: Settings
    at_once: asyncio.Semaphore | None = None

    async def notify(
        self,
        event: DeadlinePassed,
        *,
        now: datetime,
        source: dict[str, Any] | None = None,
        read_ahead: ReadAhead | None = None,
    ) -> DeliveryOutcome:
        """Deliver the cafe's orders for the date; dead-letter the delivery if it failed."""
        floods = 0
        while True:
            try:
                async with self.at_once or nullcontext():
                    return await self._deliver(
                        event, now=now, source=source, floods=floods, read_ahead=read_ahead
                    )
            except FloodWait as flood:
                # The lock, the connection and the slot are let go while this chat's wait
                # runs out; then the same attempt goes on with the part Telegram refused.
                floods += 1
                await asyncio.sleep(flood.seconds)
            except DeliveryInProgress:
                raise
            except DeliveryError as error:
                await asyncio.sleep(self.backoff(error.attempts))
                raise

    async def _deliver(
        self,
        event: DeadlinePassed,
        *,
        now: datetime,
        source: dict[str, Any] | None,
        floods: int,
        read_ahead: ReadAhead | None,
    ) -> DeliveryOutcome:
        outcome = await deliver_cafe_orders(
            self.sessions,
            self.send,
            event.cafe_id,
            event.date,
            now=now,
            max_attempts=self.settings.notification_max_attempts,
            count_attempt=floods == 0,
            flood_waits_left=MAX_FLOOD_WAITS - floods,
            read_ahead=read_ahead,
        )
        if outcome.state == DeliveryState.FAILED and not outcome.dead_lettered:
            dead_letter = dead_letter_event(event, outcome, now=now, source=source)
            await publish(self.producer, self.settings, [dead_letter])
            await mark_dead_lettered(self.sessions, event.cafe_id, event.date, now=now)
        return outcome

    async def reject(
        self, value: str, reason: str, *, now: datetime, source: dict[str, Any]
    ) -> None:
        """Dead-letter a record nobody can read: retrying it would only block the partition."""
        unreadable = UnreadableRecord(reason=reason, value=value, failed_at=now, source=source)
        await publish(self.producer, self.settings, [unreadable])

    def backoff(self, attempts: int) -> float:
        base = self.settings.notification_retry_backoff_seconds
        return min(base * float(2 ** max(attempts - 1, 0)), MAX_BACKOFF_SECONDS)


def dead_letter_event(
    event: DeadlinePassed,
    outcome: DeliveryOutcome,
    *,
    now: datetime,
    source: dict[str, Any] | None,
) -> DeliveryFailed:
    return DeliveryFailed(
        cafe_id=event.cafe_id,
        date=event.date,
        chat_id=outcome.chat_id,
        reason=outcome.reason,
        attempts=outcome.attempts,
        parts_sent=outcome.parts_sent,
        failed_at=now,
        event=event,
        source=source or {},
    )
