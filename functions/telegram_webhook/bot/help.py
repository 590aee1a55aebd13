"""/help, and a helpful answer to anything the bot does not understand."""

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from functions.telegram_webhook.bot.context import BotApplication, BotContext
from functions.telegram_webhook.bot.texts import texts_for
from shared.kit.db import unit_of_work
from shared.links import service as links
from shared.users import service as users


async def _help_for(update: Update, context: BotContext) -> str:
    """Employees in their own chat get the employee help; a cafe's chat gets the cafe's."""
    chat, user = update.effective_chat, update.effective_user
    said = texts_for(update)
    if chat is not None and user is not None and chat.type == ChatType.PRIVATE:
        async with unit_of_work(context.deps.sessions) as session:
            employee = await users.find_user(session, user.id)
            status = await links.link_status(session, chat.id)
        if employee is not None and employee.is_active and status.cafe is None:
            return said.employee_help
    return said.help


async def show_help(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(await _help_for(update, context))


async def unknown_command(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        help_text = await _help_for(update, context)
        await update.effective_message.reply_text(
            f"{texts_for(update).unknown_command}\n\n{help_text}"
        )


async def plain_text(update: Update, context: BotContext) -> None:
    # In a group people talk to each other: answer only in a private chat.
    chat = update.effective_chat
    if update.effective_message is not None and chat is not None and chat.type == ChatType.PRIVATE:
        help_text = await _help_for(update, context)
        await update.effective_message.reply_text(
            f"{texts_for(update).not_understood}\n\n{help_text}"
        )


async def stale_button(update: Update, _context: BotContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(texts_for(update).unknown_button, show_alert=True)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("help", show_help))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, plain_text))
    application.add_handler(CallbackQueryHandler(stale_button))
