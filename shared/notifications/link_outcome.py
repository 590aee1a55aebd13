"""Telling a cafe's chat how its link request ended, wherever a manager decided (bot or app)."""

from datetime import date, timedelta

from aws_lambda_powertools import Logger
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from shared.links.schemas import LinkRequestOut
from shared.models import RequestStatus
from shared.notifications.preview import sample_messages

logger = Logger(service="notifications")

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
