"""The bot removed from a cafe's group (or blocked in a private chat), or let back in: the cafe
is marked so managers see it before the next deadline, not after a failed delivery."""

from telegram import ChatMemberUpdated, Update
from telegram.ext import ChatMemberHandler

from functions.telegram_webhook.bot.context import BotApplication, BotContext
from shared.cafes import service as cafes
from shared.kit.db import unit_of_work

REMOVED = "the bot was removed from the chat or blocked in it"
GONE = {"left", "kicked"}


async def membership_changed(update: Update, context: BotContext) -> None:
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    gone = change.new_chat_member.status in GONE
    was_gone = change.old_chat_member.status in GONE
    if gone == was_gone:
        return
    async with unit_of_work(context.deps.sessions) as session:
        await cafes.mark_chat_unreachable(session, change.chat.id, REMOVED if gone else None)


def register(application: BotApplication) -> None:
    application.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
