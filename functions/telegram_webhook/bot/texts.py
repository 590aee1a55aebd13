"""Texts the bot's features share, and the choice of language. Feature-specific texts live
beside their handlers, each as a {language: text} pair where it speaks to a person."""

from typing import Literal

from telegram import Update

Language = Literal["ru", "en"]
Texts = dict[Language, str]


def language_of(update: Update) -> Language:
    """English for a person whose Telegram speaks English; Russian (the default) otherwise."""
    user = update.effective_user
    code = (user.language_code or "") if user is not None else ""
    return "en" if code.lower().startswith("en") else "ru"


def text_for(update: Update, texts: Texts) -> str:
    """The text in the language of whoever sent the update."""
    return texts[language_of(update)]


SOMETHING_WENT_WRONG = (
    "Что-то пошло не так 😔 Попробуйте ещё раз через минуту. "
    "Если не получится — напишите офис-менеджеру."
)
NOT_LINKED = (
    "Этот чат пока не привязан ни к одному кафе.\n"
    "Отправьте /link, чтобы выбрать своё кафе и отправить заявку."
)
