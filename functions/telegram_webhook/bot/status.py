"""/status: which cafe the chat is linked to, whether orders come, what waits for a manager."""

from telegram import Update
from telegram.ext import CommandHandler

from functions.telegram_webhook.bot import texts
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from shared.kit.db import unit_of_work
from shared.links import service as links

LINKED = "Чат привязан к кафе «{cafe}» ✅"
NOTIFICATIONS_ON = "Заказы приходят сюда после каждого дедлайна."
NOTIFICATIONS_OFF = "Отправка заказов приостановлена офис-менеджером ⏸"
UNREACHABLE = "⚠️ Последнее сообщение доставить не удалось: {reason}"
PENDING = "Ждёт решения менеджера: {cafes}"


async def show_status(update: Update, context: BotContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    async with unit_of_work(context.deps.sessions) as session:
        status = await links.link_status(session, chat.id)
    lines: list[str] = []
    if status.cafe is None:
        lines.append(texts.NOT_LINKED)
    else:
        lines.append(LINKED.format(cafe=status.cafe.name))
        lines.append(NOTIFICATIONS_ON if status.cafe.notifications_enabled else NOTIFICATIONS_OFF)
        if status.cafe.chat_unreachable_reason:
            lines.append(UNREACHABLE.format(reason=status.cafe.chat_unreachable_reason))
    if status.pending:
        cafes = ", ".join(f"«{request.cafe_name}»" for request in status.pending)
        lines.append(PENDING.format(cafes=cafes))
    await message.reply_text("\n".join(lines))


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("status", show_status))
