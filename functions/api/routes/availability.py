from datetime import date
from typing import Annotated

from fastapi import Query

from functions.api.deps import (
    NowDep,
    ReadingUser,
    ReadSessionDep,
    SettingsDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.cafes import service
from shared.cafes.schemas import AvailabilityOut, OpenWeeksOut, WeekAvailabilityOut

router = Routes(prefix="/orders", tags=["availability"])

CafeId = Annotated[int, Query(description="The cafe to order from")]
ERRORS = error_responses(401, 403, 404, 422)


@router.get("/availability", responses=ERRORS)
async def open_weeks(
    _: ReadingUser, session: ReadSessionDep, settings: SettingsDep, now: NowDep
) -> OpenWeeksOut:
    """Every active cafe's next seven days, with the server's clock: the home screen's one call."""
    cafes = await service.open_weeks(session, now=now, tz=settings.tz)
    return OpenWeeksOut(now=now.astimezone(settings.tz), cafes=cafes)


# Declared before /availability/{date}, which would otherwise try to read "week" as a date.
@router.get("/availability/week", responses=ERRORS)
async def week_availability(
    cafe_id: CafeId, _: ReadingUser, session: ReadSessionDep, settings: SettingsDep, now: NowDep
) -> WeekAvailabilityOut:
    """The seven days from today (company time zone): which can be ordered and until when."""
    days = await service.week_availability(session, cafe_id, now=now, tz=settings.tz)
    return WeekAvailabilityOut(now=now.astimezone(settings.tz), days=days)


@router.get("/availability/{date}", responses=ERRORS)
async def availability_on(
    date: date,
    cafe_id: CafeId,
    _: ReadingUser,
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> AvailabilityOut:
    """Whether an order for the date can be placed, changed or cancelled now, and until when."""
    return await service.availability_on(session, cafe_id, date, now=now, tz=settings.tz)
