"""The `api` Lambda: API Gateway HTTP API (payload 2.0) -> Mangum -> FastAPI."""

from collections.abc import Callable
from functools import _lru_cache_wrapper, cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import FastAPI
from mangum import Mangum

from functions.api.app import create_app
from functions.api.deps import AppContext
from shared.kit import runtime, snapstart
from shared.kit.clock import Clock, SystemClock
from shared.kit.db import create_engine, create_sessionmaker
from shared.kit.settings import Settings, get_settings

if TYPE_CHECKING:
    from telegram import Bot

logger = Logger(service="api")

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def build_handler(
    settings: Settings, clock: Clock, *, hooks: snapstart.Hooks | None = None
) -> Handler:
    """The Lambda entry point around a freshly built app; called once per container.

    `hooks`: where to register closing its connections before a SnapStart snapshot.
    """
    engine = create_engine(settings)
    make_telegram = cache(lambda: _bot(settings))
    context = AppContext(
        settings=settings,
        sessions=create_sessionmaker(engine),
        clock=clock,
        make_telegram=make_telegram,
    )
    app = create_app(context)
    # Redis and the bot are made on first use: release them only if a request made them.
    if hooks is not None:
        snapstart.release_before_snapshot(hooks, engine=engine)
        hooks.on_snapshot(lambda: runtime.run(_release_lazy_clients(app, make_telegram)))
    runtime.event_loop()  # Mangum looks for the current loop when built and when called.
    adapter = Mangum(app, lifespan="off")

    @logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
    def handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        runtime.event_loop()
        # Mangum declares its own LambdaContext protocol; Powertools' is the same object.
        response: dict[str, Any] = adapter(event, context)  # type: ignore[arg-type]
        return response

    return handle


async def _release_lazy_clients(app: FastAPI, make_telegram: "_lru_cache_wrapper[Bot]") -> None:
    redis = getattr(app.state, "redis", None)
    if redis is not None:
        await redis.connection_pool.disconnect()
    if make_telegram.cache_info().currsize:
        await snapstart.renew_http_pool(make_telegram())


def _bot(settings: Settings) -> "Bot":
    # Imported on first use: python-telegram-bot costs a cold start ~0.2 s, few requests use it.
    from shared.kit.telegram import create_bot

    return create_bot(settings)


handler = build_handler(get_settings(), SystemClock(), hooks=snapstart.HOOKS)
