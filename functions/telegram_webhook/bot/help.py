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

HELP = (
    "Что я умею:\n"
    "/start — начать и открыть приложение для заказа обедов\n"
    "/link — привязать этот чат к своему кафе\n"
    "/status — к какому кафе привязан чат\n"
    "/orders — текущие заказы для вашего кафе\n"
    "/unlink — отвязать чат от кафе\n"
    "/help — эта подсказка\n\n"
    "Сотрудники заказывают обеды в приложении, а кафе получает список заказов сюда "
    "сразу после дедлайна."
)
UNKNOWN_COMMAND = "Такой команды я не знаю 🤔\n\n" + HELP
NOT_UNDERSTOOD = "Я понимаю только команды 🙂\n\n" + HELP
UNKNOWN_BUTTON = "Эта кнопка устарела. Отправьте команду ещё раз — /help подскажет какую."


async def show_help(update: Update, _context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(HELP)


async def unknown_command(update: Update, _context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(UNKNOWN_COMMAND)


async def plain_text(update: Update, _context: BotContext) -> None:
    # In a group people talk to each other: answer only in a private chat.
    chat = update.effective_chat
    if update.effective_message is not None and chat is not None and chat.type == ChatType.PRIVATE:
        await update.effective_message.reply_text(NOT_UNDERSTOOD)


async def stale_button(update: Update, _context: BotContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(UNKNOWN_BUTTON, show_alert=True)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("help", show_help))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, plain_text))
    application.add_handler(CallbackQueryHandler(stale_button))
