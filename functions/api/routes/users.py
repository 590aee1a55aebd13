from typing import Annotated, Any

from fastapi import Path, Query, Response, UploadFile, status
from sqlalchemy.ext.asyncio import AsyncSession

from functions.api.deps import (
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
from shared.models import User
from shared.models.base import MAX_ID
from shared.ordering import budget
from shared.users import service
from shared.users.roster import MAX_BYTES
from shared.users.schemas import (
    MAX_TGID,
    PLAIN_TEXT,
    AccessUpdate,
    BalanceOut,
    ImportReport,
    ManagerCreate,
    UserCreate,
    UserList,
    UserOut,
    UserUpdate,
    WeeklyLimitOut,
    WeeklyLimitUpdate,
)

router = Routes(prefix="/users", tags=["users"])

TgidPath = Annotated[int, Path(gt=0, le=MAX_TGID, description="Telegram user id")]
# Also the answer to a body that is not JSON at all.
BAD_BODY = 400


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Every users route is for signed-in people (401) and most for managers (403)."""
    return error_responses(401, 403, *codes)


@router.get("", responses=errors(422))
async def list_users(
    _: ReadingManager,
    session: ReadSessionDep,
    search: Annotated[
        str | None,
        Query(max_length=200, pattern=PLAIN_TEXT, description="Part of a name or a tgid"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> UserList:
    """List employees in name order, optionally only those whose name or tgid matches."""
    found, total = await service.search_users(session, search, limit=limit, offset=offset)
    return UserList(items=[UserOut.model_validate(user) for user in found], total=total)


@router.post("", status_code=status.HTTP_201_CREATED, responses=errors(BAD_BODY, 409, 422))
async def create_user(body: UserCreate, _: Manager, session: SessionDep, now: NowDep) -> UserOut:
    """Add an employee; their pending access request, if any, counts as approved."""
    return UserOut.model_validate(await service.create_user(session, body, now=now))


@router.post(
    "/managers",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": UserOut, "description": "An existing user was promoted"},
        **errors(BAD_BODY, 409, 422),
    },
)
async def add_manager(
    body: ManagerCreate, _: Manager, session: SessionDep, now: NowDep, response: Response
) -> UserOut:
    """Make someone a manager: 201 with a new account, 200 when an existing user is promoted."""
    user, created = await service.add_manager(session, body.tgid, body.name, now=now)
    if not created:
        response.status_code = status.HTTP_200_OK
    return UserOut.model_validate(user)


@router.post("/import", responses=errors(400, 409, 422))
async def import_users(
    file: UploadFile, _: Manager, session: SessionDep, now: NowDep
) -> ImportReport:
    """Create or update employees from a CSV staff list: tgid,name,office[,weekly_limit]."""
    # One byte over the limit is enough to refuse the file without reading all of it.
    content = await file.read(MAX_BYTES + 1)
    return await service.import_roster(session, content, now=now)


@router.get("/{tgid}", responses=errors(404, 422))
async def get_user(tgid: TgidPath, viewer: ReadingUser, session: ReadSessionDep) -> UserOut:
    """An employee's profile: managers see anyone, a user only themself."""
    service.check_can_see(viewer, tgid)
    return UserOut.model_validate(await _person(session, viewer, tgid))


@router.patch("/{tgid}", responses=errors(BAD_BODY, 400, 404, 422))
async def update_user(
    tgid: TgidPath, body: UserUpdate, manager: Manager, session: SessionDep
) -> UserOut:
    """Change an employee's name, office, role or weekly limit in one go (only the fields sent)."""
    return UserOut.model_validate(await service.update_user(session, manager, tgid, body))


@router.patch("/{tgid}/access", responses=errors(400, 404, 422))
async def set_access(
    tgid: TgidPath, body: AccessUpdate, manager: Manager, session: SessionDep
) -> UserOut:
    """Block (enabled=false) or unblock an employee; nobody can block themself."""
    user = await service.set_access(session, manager, tgid, enabled=body.enabled)
    return UserOut.model_validate(user)


@router.delete(
    "/{tgid}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(400, 404, 409, 422)
)
async def delete_user(tgid: TgidPath, manager: Manager, session: SessionDep) -> None:
    """Delete an employee who has no orders (409 otherwise: block them instead)."""
    await service.delete_user(session, manager, tgid)


@router.get("/{tgid}/balance", responses=errors(404, 422))
async def get_balance(
    tgid: TgidPath, viewer: ReadingUser, session: ReadSessionDep, settings: SettingsDep, now: NowDep
) -> BalanceOut:
    """The weekly limit, what was spent this week (Mon–Sun) and what is left."""
    service.check_can_see(viewer, tgid)
    user = await _person(session, viewer, tgid)
    balance = await budget.balance_of(session, user, settings, now=now)
    return BalanceOut(
        weekly_limit=balance.weekly_limit,
        spent_this_week=balance.spent_this_week,
        remaining=balance.remaining,
        balance=balance.remaining,
        week_start=balance.week_start,
        week_end=balance.week_end,
    )


@router.patch("/{tgid}/balance/limit", responses=errors(BAD_BODY, 404, 422))
async def set_weekly_limit(
    tgid: TgidPath, body: WeeklyLimitUpdate, _: Manager, session: SessionDep
) -> WeeklyLimitOut:
    """Set an employee's weekly spending limit; null removes it."""
    user = await service.set_weekly_limit(session, tgid, body.weekly_limit)
    return WeeklyLimitOut(weekly_limit=user.weekly_limit)


async def _person(session: AsyncSession, viewer: User, tgid: int) -> User:
    # People mostly look at themselves: the signed-in user was just read, not again.
    return viewer if viewer.tgid == tgid else await service.get_user(session, tgid)
