from functions.api.deps import (
    Manager,
    ReadingManager,
    ReadSessionDep,
    SessionDep,
)
from functions.api.errors import error_responses
from functions.api.routing import Routes
from shared.cafes import service
from shared.cafes.schemas import ScheduleWeek, ScheduleWeekIn

router = Routes(prefix="/cafes", tags=["deadlines"])


@router.get("/{cafe_id}/deadlines", responses=error_responses(401, 403, 404))
async def get_deadlines(cafe_id: int, _: ReadingManager, session: ReadSessionDep) -> ScheduleWeek:
    """The cafe's week, Monday first: which days take orders, until when, how far ahead."""
    return ScheduleWeek(schedules=await service.week_schedules(session, cafe_id))


@router.put("/{cafe_id}/deadlines", responses=error_responses(400, 401, 403, 404, 422))
async def set_deadlines(
    cafe_id: int, body: ScheduleWeekIn, _: Manager, session: SessionDep
) -> ScheduleWeek:
    """Set the weekdays sent (others stay as they are); times are in the company time zone."""
    return ScheduleWeek(schedules=await service.set_schedules(session, cafe_id, body.schedules))
