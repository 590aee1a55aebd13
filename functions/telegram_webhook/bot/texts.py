"""Everything the bot says to people, one place per language, and the choice of language.

A person's Telegram tells the bot their language (`language_code`): English speakers get `EN`,
everyone else `RU` (the default). Replies to what someone typed or pressed follow that person,
in a cafe's group too. The cafe's order message itself (shared/notifications) is sent to the
group unprompted, to no one in particular, so it stays Russian: cafes have no language of their
own in the data.
"""

from dataclasses import dataclass
from typing import Literal

from telegram import Update

Language = Literal["ru", "en"]


@dataclass(frozen=True)
class BotTexts:
    """Each text the bot sends; `{name}` placeholders are filled with `str.format`."""

    something_went_wrong: str
    not_linked: str
    # /help
    help: str
    employee_help: str
    unknown_command: str
    not_understood: str
    unknown_button: str
    # /start
    employee_hello: str
    employee_hello_no_button: str
    open_app: str
    cafe_hello: str
    choose_cafe: str
    already_linked: str
    bad_deep_link: str
    # /link and the managers' buttons
    pick_cafe: str
    no_cafes: str
    already_waiting: str
    request_sent: str
    managers_only: str
    decided_approved: str
    decided_rejected: str
    # /status
    linked: str
    notifications_on: str
    notifications_off: str
    unreachable: str
    pending: str
    # /unlink
    confirm_unlink: str
    yes_unlink: str
    no_unlink: str
    unlinked: str
    kept: str
    # /orders
    no_orders: str
    not_final: str
    # «Привезли»
    arrival_thanks: str
    arrival_done: str
    arrival_unreachable: str
    arrival_by_cafe: str
    arrival_told_more: str


RU = BotTexts(
    something_went_wrong=(
        "Что-то пошло не так 😔 Попробуйте ещё раз через минуту. "
        "Если не получится — напишите офис-менеджеру."
    ),
    not_linked=(
        "Этот чат пока не привязан ни к одному кафе.\n"
        "Отправьте /link, чтобы выбрать своё кафе и отправить заявку."
    ),
    help=(
        "Что я умею:\n"
        "/start — начать и открыть приложение для заказа обедов\n"
        "/link — привязать этот чат к своему кафе\n"
        "/status — к какому кафе привязан чат\n"
        "/orders — текущие заказы для вашего кафе\n"
        "/unlink — отвязать чат от кафе\n"
        "/help — эта подсказка\n\n"
        "Сотрудники заказывают обеды в приложении, а кафе получает список заказов сюда "
        "сразу после дедлайна."
    ),
    employee_help=(
        "Обеды заказывают в приложении:\n"
        "/start — открыть приложение\n"
        "/help — эта подсказка\n\n"
        "В приложении — меню кафе, ваш заказ до дедлайна, история и недельный бюджет."
    ),
    unknown_command="Такой команды я не знаю 🤔",
    not_understood="Я понимаю только команды 🙂",
    unknown_button="Эта кнопка устарела. Отправьте команду ещё раз — /help подскажет какую.",
    employee_hello=(
        "Привет, {name}! 👋\n"
        "Здесь заказывают обеды в офис: выберите кафе, блюда — и готово. "
        "Нажмите кнопку ниже, чтобы открыть приложение."
    ),
    employee_hello_no_button=(
        "Привет, {name}! 👋\nЗдесь заказывают обеды в офис. Откройте приложение: {url}"
    ),
    open_app="🍽 Открыть приложение",
    cafe_hello=(
        "Здравствуйте! Я бот офисных обедов 🍲\n"
        "После дедлайна я присылаю кафе список заказов сотрудников на день.\n\n"
        "Чтобы получать заказы в этот чат:\n"
        "1. Нажмите «Выбрать кафе» (или отправьте /link) и выберите своё кафе;\n"
        "2. дождитесь, пока офис-менеджер одобрит заявку — я сразу напишу.\n\n"
        "Если менеджер прислал вам ссылку на бота — просто откройте её."
    ),
    choose_cafe="Выбрать кафе",
    already_linked=(
        "Этот чат привязан к кафе «{cafe}» ✅\n"
        "Заказы придут сюда сразу после дедлайна. /orders — текущие заказы, /help — все команды."
    ),
    bad_deep_link=(
        "Эта ссылка не похожа на ссылку для привязки кафе 🤔\n"
        "Попросите офис-менеджера прислать ссылку ещё раз или выберите кафе через /link."
    ),
    pick_cafe="Выберите своё кафе — я отправлю заявку офис-менеджеру:",
    no_cafes="Пока в системе нет ни одного кафе. Попросите офис-менеджера добавить ваше.",
    already_waiting=(
        "Заявка на привязку к кафе «{cafe}» уже ждёт решения менеджера ⏳\n"
        "Я напишу сюда, как только её рассмотрят."
    ),
    request_sent=(
        "Заявка на привязку к кафе «{cafe}» отправлена ✉️\n"
        "Как только офис-менеджер её одобрит, заказы начнут приходить в этот чат. Я сообщу."
    ),
    managers_only="Решать заявки могут только офис-менеджеры.",
    decided_approved="\n\n✅ Одобрено",
    decided_rejected="\n\n❌ Отклонено",
    linked="Чат привязан к кафе «{cafe}» ✅",
    notifications_on="Заказы приходят сюда после каждого дедлайна.",
    notifications_off="Отправка заказов приостановлена офис-менеджером ⏸",
    unreachable="⚠️ Последнее сообщение доставить не удалось: {reason}",
    pending="Ждёт решения менеджера: {cafes}",
    confirm_unlink="Отвязать чат от кафе «{cafe}»? Заказы перестанут сюда приходить.",
    yes_unlink="Да, отвязать",
    no_unlink="Отмена",
    unlinked="Чат отвязан от кафе «{cafe}». Чтобы привязать снова — /link.",
    kept="Хорошо, всё остаётся как было 👌",
    no_orders="Новых заказов пока нет 🙂 Как только сотрудники закажут, они появятся здесь.",
    not_final=(
        "Заказы ещё принимаются — это предварительный список. Окончательный придёт после дедлайна."
    ),
    arrival_thanks="Спасибо! Сообщаем сотрудникам 🙌",
    arrival_done=(
        "✅ Обед на {date} привезли в {time} ({who}).\nСообщили сотрудникам: {sent}{unreachable}."
    ),
    arrival_unreachable="; не открывали бота: {count}",
    arrival_by_cafe="кафе",
    arrival_told_more="Досообщили сотрудникам: {sent}.",
)

