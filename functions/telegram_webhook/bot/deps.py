"""Reaching the bot's dependencies from a handler's context."""

from typing import TYPE_CHECKING, cast

from telegram.ext import ContextTypes

if TYPE_CHECKING:
    from functions.telegram_webhook.bot.app import BotDeps


def deps(context: ContextTypes.DEFAULT_TYPE) -> "BotDeps":
    return cast("BotDeps", context.bot_data["deps"])
