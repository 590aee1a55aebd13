"""Every query about users and access requests."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import User, UserAccessRequest


async def get_user(session: AsyncSession, tgid: int, *, for_update: bool = False) -> User | None:
    statement = select(User).where(User.tgid == tgid)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def get_access_request(session: AsyncSession, tgid: int) -> UserAccessRequest | None:
    statement = select(UserAccessRequest).where(UserAccessRequest.tgid == tgid)
    return (await session.execute(statement)).scalar_one_or_none()
