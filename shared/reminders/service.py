"""Reminders before the deadline: when they are due, who gets one, and sending it once.

One setting for the whole company (managers set it): remind `minutes_before` the first deadline
of a date that is still open. The check (every minute) records one scheduled round per date in
`reminder_rounds` (the outbox, like deadline announcements) and produces one `reminder.due` job
per person who has not ordered; a manager's "remind them now" records a manual round for the
people they chose, produced by the next check. The consumer sends each job under a lock on
(person, date), and a sent reminder is recorded in `reminder_deliveries`, unique per person and
date: Kafka redelivering a job, or a manual round after the scheduled one, sends nothing more.
At send time it checks again: someone who has ordered meanwhile, switched reminders off, or
whose date has closed gets nothing. People who never started the bot (or blocked it) cannot be
written to: they are recorded as skipped, so managers see how many.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from shared.cafes import repository as cafes
from shared.cafes.deadlines import WEEKDAY_NAMES, availability
from shared.events import ReminderDue, publish
from shared.kit.db import unit_of_work
from shared.kit.errors import InvalidRequest
from shared.kit.kafka import EventProducer
from shared.kit.settings import Settings
from shared.models import NoticeState, ReminderRound, RoundKind, RoundState, User
from shared.notifications.delivery import SendText
from shared.notifications.errors import ChatUnreachable, MessageRejected
from shared.reminders import contacts, repository

LOCK_WAIT_SECONDS = 15
REMINDER_TEXT = (
    "⏰ Вы ещё не заказали обед на {day}.\nЗаказы принимаются до {deadline}: успейте выбрать!"
)
REMINDER_NO_BUTTON = "\nОткройте приложение: {url}"
ORDER_BUTTON = "🍽 Заказать обед"


class NothingToRemind(InvalidRequest):
    code = "nothing_to_remind"


@dataclass(frozen=True)
class CheckRun:
    recorded: int
    produced_rounds: int
    jobs: int


async def first_open_deadline(
    session: AsyncSession, order_date: date, settings: Settings, *, now: datetime
) -> datetime | None:
    """The earliest deadline of the date among the cafes still taking orders for it now."""
    deadlines = [
        verdict.deadline
        for _, weekday, schedule in await cafes.enabled_schedules(session)
        if weekday == order_date.weekday()
        and (verdict := availability(order_date, schedule, now=now, tz=settings.tz)).can_order
        and verdict.deadline is not None
    ]
    return min(deadlines, default=None)


async def check_reminders(
    sessions: async_sessionmaker[AsyncSession],
    producer: EventProducer,
    settings: Settings,
    *,
    now: datetime,
) -> CheckRun:
    """Record the rounds that are due now and produce every pending round's jobs."""
    recorded = 0
    async with unit_of_work(sessions) as session:
        config = await repository.reminder_settings(session)
        if config.is_enabled:
            today = now.astimezone(settings.tz).date()
            for day in (today, today + timedelta(days=1)):
                first = await first_open_deadline(session, day, settings, now=now)
                due = first is not None and first - timedelta(minutes=config.minutes_before) <= now
                if due and await repository.record_scheduled_round(session, day):
                    recorded += 1
    produced = jobs = 0
    async with unit_of_work(sessions) as session:
        rounds = await repository.lock_pending_rounds(session)
        events: list[ReminderDue] = []
        per_round: list[tuple[ReminderRound, int]] = []
        for round_ in rounds:
            people = (
                list(round_.tgids)
                if round_.kind == RoundKind.MANUAL and round_.tgids is not None
                else await repository.due_for_reminder(session, round_.order_date)
            )
            per_round.append((round_, len(people)))
            events += [
                ReminderDue(tgid=tgid, date=round_.order_date, round_id=round_.id, timestamp=now)
                for tgid in people
            ]
        if rounds:
            try:
                if events:
                    await publish(producer, settings, events)
            except Exception as error:
                for round_ in rounds:
                    round_.attempts += 1
                    round_.last_error = f"{type(error).__name__}: {error}"[:1000]
                await session.commit()
                raise
            for round_, count in per_round:
                round_.state, round_.produced_at, round_.jobs = RoundState.PRODUCED, now, count
                round_.attempts += 1
                round_.last_error = None
            produced, jobs = len(rounds), len(events)
    return CheckRun(recorded=recorded, produced_rounds=produced, jobs=jobs)


