"""Signing in: who may use the app, and the access requests of those who may not yet."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.errors import AccessRequestPending, AccessRequestRejected, UserBlocked
from shared.auth.init_data import InitData, TelegramUser
from shared.auth.tokens import TokenClaims, issue_token
from shared.kit.settings import Settings
from shared.models import RequestStatus, User, UserAccessRequest
from shared.users import repository as users
from shared.users.service import add_manager


@dataclass(frozen=True)
class SignedIn:
    user: User
    access_token: str


@dataclass(frozen=True)
class AccessRequested:
    """A stranger's sign-in: their access request is recorded (and must be committed), then the
    caller answers with `refusal`. Returned, not raised: errors never commit."""

    refusal: AccessRequestPending


async def sign_in(
    session: AsyncSession,
    init_data: InitData,
    settings: Settings,
    *,
    now: datetime,
    office: str | None = None,
) -> SignedIn | AccessRequested:
    """Turn verified initData into a token, or record an access request for a stranger.

    `office`: what a stranger says their office is; it is kept on their access request.
    """
    tg_user = init_data.user
    user = await users.get_user(session, tg_user.id)
    if user is None and tg_user.id in settings.manager_tgids:
        user = await _bootstrap_manager(session, tg_user, now=now)
    if user is None:
        return AccessRequested(
            await _refuse_stranger(session, tg_user, now=now, office=_clean(office))
        )
    if not user.is_active:
        raise UserBlocked(
            "Ваш доступ заблокирован. Обратитесь к офис-менеджеру.",
            en="Your access is blocked. Please contact the office manager.",
        )
    token = issue_token(
        TokenClaims(tgid=user.tgid, role=user.role),
        settings.jwt_secret.get_secret_value(),
        now=now,
        ttl=timedelta(minutes=settings.jwt_ttl_minutes),
    )
    return SignedIn(user=user, access_token=token)


async def _bootstrap_manager(
    session: AsyncSession, tg_user: TelegramUser, *, now: datetime
) -> User:
    name = tg_user.full_name or str(tg_user.id)
    user, _ = await add_manager(session, tg_user.id, name, now=now)
    return user


def _clean(office: str | None) -> str | None:
    stripped = " ".join(office.split()) if office else ""
    return stripped or None


async def _refuse_stranger(
    session: AsyncSession, tg_user: TelegramUser, *, now: datetime, office: str | None
) -> AccessRequestPending:
    """Record (or renew) the stranger's access request; a rejected one stays rejected (raised)."""
    request = await users.get_access_request(session, tg_user.id, for_update=True)
    if request is None:
        session.add(
            UserAccessRequest(
                tgid=tg_user.id,
                name=tg_user.full_name or str(tg_user.id),
                username=tg_user.username,
                office=office or "",
                created_at=now,
            )
        )
        await session.flush()
        return AccessRequestPending(
            "Заявка на доступ отправлена. Вы сможете заказывать, когда менеджер её одобрит.",
            en="Access request sent. You can order once a manager approves it.",
        )
    if office is not None and request.status != RequestStatus.REJECTED:
        request.office = office  # the newcomer corrected it while waiting
    if request.status == RequestStatus.REJECTED:
        raise AccessRequestRejected(
            "Заявка на доступ отклонена. Обратитесь к офис-менеджеру.",
            en="Your access request was rejected. Please contact the office manager.",
        )
    if request.status == RequestStatus.APPROVED:
        # Approved once, but the account is gone since: the person asks again.
        request.status, request.processed_at, request.created_at = RequestStatus.PENDING, None, now
        await session.flush()
        return AccessRequestPending(
            "Заявка на доступ отправлена. Вы сможете заказывать, когда менеджер её одобрит.",
            en="Access request sent. You can order once a manager approves it.",
        )
    return AccessRequestPending(
        "Заявка на доступ ждёт одобрения менеджера.",
        en="Your access request is waiting for a manager's approval.",
    )
