"""The same bot runs locally by long polling, without a public webhook."""

from collections.abc import Callable

from functions.telegram_webhook.bot.app import build_application
from infra.local.fakes.telegram import FakeTelegram, message_update
from shared.kit.clock import SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings


async def test_polling_answers_with_the_webhooks_handlers(
    fake_telegram: FakeTelegram, settings_factory: Callable[..., Settings]
) -> None:
    settings = settings_factory(fake_telegram)
    engine = create_engine(settings)
    application = build_application(
        settings, create_sessionmaker(engine), SystemClock(), polling=True
    )
    fake_telegram.push_update(message_update(1001, "/help"))

    async with application:
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.05, timeout=1)
        await application.start()
        try:
            [reply] = await fake_telegram.wait_for_messages_async(1, chat_id=1001, within=10)
        finally:
            await application.updater.stop()
            await application.stop()
    await engine.dispose()

    assert "Что я умею" in reply.text
