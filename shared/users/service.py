"""Managing employees: accounts, roles, access, weekly budgets, staff-list imports and the
access requests of people who opened the app before a manager added them."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.kit.errors import AccessDenied
from shared.kit.money import to_money
from shared.models import RequestStatus, Role, User, UserAccessRequest
from shared.users import repository as users
from shared.users.errors import (
    AccessRequestNotFound,
    AccessRequestProcessed,
    SelfLockout,
    UserExists,
    UserHasOrders,
    UserNotFound,
)
from shared.users.roster import read_roster
from shared.users.schemas import ImportReport, UserCreate, UserUpdate


def can_see(viewer: User, tgid: int) -> bool:
    """Whose data a person may see and act on: their own, or anyone's as a manager."""
    return viewer.is_manager or viewer.tgid == tgid


def check_can_see(viewer: User, tgid: int) -> None:
    """Managers see everyone; a user sees only themself (and learns nothing about others)."""
    if not can_see(viewer, tgid):
        raise AccessDenied("Можно смотреть только свои данные", en="You can only see your own data")


async def find_user(session: AsyncSession, tgid: int) -> User | None:
    """The user with this Telegram id, if there is one (for callers that greet strangers)."""
    return await users.get_user(session, tgid)


async def active_manager(session: AsyncSession, tgid: int) -> User | None:
    """The user with this Telegram id if they are an active manager, else None."""
    user = await users.get_user(session, tgid)
    return user if user is not None and user.is_active and user.is_manager else None


async def active_managers(session: AsyncSession) -> Sequence[User]:
    """Every active manager: who is told of things waiting for a manager's decision."""
    return await users.active_managers(session)


async def get_user(session: AsyncSession, tgid: int, *, for_update: bool = False) -> User:
    user = await users.get_user(session, tgid, for_update=for_update)
    if user is None:
        raise UserNotFound(
            f"Сотрудник с Telegram ID {tgid} не найден",
            en=f"No employee with Telegram ID {tgid}",
        )
    return user


async def search_users(
    session: AsyncSession, search: str | None, *, limit: int, offset: int
) -> tuple[list[User], int]:
    """A page of employees whose name contains `search` or whose tgid it is, and the total."""
    return await users.search_users(session, search, limit=limit, offset=offset)


async def create_user(session: AsyncSession, data: UserCreate, *, now: datetime) -> User:
    """Add an employee; a pending access request of theirs counts as approved."""
    if await users.get_user(session, data.tgid) is not None:
        raise UserExists(
            f"Сотрудник с Telegram ID {data.tgid} уже есть",
            en=f"An employee with Telegram ID {data.tgid} already exists",
            field="tgid",
        )
    user = User(tgid=data.tgid, name=data.name, office=data.office, role=Role.USER, created_at=now)
    await _insert(session, user)
    await settle_requests(session, [user.tgid], now=now)
    return user


async def add_manager(
    session: AsyncSession, tgid: int, name: str, *, now: datetime
) -> tuple[User, bool]:
    """Make `tgid` a manager, creating the account if needed; True when it was created."""
    user = await users.get_user(session, tgid, for_update=True)
    created = user is None
    if user is None:
        user = User(tgid=tgid, name=name, role=Role.MANAGER, created_at=now)
        await _insert(session, user)
    else:
        user.role = Role.MANAGER
    await settle_requests(session, [tgid], now=now)
    return user, created


async def _insert(session: AsyncSession, user: User) -> None:
    session.add(user)
    try:
        # Two managers adding the same person at once: the second gets a 409, not a 500.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise UserExists(
            f"Сотрудник с Telegram ID {user.tgid} уже есть",
            en=f"An employee with Telegram ID {user.tgid} already exists",
            field="tgid",
        ) from None


async def update_user(session: AsyncSession, actor: User, tgid: int, changes: UserUpdate) -> User:
    """Change the fields sent; a manager cannot take their own manager role away."""
    user = await get_user(session, tgid, for_update=True)
    if changes.role == "user" and user.tgid == actor.tgid and user.is_manager:
        raise SelfLockout(
            "Нельзя снять роль менеджера с самого себя: попросите другого менеджера",
            en="You cannot take the manager role from yourself: ask another manager",
            field="role",
        )
    if changes.name is not None:
        user.name = changes.name
    if changes.office is not None:
        user.office = changes.office
    if changes.role is not None:
        user.role = Role(changes.role)
    if "weekly_limit" in changes.model_fields_set:
        # Sent with the name and office so that one save never half-succeeds; null: no limit.
        limit = changes.weekly_limit
        user.weekly_limit = None if limit is None else to_money(limit)
    await session.flush()
    return user


