"""Who the bot may write to: people who pressed /start in a private chat and did not block it.

Telegram lets a bot write to a person only after the person started it, so /start is recorded
here and a 403 from Telegram ("bot was blocked by the user") marks the contact blocked until
the next /start.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import BotContact


async def record_start(session: AsyncSession, tgid: int, *, now: datetime) -> None:
    """The person started the bot (again): it may write to them."""
    statement = insert(BotContact).values(tgid=tgid, started_at=now, blocked_at=None)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["tgid"], set_={"started_at": now, "blocked_at": None}
        )
    )


async def mark_blocked(session: AsyncSession, tgid: int, *, now: datetime) -> None:
    await session.execute(update(BotContact).where(BotContact.tgid == tgid).values(blocked_at=now))


async def reachable(session: AsyncSession, tgids: Iterable[int]) -> set[int]:
    """Those of `tgids` the bot may write to."""
    wanted = list(tgids)
    if not wanted:
        return set()
    statement = select(BotContact.tgid).where(
        BotContact.tgid.in_(wanted), BotContact.blocked_at.is_(None)
    )
    return set((await session.execute(statement)).scalars())


async def unreachable_reason(session: AsyncSession, tgid: int) -> str | None:
    """Why the bot may not write to the person (`bot_not_started`, `blocked`), or None."""
    contact = await session.get(BotContact, tgid)
    if contact is None:
        return "bot_not_started"
    return "blocked" if contact.blocked_at is not None else None
