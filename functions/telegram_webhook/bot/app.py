"""One python-telegram-bot Application for the webhook and local polling alike."""

from aws_lambda_powertools import Logger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import ApplicationBuilder

from functions.telegram_webhook.bot import (
    arrivals,
    help,
    link,
    membership,
    orders,
    start,
    status,
    texts,
    unlink,
)
from functions.telegram_webhook.bot.context import (
    CONTEXT_TYPES,
    BotApplication,
    BotContext,
    BotDeps,
)
from shared.kit.clock import Clock
from shared.kit.errors import DomainError
from shared.kit.settings import Settings

logger = Logger(service="telegram_webhook")


def build_application(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    *,
    polling: bool = False,
) -> BotApplication:
    """The bot with every feature's handlers; `polling` keeps PTB's updater for local runs."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
    )
    if not polling:
        builder = builder.updater(None)
    # No job queue: a Lambda container has no loop running between updates.
    application: BotApplication = builder.context_types(CONTEXT_TYPES).job_queue(None).build()
    application.bot_data.deps = BotDeps(settings, sessions, clock)
    # Order matters: the catch-all help handlers come last.
    for feature in (start, link, status, orders, unlink, arrivals, membership, help):
        feature.register(application)
    application.add_error_handler(on_error)
    return application


async def on_error(update: object, context: BotContext) -> None:
    """Domain refusals are answered with their message; anything else is logged, apologised for."""
    error = context.error
    if not isinstance(error, DomainError):
        logger.exception("bot handler failed", exc_info=error)
    if not isinstance(update, Update):
        return
    if isinstance(error, DomainError):
        text = error.message_in(texts.language_of(update))
    else:
        text = texts.texts_for(update).something_went_wrong
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
