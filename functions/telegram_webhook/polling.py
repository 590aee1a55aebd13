"""Run the bot locally by long polling: `python -m functions.telegram_webhook.polling`.

The same handlers as the webhook, for a laptop with no public HTTPS address. The webhook (if
any) is removed first, because Telegram refuses `getUpdates` while one is set.
"""

from telegram import Update

from functions.telegram_webhook.bot.app import build_application
from shared.kit.clock import SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import get_settings


def main() -> None:
    settings = get_settings()
    application = build_application(
        settings, create_sessionmaker(create_engine(settings)), SystemClock(), polling=True
    )
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


if __name__ == "__main__":
    main()
