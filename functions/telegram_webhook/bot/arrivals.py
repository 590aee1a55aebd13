"""The "Привезли" button under a cafe's orders: tell everyone with an order that lunch is here."""

import contextlib

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from functions.telegram_webhook.bot.context import BotApplication, BotContext
from functions.telegram_webhook.bot.texts import language_of, texts_for
from shared.deliveries.service import report_arrival
from shared.kit.errors import DomainError
from shared.kit.ratelimit import TelegramRateLimiter
from shared.kit.redis import create_redis
from shared.notifications.arrival_button import CALLBACK, parse_arrived
from shared.notifications.delivery import TelegramSender


def _sender(context: BotContext) -> TelegramSender:
    """One sender per container, within the Telegram limits every function shares (Redis)."""
    sender = context.bot_data.arrival_sender
    if sender is None:
        settings = context.deps.settings
        limiter = TelegramRateLimiter.from_settings(create_redis(settings), settings)
        sender = context.bot_data.arrival_sender = TelegramSender(context.bot, limiter)
    return sender


async def arrived(update: Update, context: BotContext) -> None:
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if query is None or chat is None or query.data is None:
        return
    parsed = parse_arrived(query.data)
    if parsed is None:
        await query.answer()
        return
    cafe_id, order_date = parsed
    app = context.deps
    # Replies follow the person who pressed, even in the cafe's group.
    said = texts_for(update)
    # Answered first: Telegram shows the spinner until the query is answered.
    await query.answer(said.arrival_thanks)
    try:
        outcome = await report_arrival(
            app.sessions,
            _sender(context),
            cafe_id=cafe_id,
            order_date=order_date,
            chat_id=chat.id,
            reporter_id=user.id if user else None,
            reporter_name=user.full_name if user else None,
            now=app.clock.now(),
        )
    except DomainError as refused:  # the query is answered already: say it in the chat
        await context.bot.send_message(chat.id, refused.message_in(language_of(update)))
        return
    local = outcome.arrived_at.astimezone(app.settings.tz)
    if not outcome.first_report:
        if outcome.sent:
            await context.bot.send_message(
                chat.id, said.arrival_told_more.format(sent=outcome.sent)
            )
        return
    # The message may be too old to edit, or edited already: the record is what counts.
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)
    unreachable = (
        said.arrival_unreachable.format(count=outcome.not_reachable)
        if outcome.not_reachable
        else ""
    )
    await context.bot.send_message(
        chat.id,
        said.arrival_done.format(
            date=f"{order_date:%d.%m}",
            time=f"{local:%H:%M}",
            who=outcome.reported_by_name or said.arrival_by_cafe,
            sent=outcome.sent,
            unreachable=unreachable,
        ),
    )


def register(application: BotApplication) -> None:
    application.add_handler(CallbackQueryHandler(arrived, pattern=CALLBACK))