async def set_access(session: AsyncSession, actor: User, tgid: int, *, enabled: bool) -> User:
    """Block or unblock a user; a blocked user can neither sign in nor use a token they hold."""
    if not enabled and tgid == actor.tgid:
        raise SelfLockout("Нельзя заблокировать самого себя", en="You cannot block yourself")
    user = await get_user(session, tgid, for_update=True)
    user.is_active = enabled
    await session.flush()
    return user


async def delete_user(session: AsyncSession, actor: User, tgid: int) -> None:
    """Remove someone added by mistake. Anyone with orders is blocked instead, so that
    reports, cafe summaries and budgets of past weeks stay as they were."""
    if tgid == actor.tgid:
        raise SelfLockout("Нельзя удалить самого себя", en="You cannot delete yourself")
    await get_user(session, tgid, for_update=True)
    if await users.count_active_orders(session, tgid):
        raise UserHasOrders(
            "У сотрудника есть заказы, и удаление исказило бы отчёты. "
            "Заблокируйте доступ вместо удаления.",
            en="The employee has orders, and deleting them would distort the reports. "
            "Block their access instead.",
        )
    await users.delete_user(session, tgid)


async def set_weekly_limit(session: AsyncSession, tgid: int, limit: Decimal | None) -> User:
    user = await get_user(session, tgid, for_update=True)
    user.weekly_limit = None if limit is None else to_money(limit)
    await session.flush()
    return user


async def import_roster(session: AsyncSession, content: bytes, *, now: datetime) -> ImportReport:
    """Create or update employees from a staff list; bad rows are reported, good ones go in."""
    roster = read_roster(content)
    existing = await users.users_by_tgid(session, (row.tgid for row in roster.rows))
    created = updated = unchanged = 0
    for row in roster.rows:
        user = existing.get(row.tgid)
        if user is None:
            user = User(tgid=row.tgid, name=row.name, office=row.office, created_at=now)
            if row.sets_limit:
                user.weekly_limit = row.weekly_limit
            session.add(user)
            created += 1
            continue
        before = (user.name, user.office, user.weekly_limit)
        user.name, user.office = row.name, row.office
        if row.sets_limit:
            user.weekly_limit = row.weekly_limit
        if (user.name, user.office, user.weekly_limit) != before:
            updated += 1
        else:
            unchanged += 1
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise UserExists(
            "Пока шла загрузка, кто-то добавил тех же сотрудников: загрузите файл ещё раз",
            en="Someone added the same employees during the upload: upload the file again",
        ) from None
    await settle_requests(session, (row.tgid for row in roster.rows), now=now)
    return ImportReport(
        created=created, updated=updated, unchanged=unchanged, rejected=roster.rejected
    )


async def settle_requests(session: AsyncSession, tgids: Iterable[int], *, now: datetime) -> None:
    """Pending access requests of people who now have an account are approved."""
    for request in await users.pending_requests_by_tgid(session, tgids):
        request.status = RequestStatus.APPROVED
        request.processed_at = now
    await session.flush()


async def list_access_requests(
    session: AsyncSession, status: RequestStatus | None, *, offset: int, limit: int
) -> tuple[list[UserAccessRequest], int]:
    return await users.list_access_requests(session, status, offset=offset, limit=limit)


async def _pending_request(session: AsyncSession, request_id: int) -> UserAccessRequest:
    request = await users.get_access_request_by_id(session, request_id, for_update=True)
    if request is None:
        raise AccessRequestNotFound(
            f"Заявка на доступ №{request_id} не найдена",
            en=f"Access request #{request_id} was not found",
        )
    if request.status != RequestStatus.PENDING:
        approved = request.status == RequestStatus.APPROVED
        verdict, verdict_en = ("одобрена", "approved") if approved else ("отклонена", "rejected")
        raise AccessRequestProcessed(
            f"Заявка №{request_id} уже {verdict}: её нельзя изменить",
            en=f"Request #{request_id} is already {verdict_en}: it cannot be changed",
        )
    return request


async def approve_request(
    session: AsyncSession, request_id: int, *, office: str | None, now: datetime
) -> UserAccessRequest:
    """Let the person in: their account is made from the request."""
    request = await _pending_request(session, request_id)
    if office is not None:
        request.office = office
    if await users.get_user(session, request.tgid) is None:
        await _insert(
            session,
            User(tgid=request.tgid, name=request.name, office=request.office, created_at=now),
        )
    request.status = RequestStatus.APPROVED
    request.processed_at = now
    await session.flush()
    return request


async def reject_request(
    session: AsyncSession, request_id: int, *, now: datetime
) -> UserAccessRequest:
    """Refuse the person; signing in again tells them the request was rejected."""
    request = await _pending_request(session, request_id)
    request.status = RequestStatus.REJECTED
    request.processed_at = now
    await session.flush()
    return request
