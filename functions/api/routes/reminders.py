"""Reminders: the company setting, each person's switch, who has not ordered, remind now."""

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, status

from functions.api.deps import (
    CurrentUser,
    Manager,
    NowDep,
    ReadingManager,
    ReadingUser,
    ReadSessionDep,
    SessionDep,
    SettingsDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.kit.errors import AccessDenied
from shared.models import User
from shared.reminders import contacts, repository
from shared.reminders.schemas import (
    MyRemindersIn,
    MyRemindersOut,
    NotOrderedList,
    NotOrderedOut,
    ReminderSettingsIn,
    ReminderSettingsOut,
    RemindNowIn,
    RemindNowOut,
)
from shared.users.service import can_see, get_user

router = Routes(tags=["reminders"])


@router.get("/reminders/settings", responses=error_responses(401, 403))
async def get_reminder_settings(_: ReadingManager, session: ReadSessionDep) -> ReminderSettingsOut:
    """When employees are reminded: one setting for the whole company."""
    return ReminderSettingsOut.model_validate(await repository.current_reminder_settings(session))


@router.put("/reminders/settings", responses=error_responses(401, 403, 422))
async def set_reminder_settings(
    body: ReminderSettingsIn, manager: Manager, session: SessionDep, now: NowDep
) -> ReminderSettingsOut:
    """Switch reminders on or off and set how long before the first deadline they go out."""
    config = await repository.reminder_settings(session, for_update=True)
    config.is_enabled, config.minutes_before = body.is_enabled, body.minutes_before
    config.updated_at, config.updated_by = now, manager.tgid
    await session.flush()
    return ReminderSettingsOut.model_validate(config)


def _refuse_unless_can_see(caller: User, tgid: int) -> None:
    if not can_see(caller, tgid):
        raise AccessDenied(
            "Настройки напоминаний можно смотреть и менять только свои",
            en="You can only see and change your own reminder settings",
        )


async def the_person(tgid: int, caller: CurrentUser, session: SessionDep) -> User:
    """The employee the path names, to themselves or a manager (checked before the body),
    locked for the change."""
    _refuse_unless_can_see(caller, tgid)
    return await get_user(session, tgid, for_update=True)


async def the_person_read(tgid: int, caller: ReadingUser, session: ReadSessionDep) -> User:
    """The employee the path names, to themselves or a manager; read, not locked."""
    _refuse_unless_can_see(caller, tgid)
    return caller if caller.tgid == tgid else await get_user(session, tgid)


Person = Annotated[User, Depends(the_person)]
PersonRead = Annotated[User, Depends(the_person_read)]


@router.get("/users/{tgid}/reminders", responses=error_responses(401, 403, 404))
async def get_my_reminders(
    tgid: int, person: PersonRead, session: ReadSessionDep
) -> MyRemindersOut:
    """Whether the person gets reminders and whether the bot may write to them (self)."""
    started = bool(await contacts.reachable(session, [tgid]))
    return MyRemindersOut(enabled=person.reminders_enabled, bot_started=started)


@router.put("/users/{tgid}/reminders", responses=error_responses(401, 403, 404, 422))
async def set_my_reminders(
    tgid: int, body: MyRemindersIn, person: Person, session: SessionDep
) -> MyRemindersOut:
    """Switch one's reminders on or off (Profile)."""
    person.reminders_enabled = body.enabled
    await session.flush()
    started = bool(await contacts.reachable(session, [tgid]))
    return MyRemindersOut(enabled=person.reminders_enabled, bot_started=started)


@router.get("/reminders/not-ordered", responses=error_responses(401, 403, 422))
async def list_not_ordered(
    _: ReadingManager,
    session: ReadSessionDep,
    order_date: Annotated[date, Query(alias="date", description="The lunch date")],
) -> NotOrderedList:
    """Active employees without an order for the date, with their reminder for it."""
    rows = await repository.not_ordered(session, order_date)
    items = [
        NotOrderedOut(
            tgid=row.user.tgid,
            name=row.user.name,
            office=row.user.office,
            reminders_enabled=row.user.reminders_enabled,
            bot_started=row.bot_started,
            reminder=row.reminder.state if row.reminder else None,
            reminder_reason=row.reminder.reason if row.reminder else None,
        )
        for row in rows
    ]
    return NotOrderedList(items=items, total=len(items), order_date=order_date)


@router.post(
    "/reminders/send-now",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(400, 401, 403, 422),
)
async def remind_now(
    body: RemindNowIn, manager: Manager, session: SessionDep, settings: SettingsDep, now: NowDep
) -> RemindNowOut:
    """Remind those without an order for the date now (each person once per date)."""
    # Imported here: it loads python-telegram-bot and the Kafka client (cold starts skip them).
    from shared.reminders.service import request_reminders

    round_ = await request_reminders(session, manager, body.date, body.tgids, settings, now=now)
    people = len(round_.tgids or [])
    return RemindNowOut(
        round_id=round_.id, order_date=round_.order_date, people=people, produced=False
    )
