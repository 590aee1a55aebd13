"""/orders: a linked cafe sees the next date's orders so far, as it will receive them."""

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler

from functions.telegram_webhook.bot import texts
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from shared.kit.db import unit_of_work
from shared.links import service as links
from shared.notifications.preview import upcoming_orders


async def show_orders(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    bot_deps = context.deps
    said = texts.texts_for(update)
    today = bot_deps.clock.now().astimezone(bot_deps.settings.tz).date()
    async with unit_of_work(bot_deps.sessions) as session:
        cafe = (await links.link_status(session, chat.id)).cafe
        if cafe is None:
            await message.reply_text(said.not_linked)
            return
        parts = await upcoming_orders(session, cafe.id, cafe.name, today=today)
    if not parts:
        await message.reply_text(said.no_orders)
        return
    for part in parts:
        await message.reply_text(part, parse_mode=ParseMode.HTML)
    await message.reply_text(said.not_final)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("orders", show_orders))
