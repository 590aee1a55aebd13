"""/unlink: the cafe stops receiving orders in this chat, after a confirmation."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from functions.telegram_webhook.bot import texts
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from shared.kit.db import unit_of_work
from shared.links import service as links


async def ask(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    async with unit_of_work(context.deps.sessions) as session:
        cafe = (await links.link_status(session, chat.id)).cafe
    said = texts.texts_for(update)
    if cafe is None:
        await message.reply_text(said.not_linked)
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(said.yes_unlink, callback_data=f"unlink:{cafe.id}"),
                InlineKeyboardButton(said.no_unlink, callback_data="unlink:no"),
            ]
        ]
    )
    await message.reply_text(said.confirm_unlink.format(cafe=cafe.name), reply_markup=keyboard)


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
            await query.edit_message_text(texts.texts_for(update).not_linked)
            return
        await links.unlink(session, cafe.id)
    await query.edit_message_text(texts.texts_for(update).unlinked.format(cafe=cafe.name))


async def cancelled(update: Update, _context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(texts.texts_for(update).kept)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("unlink", ask))
    application.add_handler(CallbackQueryHandler(confirmed, pattern=r"^unlink:(\d{1,9})$"))
    application.add_handler(CallbackQueryHandler(cancelled, pattern=r"^unlink:no$"))
