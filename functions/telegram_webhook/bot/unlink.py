"""/unlink: the cafe stops receiving orders in this chat, after a confirmation."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from functions.telegram_webhook.bot import texts
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from shared.kit.db import unit_of_work
from shared.links import service as links

CONFIRM = "Отвязать чат от кафе «{cafe}»? Заказы перестанут сюда приходить."
YES = "Да, отвязать"
NO = "Отмена"
UNLINKED = "Чат отвязан от кафе «{cafe}». Чтобы привязать снова — /link."
KEPT = "Хорошо, всё остаётся как было 👌"


async def ask(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    async with unit_of_work(context.deps.sessions) as session:
        cafe = (await links.link_status(session, chat.id)).cafe
    if cafe is None:
        await message.reply_text(texts.NOT_LINKED)
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(YES, callback_data=f"unlink:{cafe.id}"),
                InlineKeyboardButton(NO, callback_data="unlink:no"),
            ]
        ]
    )
    await message.reply_text(CONFIRM.format(cafe=cafe.name), reply_markup=keyboard)


async def confirmed(update: Update, context: BotContext) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    assert chat is not None
    assert context.matches
    await query.answer()
    cafe_id = int(context.matches[0].group(1))
    async with unit_of_work(context.deps.sessions) as session:
        cafe = (await links.link_status(session, chat.id)).cafe
        if cafe is None or cafe.id != cafe_id:  # already unlinked, or linked elsewhere since
            await query.edit_message_text(texts.NOT_LINKED)
            return
        await links.unlink(session, cafe.id)
    await query.edit_message_text(UNLINKED.format(cafe=cafe.name))


async def cancelled(update: Update, _context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(KEPT)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("unlink", ask))
    application.add_handler(CallbackQueryHandler(confirmed, pattern=r"^unlink:(\d{1,9})$"))
    application.add_handler(CallbackQueryHandler(cancelled, pattern=r"^unlink:no$"))
