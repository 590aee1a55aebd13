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
from functions.telegram_webhook.bot.texts import Texts, language_of, text_for
from shared.kit.db import unit_of_work
from shared.links import service as links
from shared.users import service as users

# For a cafe's chat: how to link it and what a linked cafe can ask.
HELP: Texts = {
    "ru": (
        "Что я умею:\n"
        "/start — начать и открыть приложение для заказа обедов\n"
        "/link — привязать этот чат к своему кафе\n"
        "/status — к какому кафе привязан чат\n"
        "/orders — текущие заказы для вашего кафе\n"
        "/unlink — отвязать чат от кафе\n"
        "/help — эта подсказка\n\n"
        "Сотрудники заказывают обеды в приложении, а кафе получает список заказов сюда "
        "сразу после дедлайна."
    ),
    "en": (
        "What I can do:\n"
        "/start — start and open the lunch ordering app\n"
        "/link — link this chat to your cafe\n"
        "/status — which cafe this chat is linked to\n"
        "/orders — the orders for your cafe so far\n"
        "/unlink — unlink this chat from the cafe\n"
        "/help — this help\n\n"
        "Employees order lunch in the app; the cafe gets the list of orders here right after "
        "the deadline."
    ),
}
# For an employee in their private chat: the cafe-only commands would only confuse.
EMPLOYEE_HELP: Texts = {
    "ru": (
        "Обеды заказывают в приложении:\n"
        "/start — открыть приложение\n"
        "/help — эта подсказка\n\n"
        "В приложении — меню кафе, ваш заказ до дедлайна, история и недельный бюджет."
    ),
    "en": (
        "Lunch is ordered in the app:\n"
        "/start — open the app\n"
        "/help — this help\n\n"
        "The app has the cafes' menus, your order until the deadline, history and weekly budget."
    ),
}
UNKNOWN_COMMAND: Texts = {"ru": "Такой команды я не знаю 🤔", "en": "I don't know that command 🤔"}
NOT_UNDERSTOOD: Texts = {"ru": "Я понимаю только команды 🙂", "en": "I only understand commands 🙂"}
UNKNOWN_BUTTON: Texts = {
    "ru": "Эта кнопка устарела. Отправьте команду ещё раз — /help подскажет какую.",
    "en": "This button is out of date. Send the command again: /help lists them.",
}


async def _help_for(update: Update, context: BotContext) -> str:
    """Employees in their own chat get the employee help; a cafe's chat gets the cafe's."""
    chat, user = update.effective_chat, update.effective_user
    help_texts = HELP
    if chat is not None and user is not None and chat.type == ChatType.PRIVATE:
        async with unit_of_work(context.deps.sessions) as session:
            employee = await users.find_user(session, user.id)
            status = await links.link_status(session, chat.id)
        if employee is not None and employee.is_active and status.cafe is None:
            help_texts = EMPLOYEE_HELP
    return help_texts[language_of(update)]


async def show_help(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(await _help_for(update, context))


async def unknown_command(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        help_text = await _help_for(update, context)
        await update.effective_message.reply_text(
            f"{text_for(update, UNKNOWN_COMMAND)}\n\n{help_text}"
        )


async def plain_text(update: Update, context: BotContext) -> None:
    # In a group people talk to each other: answer only in a private chat.
    chat = update.effective_chat
    if update.effective_message is not None and chat is not None and chat.type == ChatType.PRIVATE:
        help_text = await _help_for(update, context)
        await update.effective_message.reply_text(
            f"{text_for(update, NOT_UNDERSTOOD)}\n\n{help_text}"
        )


async def stale_button(update: Update, _context: BotContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text_for(update, UNKNOWN_BUTTON), show_alert=True)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("help", show_help))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, plain_text))
    application.add_handler(CallbackQueryHandler(stale_button))
