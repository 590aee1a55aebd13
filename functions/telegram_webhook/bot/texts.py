"""Texts the bot's features share. Feature-specific texts live beside their handlers."""

SOMETHING_WENT_WRONG = (
    "Что-то пошло не так 😔 Попробуйте ещё раз через минуту. "
    "Если не получится — напишите офис-менеджеру."
)
NOT_LINKED = (
    "Этот чат пока не привязан ни к одному кафе.\n"
    "Отправьте /link, чтобы выбрать своё кафе и отправить заявку."
)
