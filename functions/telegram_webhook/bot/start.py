"""/start: employees get the Mini App, cafes learn how to link; `cafe_<id>` deep links ask to
link, a manager's one-time `link_…` code links at once."""

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from functions.telegram_webhook.bot import link
from functions.telegram_webhook.bot.context import BotApplication, BotContext
from functions.telegram_webhook.bot.texts import Texts, text_for
from shared.kit.db import unit_of_work
from shared.links import service as links
from shared.links.codes import PREFIX as LINK_CODE_PREFIX
from shared.reminders import contacts
from shared.users import service as users

DEEP_LINK = re.compile(r"^cafe_(\d{1,9})$")

EMPLOYEE_HELLO: Texts = {
    "ru": (
        "Привет, {name}! 👋\n"
        "Здесь заказывают обеды в офис: выберите кафе, блюда — и готово. "
        "Нажмите кнопку ниже, чтобы открыть приложение."
    ),
    "en": (
        "Hi, {name}! 👋\n"
        "This is where lunch for the office is ordered: pick a cafe and dishes, done. "
        "Press the button below to open the app."
    ),
}
EMPLOYEE_HELLO_NO_BUTTON: Texts = {
    "ru": "Привет, {name}! 👋\nЗдесь заказывают обеды в офис. Откройте приложение: {url}",
    "en": "Hi, {name}! 👋\nThis is where lunch for the office is ordered. Open the app: {url}",
}
OPEN_APP: Texts = {"ru": "🍽 Открыть приложение", "en": "🍽 Open the app"}
CAFE_HELLO = (
    "Здравствуйте! Я бот офисных обедов 🍲\n"
    "После дедлайна я присылаю кафе список заказов сотрудников на день.\n\n"
    "Чтобы получать заказы в этот чат:\n"
    "1. Нажмите «Выбрать кафе» (или отправьте /link) и выберите своё кафе;\n"
    "2. дождитесь, пока офис-менеджер одобрит заявку — я сразу напишу.\n\n"
    "Если менеджер прислал вам ссылку на бота — просто откройте её."
)
CHOOSE_CAFE = "Выбрать кафе"
ALREADY_LINKED = (
    "Этот чат привязан к кафе «{cafe}» ✅\n"
    "Заказы придут сюда сразу после дедлайна. /orders — текущие заказы, /help — все команды."
)
BAD_DEEP_LINK = (
    "Эта ссылка не похожа на ссылку для привязки кафе 🤔\n"
    "Попросите офис-менеджера прислать ссылку ещё раз или выберите кафе через /link."
)


async def start(update: Update, context: BotContext) -> None:
    """Greet by who is writing: an employee, a linked cafe, or a cafe that wants to link."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    if context.args and context.args[0].startswith(LINK_CODE_PREFIX):
        await link.redeem_code(update, context, context.args[0])
        return
    if context.args:
        match = DEEP_LINK.match(context.args[0])
        if match is None:
            await message.reply_text(BAD_DEEP_LINK)
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
            button = InlineKeyboardButton(
                text_for(update, OPEN_APP), web_app=WebAppInfo(settings.miniapp_url)
            )
            await message.reply_text(
                text_for(update, EMPLOYEE_HELLO).format(name=name),
                reply_markup=InlineKeyboardMarkup([[button]]),
            )
        else:  # a local run: Telegram only opens Mini Apps over HTTPS
            await message.reply_text(
                text_for(update, EMPLOYEE_HELLO_NO_BUTTON).format(
                    name=name, url=settings.miniapp_url
                )
            )
        return
    if status.cafe is not None:
        await message.reply_text(ALREADY_LINKED.format(cafe=status.cafe.name))
        return
    choose = InlineKeyboardButton(CHOOSE_CAFE, callback_data=link.LIST_CAFES)
    await message.reply_text(CAFE_HELLO, reply_markup=InlineKeyboardMarkup([[choose]]))


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("start", start))
