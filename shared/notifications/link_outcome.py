"""Telling people about link requests, wherever they arrive or are decided (bot or app): the
managers of a new request, with Approve / Reject buttons; the cafe's chat of the decision."""

import re
from collections.abc import Sequence
from datetime import date, timedelta

from aws_lambda_powertools import Logger
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from shared.links.schemas import LinkRequestOut
from shared.models import RequestStatus, User
from shared.notifications.preview import sample_messages

logger = Logger(service="notifications")

MANAGER_NEW_REQUEST = (
    "Новая заявка на привязку чата к кафе «{cafe}»\n"
    "Чат: {chat}\n"
    "Заявка №{id}. Одобрить — и заказы этого кафе будут приходить в этот чат."
)
MANAGER_REPLACES = (
    "\n⚠️ Сейчас кафе привязано к другому чату ({current}): одобрение заменит его, "
    "и тот чат получит уведомление."
)
APPROVE = "✅ Одобрить"
REJECT = "❌ Отклонить"
# The buttons' callback data, and the pattern the bot's handler answers them by.
DECISION = re.compile(r"^(approve|reject):(\d{1,9})$")

CAFE_APPROVED = (
    "Готово! Чат привязан к кафе «{cafe}» ✅\n"
    "После каждого дедлайна я пришлю сюда заказы сотрудников. Вот как будет выглядеть сообщение:"
)
OLD_CHAT_REPLACED = (
    "Этот чат больше не получает заказы кафе «{cafe}»: офис-менеджер привязал к кафе другой чат.\n"
    "Если это ошибка — свяжитесь с офис-менеджером."
)
CAFE_REJECTED = (
    "Заявку на привязку к кафе «{cafe}» отклонили 😕\n"
    "Если это ошибка — свяжитесь с офис-менеджером и отправьте /link ещё раз."
)


async def tell_cafe_decision(bot: Bot, request: LinkRequestOut, *, today: date) -> None:
    """Tell the cafe's chat how its request ended; after approval, show a sample message and
    tell the chat the link replaced that it gets the cafe's orders no more."""
    try:
        if request.status == RequestStatus.APPROVED:
            await bot.send_message(request.tg_chat_id, CAFE_APPROVED.format(cafe=request.cafe_name))
            for part in sample_messages(request.cafe_name, today + timedelta(days=1)):
                await bot.send_message(request.tg_chat_id, part, parse_mode=ParseMode.HTML)
        else:
            await bot.send_message(request.tg_chat_id, CAFE_REJECTED.format(cafe=request.cafe_name))
    except TelegramError as error:  # the decision stands; the cafe will see it in /status
        logger.warning("cafe not told", extra={"chat_id": request.tg_chat_id, "error": str(error)})
    replaced = request.replaces_chat
    if request.status == RequestStatus.APPROVED and replaced is not None:
        try:
            await bot.send_message(
                replaced.tg_chat_id, OLD_CHAT_REPLACED.format(cafe=request.cafe_name)
            )
        except TelegramError as error:  # the old chat may have removed the bot long ago
            logger.warning(
                "replaced chat not told",
                extra={"chat_id": replaced.tg_chat_id, "error": str(error)},
            )


async def tell_managers_of_request(
    bot: Bot, managers: Sequence[User], request: LinkRequestOut, chat: str
) -> None:
    """Every manager gets the request (from `chat`, as a person reads it) with the buttons."""
    text = MANAGER_NEW_REQUEST.format(cafe=request.cafe_name, chat=chat, id=request.id)
    if request.replaces_chat is not None:
        current = request.replaces_chat
        name = f"@{current.tg_username}" if current.tg_username else str(current.tg_chat_id)
        text += MANAGER_REPLACES.format(current=name)
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(APPROVE, callback_data=f"approve:{request.id}"),
                InlineKeyboardButton(REJECT, callback_data=f"reject:{request.id}"),
            ]
        ]
    )
    for manager in managers:
        try:
            await bot.send_message(manager.tgid, text, reply_markup=buttons)
        except TelegramError as error:  # one manager who blocked the bot must not stop the rest
            logger.warning(
                "manager not reachable", extra={"tgid": manager.tgid, "error": str(error)}
            )
