"""/start: employees get the Mini App, cafes learn how to link; `cafe_<id>` deep links ask to
link, a manager's one-time `link_…` code links at once."""

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from functions.telegram_webhook.bot import link
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from functions.telegram_webhook.bot.texts import texts_for
from shared.kit.db import unit_of_work
from shared.links import service as links
from shared.links.codes import PREFIX as LINK_CODE_PREFIX
from shared.reminders import contacts
from shared.users import service as users

DEEP_LINK = re.compile(r"^cafe_(\d{1,9})$")


async def start(update: Update, context: BotContext) -> None:
    """Greet by who is writing: an employee, a linked cafe, or a cafe that wants to link."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    said = texts_for(update)
    if context.args and context.args[0].startswith(LINK_CODE_PREFIX):
        await link.redeem_code(update, context, context.args[0])
        return
    if context.args:
        match = DEEP_LINK.match(context.args[0])
        if match is None:
            await message.reply_text(said.bad_deep_link)
            return
        await link.ask_to_link(update, context, int(match.group(1)))
        return
    settings = context.deps.settings
    async with unit_of_work(context.deps.sessions) as session:
        employee = await users.find_user(session, user.id) if user is not None else None
        status = await links.link_status(session, chat.id)
        if chat.type == ChatType.PRIVATE and user is not None:
            # Telegram lets the bot write to a person only after /start: reminders need it.
            await contacts.record_start(session, user.id, now=context.deps.clock.now())
    if chat.type == ChatType.PRIVATE and employee is not None and employee.is_active:
        name = employee.name.split()[0] if employee.name.strip() else employee.name
        if settings.miniapp_url.startswith("https://"):
            button = InlineKeyboardButton(said.open_app, web_app=WebAppInfo(settings.miniapp_url))
            await message.reply_text(
                said.employee_hello.format(name=name),
                reply_markup=InlineKeyboardMarkup([[button]]),
            )
        else:  # a local run: Telegram only opens Mini Apps over HTTPS
            await message.reply_text(
                said.employee_hello_no_button.format(name=name, url=settings.miniapp_url)
            )
        return
    if status.cafe is not None:
        await message.reply_text(said.already_linked.format(cafe=status.cafe.name))
        return
    choose = InlineKeyboardButton(said.choose_cafe, callback_data=link.LIST_CAFES)
    await message.reply_text(said.cafe_hello, reply_markup=InlineKeyboardMarkup([[choose]]))


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("start", start))
