"""FastAPI dependencies: the unit of work, the clock, settings and the signed-in user."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.auth.errors import ManagerOnly, UserBlocked
from shared.auth.tokens import read_token
from shared.kit.clock import Clock
from shared.kit.db import read_sessionmaker, unit_of_work
from shared.kit.errors import NotAuthenticated
from shared.kit.settings import Settings
from shared.models import User
from shared.users import repository as users

if TYPE_CHECKING:
    from telegram import Bot


@dataclass(frozen=True)
class AppContext:
    """What the app is built with; kept on `app.state.context`."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    # Tells cafes the outcome of link requests decided in the app; None where nobody is told.
    telegram: "Bot | None" = None
    # Or makes that Bot on first use: python-telegram-bot is heavy, most requests never need it.
    make_telegram: "Callable[[], Bot] | None" = None
    # Sessions for read-only requests (no BEGIN/COMMIT), derived from `sessions`.
    read_sessions: async_sessionmaker[AsyncSession] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "read_sessions", read_sessionmaker(self.sessions))

    def telegram_bot(self) -> "Bot | None":
        """The Bot that tells cafes, made now if only its maker was given; None if none."""
        if self.telegram is None and self.make_telegram is not None:
            return self.make_telegram()
        return self.telegram


# The dependencies are async on purpose: FastAPI runs sync ones in the thread pool, a hop that
# costs more than the work they do.
async def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_settings(context: ContextDep) -> Settings:
    return context.settings


async def get_now(context: ContextDep) -> datetime:
    return context.clock.now()


async def get_session(context: ContextDep) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the endpoint succeeds, else rolled back."""
    async with unit_of_work(context.sessions) as session:
        yield session


async def get_read_session(context: ContextDep) -> AsyncIterator[AsyncSession]:
    """For requests that only read: no transaction, so no BEGIN and no COMMIT round trip."""
    async with context.read_sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
NowDep = Annotated[datetime, Depends(get_now)]
# scope="function": the unit of work ends (commits) when the endpoint returns, *before* the
# response is sent. With the default request scope the commit ran after the client had its 2xx,
# so a read right after a write could miss it, and a failed commit was still answered "saved".
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

# For GET routes: the signed-in user and the route share this session (FastAPI caches it per
# request), so the user is read once. Nothing written through it would be atomic: reads only.
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]

bearer = HTTPBearer(auto_error=False, description="The access token from POST /auth/telegram")


async def _signed_in(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    credentials: HTTPAuthorizationCredentials | None,
    *,
    for_update: bool,
) -> User:
    if credentials is None:
        raise NotAuthenticated(
            "Сначала войдите: передайте токен доступа в заголовке 'Authorization: Bearer …'",
            en="Sign in first: send the access token as 'Authorization: Bearer …'",
        )
    claims = read_token(credentials.credentials, settings.jwt_secret.get_secret_value(), now=now)
    user = await users.get_user(session, claims.tgid, for_update=for_update)
    if user is None:
        raise NotAuthenticated(
            "Этой учётной записи больше нет: войдите снова",
            en="This account no longer exists: sign in again",
        )
    if not user.is_active:
        raise UserBlocked(
            "Ваш доступ заблокирован. Обратитесь к офис-менеджеру.",
            en="Your access is blocked. Please contact the office manager.",
        )
    return user


async def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    return await _signed_in(session, settings, now, credentials, for_update=False)


async def get_locked_user(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The signed-in user with their row locked until the request commits.

    For writes that must be serial per person (orders and the weekly budget): the one read of
    the user is also the lock, instead of a plain read and then a second one FOR UPDATE.
    """
    return await _signed_in(session, settings, now, credentials, for_update=True)


async def get_reading_user(
    session: ReadSessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The signed-in user, read through the read-only session of a GET route."""
    return await _signed_in(session, settings, now, credentials, for_update=False)


CurrentUser = Annotated[User, Depends(get_current_user)]
ReadingUser = Annotated[User, Depends(get_reading_user)]
LockedUser = Annotated[User, Depends(get_locked_user)]


def _manager(user: User) -> User:
    if not user.is_manager:
        raise ManagerOnly("Это действие доступно только менеджеру", en="Only a manager can do this")
    return user


async def get_manager(user: CurrentUser) -> User:
    return _manager(user)


Manager = Annotated[User, Depends(get_manager)]


async def get_reading_manager(user: ReadingUser) -> User:
    return _manager(user)


ReadingManager = Annotated[User, Depends(get_reading_manager)]
