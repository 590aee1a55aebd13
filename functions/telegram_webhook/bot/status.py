"""/status: which cafe the chat is linked to, whether orders come, what waits for a manager."""

from telegram import Update
from telegram.ext import CommandHandler

from functions.telegram_webhook.bot import texts
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from shared.kit.db import unit_of_work
from shared.links import service as links


async def show_status(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    async with unit_of_work(context.deps.sessions) as session:
        status = await links.link_status(session, chat.id)
    said = texts.texts_for(update)
    lines: list[str] = []
    if status.cafe is None:
        lines.append(said.not_linked)
    else:
        lines.append(said.linked.format(cafe=status.cafe.name))
        enabled = status.cafe.notifications_enabled
        lines.append(said.notifications_on if enabled else said.notifications_off)
        if status.cafe.chat_unreachable_reason:
            lines.append(said.unreachable.format(reason=status.cafe.chat_unreachable_reason))
    if status.pending:
        cafes = ", ".join(f"«{request.cafe_name}»" for request in status.pending)
        lines.append(said.pending.format(cafes=cafes))
    await message.reply_text("\n".join(lines))


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("status", show_status))
