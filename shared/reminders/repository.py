"""Queries of reminders: the settings row, who has not ordered, the rounds and deliveries."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Exists, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import (
    BotContact,
    NoticeState,
    Order,
    OrderStatus,
    ReminderDelivery,
    ReminderRound,
    ReminderSettings,
    RoundState,
    User,
)

SETTINGS_ID = 1
# Until a manager first saves them: reminders off, 60 minutes before the deadline.
DEFAULT_SETTINGS = {"id": SETTINGS_ID, "is_enabled": False, "minutes_before": 60}
BATCH = 100


async def reminder_settings(session: AsyncSession, *, for_update: bool = False) -> ReminderSettings:
    """The settings row, created with the defaults (off, 60 minutes) the first time."""
    await session.execute(
        insert(ReminderSettings)
        .values(**DEFAULT_SETTINGS)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    statement = select(ReminderSettings).where(ReminderSettings.id == SETTINGS_ID)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one()


async def current_reminder_settings(session: AsyncSession) -> ReminderSettings:
    """The settings as they stand, without writing: the defaults (not saved) while no row is."""
    statement = select(ReminderSettings).where(ReminderSettings.id == SETTINGS_ID)
    found = (await session.execute(statement)).scalar_one_or_none()
    return found if found is not None else ReminderSettings(**DEFAULT_SETTINGS)


def _has_order(order_date: date) -> Exists:
    return exists().where(
        Order.user_tgid == User.tgid,
        Order.order_date == order_date,
        Order.status != OrderStatus.CANCELLED,
    )


@dataclass(frozen=True)
class NotOrdered:
    user: User
    bot_started: bool
    reminder: ReminderDelivery | None


async def not_ordered(session: AsyncSession, order_date: date) -> list[NotOrdered]:
    """Active employees without an active order for the date, by name, with their reminder."""
    statement = (
        select(User, BotContact.tgid.is_not(None), ReminderDelivery)
        .outerjoin(BotContact, (BotContact.tgid == User.tgid) & BotContact.blocked_at.is_(None))
        .outerjoin(
            ReminderDelivery,
            (ReminderDelivery.user_tgid == User.tgid) & (ReminderDelivery.order_date == order_date),
        )
        .where(User.is_active.is_(True), ~_has_order(order_date))
        .order_by(User.name, User.tgid)
    )
    return [
        NotOrdered(user, bool(started), reminder)
        for user, started, reminder in (await session.execute(statement)).all()
    ]


async def due_for_reminder(session: AsyncSession, order_date: date) -> list[int]:
    """Who a scheduled round reminds: active, opted in, no order, not reminded yet."""
    reminded = exists().where(
        ReminderDelivery.user_tgid == User.tgid,
        ReminderDelivery.order_date == order_date,
        ReminderDelivery.state == NoticeState.SENT,
    )
    statement = (
        select(User.tgid)
        .where(
            User.is_active.is_(True),
            User.reminders_enabled.is_(True),
            ~_has_order(order_date),
            ~reminded,
        )
        .order_by(User.tgid)
    )
    return list((await session.execute(statement)).scalars())


async def has_order(session: AsyncSession, tgid: int, order_date: date) -> bool:
    statement = select(
        exists().where(
            Order.user_tgid == tgid,
            Order.order_date == order_date,
            Order.status != OrderStatus.CANCELLED,
        )
    )
    return bool(await session.scalar(statement))


async def record_scheduled_round(session: AsyncSession, order_date: date) -> bool:
    """The date's scheduled round, recorded unless it already was; whether it is new."""
    statement = (
        insert(ReminderRound)
        .values(
            order_date=order_date, kind="scheduled", state=RoundState.PENDING, attempts=0, jobs=0
        )
        .on_conflict_do_nothing(
            index_elements=["order_date"], index_where=ReminderRound.kind == "scheduled"
        )
        .returning(ReminderRound.id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def lock_pending_rounds(session: AsyncSession) -> Sequence[ReminderRound]:
    # SKIP LOCKED: two overlapping runs never produce the same round at once.
    statement = (
        select(ReminderRound)
        .where(ReminderRound.state == RoundState.PENDING)
        .order_by(ReminderRound.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(statement)).scalars().all()


async def delivery_of(
    session: AsyncSession, tgid: int, order_date: date
) -> ReminderDelivery | None:
    statement = select(ReminderDelivery).where(
        ReminderDelivery.user_tgid == tgid, ReminderDelivery.order_date == order_date
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def record_delivery(
    session: AsyncSession,
    tgid: int,
    order_date: date,
    *,
    state: NoticeState,
    reason: str | None,
    message_id: int | None,
    round_id: int | None,
) -> None:
    values = {"state": state, "reason": reason, "message_id": message_id, "round_id": round_id}
    statement = insert(ReminderDelivery).values(user_tgid=tgid, order_date=order_date, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["user_tgid", "order_date"], set_=values)
    )
