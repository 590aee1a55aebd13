"""The bot's typed context: what every handler receives, with its dependencies on board.

python-telegram-bot builds one `BotContext` per update (ContextTypes); `context.deps` carries the
settings, the database sessions and the clock, so feature modules need nothing from app.py.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from shared.kit.clock import Clock
from shared.kit.settings import Settings
from shared.notifications.delivery import TelegramSender


@dataclass(frozen=True)
class BotDeps:
    """What handlers need; configuration only: state lives in the database."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock


class BotData:
    """The Application's bot_data: the dependencies, set once by build_application, and the
    clients a feature builds on first use and keeps for the container's life."""

    deps: BotDeps
    arrival_sender: TelegramSender | None = None


type ChatData = dict[Any, Any]
type UserData = dict[Any, Any]


class BotContext(CallbackContext[ExtBot[None], UserData, ChatData, BotData]):
    """The context every handler gets; `deps` is typed, no lookups by string."""

    @property
    def deps(self) -> BotDeps:
        return self.bot_data.deps


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)

type BotApplication = Application[ExtBot[None], BotContext, UserData, ChatData, BotData, None]
