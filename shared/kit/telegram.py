"""The Telegram Bot API client (python-telegram-bot's `Bot`), configured from settings."""

from telegram import Bot
from telegram.request import HTTPXRequest

from shared.kit.settings import Settings


def create_bot(settings: Settings) -> Bot:
    """A Bot that talks to `TELEGRAM_API_BASE_URL` (Telegram itself unless overridden)."""
    request = HTTPXRequest(connection_pool_size=8, connect_timeout=5, read_timeout=10)
    return Bot(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        request=request,
    )
