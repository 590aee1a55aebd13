"""Linking a cafe's chat: the cafe picks its cafe (or follows a manager's deep link), managers
approve or reject from Telegram as they would in the app, the cafe hears the outcome."""

from aws_lambda_powertools import Logger
from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from functions.telegram_webhook.bot.context import BotApplication, BotContext
from functions.telegram_webhook.bot.texts import texts_for
from shared.cafes import service as cafe_service
from shared.kit.db import unit_of_work
from shared.kit.settings import Settings
from shared.links import service as links
from shared.links.schemas import LinkRequestOut
from shared.notifications.link_outcome import (
    DECISION,
    tell_cafe_decision,
    tell_managers_of_request,
)
from shared.users import service as users

logger = Logger(service="telegram_webhook")

LIST_CAFES = "link:list"
MAX_CAFES_SHOWN = 50


def cafe_deep_link(settings: Settings, cafe_id: int) -> str:
    """The link a manager shares with a cafe: opening it asks to link that cafe's chat."""
    return links.cafe_deep_link(settings.telegram_bot_username, cafe_id)


async def show_cafes(update: Update, context: BotContext) -> None:
    """/link and the «Выбрать кафе» button: the active cafes as buttons."""
    message = update.effective_message
    if update.callback_query is not None:
        await update.callback_query.answer()
    if message is None:
        return
    async with unit_of_work(context.deps.sessions) as session:
        cafes = await cafe_service.cafes_to_pick(session, limit=MAX_CAFES_SHOWN)
    if not cafes:
        await message.reply_text(texts_for(update).no_cafes)
        return
    keyboard = [
        [InlineKeyboardButton(cafe.name, callback_data=f"link:{cafe.id}")] for cafe in cafes
    ]
    await message.reply_text(
        texts_for(update).pick_cafe, reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def picked_cafe(update: Update, context: BotContext) -> None:
    assert update.callback_query is not None
    assert context.matches
    await update.callback_query.answer()
    await ask_to_link(update, context, int(context.matches[0].group(1)))


async def ask_to_link(update: Update, context: BotContext, cafe_id: int) -> None:
    """Create (or find) the chat's request for the cafe; tell the managers about a new one."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    bot_deps = context.deps
    async with unit_of_work(bot_deps.sessions) as session:
        waiting = await links.link_status(session, chat.id)
        if any(request.cafe_id == cafe_id for request in waiting.pending):
            already = next(r for r in waiting.pending if r.cafe_id == cafe_id)
            await message.reply_text(
                texts_for(update).already_waiting.format(cafe=already.cafe_name)
            )
            return
        request = await links.request_link(
            session, cafe_id, chat.id, chat.username, now=bot_deps.clock.now()
        )
    await message.reply_text(texts_for(update).request_sent.format(cafe=request.cafe_name))
    await notify_managers(context, request, chat)


async def redeem_code(update: Update, context: BotContext, code: str) -> None:
    """The chat opened a manager's one-time link: link it at once, tell it and the chat replaced."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    bot_deps = context.deps
    now = bot_deps.clock.now()
    async with unit_of_work(bot_deps.sessions) as session:
        linked = await links.link_with_code(
            session,
            code,
            chat.id,
            chat.username,
            key=bot_deps.settings.jwt_secret.get_secret_value(),
            now=now,
        )
    await tell_cafe_decision(context.bot, linked, today=now.astimezone(bot_deps.settings.tz).date())


async def notify_managers(context: BotContext, request: LinkRequestOut, chat: Chat) -> None:
    """Every active manager gets the request with Approve / Reject buttons in their private chat."""
    async with unit_of_work(context.deps.sessions) as session:
        managers = await users.active_managers(session)
    described = chat.title or chat.full_name or str(chat.id)
    if chat.username:
        described += f" (@{chat.username})"
    await tell_managers_of_request(context.bot, managers, request, described)


async def decide(update: Update, context: BotContext) -> None:
    """A manager pressed Approve or Reject: the same decision as in the app."""
    query = update.callback_query
    assert query is not None
    assert context.matches
    verdict, request_id = context.matches[0].group(1), int(context.matches[0].group(2))
    bot_deps = context.deps
    async with unit_of_work(bot_deps.sessions) as session:
        manager = await users.active_manager(session, query.from_user.id)
        if manager is None:
            await query.answer(texts_for(update).managers_only, show_alert=True)
            return
        now = bot_deps.clock.now()
        if verdict == "approve":
            request = await links.approve(session, request_id, now=now)
        else:
            request = await links.reject(session, request_id, now=now)
    await query.answer()
    if isinstance(query.message, Message) and query.message.text:
        said = texts_for(update)
        mark = said.decided_approved if verdict == "approve" else said.decided_rejected
        await query.edit_message_text(f"{query.message.text}{mark}")
    await tell_cafe_decision(
        context.bot, request, today=now.astimezone(bot_deps.settings.tz).date()
    )


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("link", show_cafes))
    application.add_handler(CallbackQueryHandler(show_cafes, pattern=f"^{LIST_CAFES}$"))
    application.add_handler(CallbackQueryHandler(picked_cafe, pattern=r"^link:(\d{1,9})$"))
    application.add_handler(CallbackQueryHandler(decide, pattern=DECISION))
