"""The `telegram_webhook` Lambda: API Gateway `POST /telegram/webhook` → python-telegram-bot.

Telegram signs each call with the secret given to `setWebhook` in the
`X-Telegram-Bot-Api-Secret-Token` header; anything without it is refused with 401. One
Application per container, initialised once on the container's event loop.
"""

import hmac
import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext
from telegram import Update

from functions.telegram_webhook.bot.app import build_application
from shared.kit import runtime, snapstart
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings, get_settings

logger = Logger(service="telegram_webhook")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
SECRET_HEADER = "x-telegram-bot-api-secret-token"


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }


def build_handler(
    settings: Settings, clock: Clock, *, hooks: snapstart.Hooks | None = None
) -> Handler:
    engine = create_engine(settings)
    application = build_application(settings, create_sessionmaker(engine), clock)
    if hooks is not None:  # SnapStart: close connections before the snapshot
        snapstart.release_before_snapshot(hooks, engine=engine, bot=application.bot)
    secret = settings.telegram_webhook_secret.get_secret_value().encode()

    initialized: list[bool] = []

    async def process(data: dict[str, Any]) -> None:
        if not initialized:  # once per container: getMe, on the container's loop
            await application.initialize()
            initialized.append(True)
        # An update we cannot use is logged and acknowledged: answering anything but 200 makes
        # Telegram deliver it again and again, and hold back the chat's later updates meanwhile.
        try:
            update = Update.de_json(data, application.bot)
        except Exception as error:
            logger.warning(
                "unusable update acknowledged",
                extra={"update_id": data.get("update_id"), "error": repr(error)},
            )
            return
        try:
            await application.process_update(update)
        except Exception:
            logger.exception(
                "update not handled, acknowledged", extra={"update_id": update.update_id}
            )

    @logger.inject_lambda_context
    @event_source(data_class=APIGatewayProxyEventV2)
    def handle(event: APIGatewayProxyEventV2, _context: LambdaContext) -> dict[str, Any]:
        given = str(event.headers.get(SECRET_HEADER, "")).encode()
        if not hmac.compare_digest(given, secret):
            logger.warning("webhook call without the right secret token")
            return _response(401, {"detail": "unauthorized"})
        try:
            data = json.loads(event.decoded_body or "")
        except ValueError:
            return _response(400, {"detail": "the body is not JSON"})
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return _response(400, {"detail": "the body is not a Telegram update"})
        runtime.run(process(data))
        return _response(200, {"ok": True})

    return handle


handler = build_handler(get_settings(), SystemClock(), hooks=snapstart.HOOKS)