EN = BotTexts(
    something_went_wrong=(
        "Something went wrong 😔 Please try again in a minute. "
        "If it still fails, write to the office manager."
    ),
    not_linked=(
        "This chat is not linked to any cafe yet.\n"
        "Send /link to choose your cafe and send a request."
    ),
    help=(
        "What I can do:\n"
        "/start — start and open the lunch ordering app\n"
        "/link — link this chat to your cafe\n"
        "/status — which cafe this chat is linked to\n"
        "/orders — the orders for your cafe so far\n"
        "/unlink — unlink this chat from the cafe\n"
        "/help — this help\n\n"
        "Employees order lunch in the app; the cafe gets the list of orders here right after "
        "the deadline."
    ),
    employee_help=(
        "Lunch is ordered in the app:\n"
        "/start — open the app\n"
        "/help — this help\n\n"
        "The app has the cafes' menus, your order until the deadline, history and weekly budget."
    ),
    unknown_command="I don't know that command 🤔",
    not_understood="I only understand commands 🙂",
    unknown_button="This button is out of date. Send the command again: /help lists them.",
    employee_hello=(
        "Hi, {name}! 👋\n"
        "This is where lunch for the office is ordered: pick a cafe and dishes, done. "
        "Press the button below to open the app."
    ),
    employee_hello_no_button=(
        "Hi, {name}! 👋\nThis is where lunch for the office is ordered. Open the app: {url}"
    ),
    open_app="🍽 Open the app",
    cafe_hello=(
        "Hello! I am the office lunch bot 🍲\n"
        "After the deadline I send the cafe the list of the day's orders.\n\n"
        "To receive orders in this chat:\n"
        "1. Press «Choose a cafe» (or send /link) and choose your cafe;\n"
        "2. wait until the office manager approves the request — I will write at once.\n\n"
        "If the manager sent you a link to the bot, just open it."
    ),
    choose_cafe="Choose a cafe",
    already_linked=(
        "This chat is linked to cafe «{cafe}» ✅\n"
        "Orders come here right after the deadline. /orders — the orders so far, "
        "/help — all commands."
    ),
    bad_deep_link=(
        "This does not look like a cafe link 🤔\n"
        "Ask the office manager to send the link again, or choose the cafe with /link."
    ),
    pick_cafe="Choose your cafe — I will send the request to the office manager:",
    no_cafes="There are no cafes yet. Ask the office manager to add yours.",
    already_waiting=(
        "The request to link cafe «{cafe}» is already waiting for a manager ⏳\n"
        "I will write here as soon as it is decided."
    ),
    request_sent=(
        "The request to link cafe «{cafe}» is sent ✉️\n"
        "Once the office manager approves it, orders will come to this chat. I will let you know."
    ),
    managers_only="Only office managers can decide requests.",
    decided_approved="\n\n✅ Approved",
    decided_rejected="\n\n❌ Rejected",
    linked="This chat is linked to cafe «{cafe}» ✅",
    notifications_on="Orders come here after every deadline.",
    notifications_off="Sending orders is paused by the office manager ⏸",
    unreachable="⚠️ The last message could not be delivered: {reason}",
    pending="Waiting for a manager: {cafes}",
    confirm_unlink="Unlink this chat from cafe «{cafe}»? Orders will stop coming here.",
    yes_unlink="Yes, unlink",
    no_unlink="Cancel",
    unlinked="The chat is unlinked from cafe «{cafe}». To link it again: /link.",
    kept="All right, everything stays as it was 👌",
    no_orders="No new orders yet 🙂 They will show up here as soon as employees order.",
    not_final="Orders are still open: this list is preliminary. The final one comes after the "
    "deadline.",
    arrival_thanks="Thank you! Telling the employees 🙌",
    arrival_done=(
        "✅ Lunch for {date} arrived at {time} ({who}).\nEmployees told: {sent}{unreachable}."
    ),
    arrival_unreachable="; never opened the bot: {count}",
    arrival_by_cafe="the cafe",
    arrival_told_more="Told more employees: {sent}.",
)

TEXTS: dict[Language, BotTexts] = {"ru": RU, "en": EN}


def language_of(update: Update) -> Language:
    """English for a person whose Telegram speaks English; Russian (the default) otherwise."""
    user = update.effective_user
    code = (user.language_code or "") if user is not None else ""
    return "en" if code.lower().startswith("en") else "ru"


def texts_for(update: Update) -> BotTexts:
    """The texts in the language of whoever sent the update."""
    return TEXTS[language_of(update)]
