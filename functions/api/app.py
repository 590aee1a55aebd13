"""The REST API under /api/v1 (FastAPI), built from its dependencies so tests can inject them."""

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI

from functions.api.deps import AppContext
from functions.api.errors import ERROR_RESPONSES, install_error_handlers
from functions.api.middleware import BodyLimit, RateLimits, RequestBudget, SecurityHeaders
from functions.api.routes import (
    auth,
    availability,
    cafes,
    combos,
    deadlines,
    deliveries,
    health,
    links,
    menu,
    orders,
    recommendations,
    recommendations_generate,
    reminders,
    repeat,
    report_links,
    reports,
    user_requests,
    users,
)
from functions.api.routes import dev as dev_routes
from functions.api.static import install_miniapp, miniapp_dist

if TYPE_CHECKING:
    from redis.asyncio import Redis

ROUTERS = (
    auth,
    users,
    user_requests,
    cafes,
    menu,
    combos,
    deadlines,
    links,
    availability,
    orders,
    repeat,
    deliveries,
    reminders,
    reports,
    report_links,
    recommendations,
    recommendations_generate,
    health,
)

API_PREFIX = "/api/v1"


def create_app(context: AppContext, *, miniapp: Path | None = None) -> FastAPI:
    app = FastAPI(
        title="Lunch ordering API",
        version="1.0.0",
        summary="Office lunch ordering through a Telegram Mini App",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.context = context
    install_error_handlers(app)
    # Every route can answer 400 (a body that cannot be parsed at all) and 422, in our error
    # shape rather than FastAPI's default HTTPValidationError; 413 for a body over the limit and
    # 503 when a store does not answer within the request's budget.
    responses = {code: ERROR_RESPONSES[code] for code in (400, 413, 422, 503)}
    # Declared on the app itself, not through included routers: each route is built once,
    # here, instead of again for each router level and once more on the first request.
    modules = [*ROUTERS, dev_routes] if context.settings.dev_login_enabled else ROUTERS
    for module in modules:
        module.router.install(app, prefix=API_PREFIX, responses=responses)
    # After the API: the Mini App's catch-all route must not shadow /api/v1.
    # `miniapp` picks a build explicitly: the browser tests run the deployed and the local one.
    dist = miniapp or miniapp_dist(dev_login_enabled=context.settings.dev_login_enabled)
    install_miniapp(app, dist)
    install_middleware(app, context)
    return app


def app_redis(app: FastAPI) -> "Redis":
    """The app's Redis client, made on first use (connections open lazily, once per container).

    redis is imported here, not at the top: most requests and every cold start never need it.
    """
    redis: Redis | None = getattr(app.state, "redis", None)
    if redis is None:
        from shared.kit.redis import create_redis

        redis = app.state.redis = create_redis(app.state.context.settings)
    return redis


def install_middleware(app: FastAPI, context: AppContext) -> None:
    """Outermost first: headers on every answer, then the budget, the limits, the body size."""
    settings = context.settings
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(
        RateLimits, settings=settings, redis=lambda: app_redis(app), api_prefix=API_PREFIX
    )
    app.add_middleware(RequestBudget, seconds=settings.api_request_budget_seconds)
    app.add_middleware(SecurityHeaders)