async def request_reminders(
    session: AsyncSession,
    manager: User,
    order_date: date,
    tgids: Sequence[int] | None,
    settings: Settings,
    *,
    now: datetime,
) -> ReminderRound:
    """A manager's "remind them now": a manual round for those (or all) who have not ordered."""
    if await first_open_deadline(session, order_date, settings, now=now) is None:
        raise NothingToRemind(
            f"Заказы на {order_date:%d.%m} сейчас не принимаются: напоминать не о чем",
            en=f"Orders for {order_date:%d.%m} are not taken now: nothing to remind about",
        )
    missing = {row.user.tgid for row in await repository.not_ordered(session, order_date)}
    chosen = sorted(missing if tgids is None else set(tgids) & missing)
    if not chosen:
        raise NothingToRemind(
            f"Все, кого вы выбрали, уже заказали обед на {order_date:%d.%m}",
            en=f"Everyone you chose has already ordered lunch for {order_date:%d.%m}",
        )
    round_ = ReminderRound(
        order_date=order_date,
        kind=RoundKind.MANUAL,
        tgids=chosen,
        requested_by=manager.tgid,
        state=RoundState.PENDING,
        attempts=0,
        jobs=0,
    )
    session.add(round_)
    await session.flush()
    return round_


@dataclass(frozen=True)
class ReminderOutcome:
    state: str  # sent | skipped | dropped | already_sent
    reason: str | None = None


def reminder_message(
    order_date: date, deadline: datetime, settings: Settings
) -> tuple[str, InlineKeyboardMarkup | None]:
    day = f"{WEEKDAY_NAMES[order_date.weekday()].lower()}, {order_date:%d.%m}"
    local = deadline.astimezone(settings.tz)
    text_ = REMINDER_TEXT.format(day=day, deadline=f"{local:%H:%M}")
    if settings.miniapp_url.startswith("https://"):
        button = InlineKeyboardButton(ORDER_BUTTON, web_app=WebAppInfo(settings.miniapp_url))
        return text_, InlineKeyboardMarkup([[button]])
    # A local run: Telegram opens Mini Apps over HTTPS only, so the link goes in the text.
    return text_ + REMINDER_NO_BUTTON.format(url=escape(settings.miniapp_url)), None


async def send_reminder(
    sessions: async_sessionmaker[AsyncSession],
    send: SendText,
    job: ReminderDue,
    settings: Settings,
    *,
    now: datetime,
) -> ReminderOutcome:
    """Send one person their reminder for the date, unless it is done or no longer needed.

    Telegram being unavailable propagates (nothing is recorded), so the job is retried.
    """
    async with sessions() as session, session.begin():
        # A copy of the job (redelivery, a manual round) waits here, then finds it sent.
        await session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
        key = func.hashtextextended(f"reminder:{job.tgid}:{job.date.isoformat()}", 0)
        await session.execute(select(func.pg_advisory_xact_lock(key)))
        previous = await repository.delivery_of(session, job.tgid, job.date)
        if previous is not None and previous.state == NoticeState.SENT:
            return ReminderOutcome("already_sent")
        user = await session.get(User, job.tgid)
        if user is None or not user.is_active:
            return ReminderOutcome("dropped", "not an active employee")
        if not user.reminders_enabled:
            return ReminderOutcome("dropped", "reminders switched off")
        if await repository.has_order(session, job.tgid, job.date):
            return ReminderOutcome("dropped", "already ordered")
        deadline = await first_open_deadline(session, job.date, settings, now=now)
        if deadline is None:
            return ReminderOutcome("dropped", "ordering closed")

        async def record(state: NoticeState, reason: str | None, message_id: int | None) -> None:
            await repository.record_delivery(
                session,
                job.tgid,
                job.date,
                state=state,
                reason=reason,
                message_id=message_id,
                round_id=job.round_id,
            )

        if (unreachable := await contacts.unreachable_reason(session, job.tgid)) is not None:
            await record(NoticeState.SKIPPED, unreachable, None)
            return ReminderOutcome("skipped", unreachable)
        body, markup = reminder_message(job.date, deadline, settings)
        try:
            message_id = await send(job.tgid, body, markup)
        except ChatUnreachable as error:
            await contacts.mark_blocked(session, job.tgid, now=now)
            await record(NoticeState.SKIPPED, "blocked", None)
            return ReminderOutcome("skipped", f"blocked: {error.reason}")
        except MessageRejected as error:
            await record(NoticeState.SKIPPED, error.reason[:300], None)
            return ReminderOutcome("skipped", error.reason)
        await record(NoticeState.SENT, None, message_id)
        return ReminderOutcome("sent")
