"""The REST API under /api/v1 (FastAPI), built from its dependencies so tests can inject them."""

from pathlib import Path

from fastapi import APIRouter, FastAPI

from functions.api.deps import AppContext
from functions.api.errors import ERROR_RESPONSES, install_error_handlers
from functions.api.routes import (
    auth,
    availability,
    cafe_links,
    cafes,
    combos,
    deadlines,
    health,
    menu,
    orders,
    recommendations,
    summaries,
    user_requests,
    users,
)
from functions.api.routes import dev as dev_routes
from functions.api.static import install_miniapp, miniapp_dist

ROUTERS = (
    auth,
    users,
    user_requests,
    cafes,
    menu,
    combos,
    deadlines,
    cafe_links,
    availability,
    orders,
    summaries,
    recommendations,
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
    # shape rather than FastAPI's default HTTPValidationError.
    api = APIRouter(
        prefix=API_PREFIX, responses={code: ERROR_RESPONSES[code] for code in (400, 422)}
    )
    for module in ROUTERS:
        api.include_router(module.router)
    if context.settings.dev_login_enabled:
        api.include_router(dev_routes.router)
    app.include_router(api)
    # After the API: the Mini App's catch-all route must not shadow /api/v1.
    # `miniapp` picks a build explicitly: the browser tests run the deployed and the local one.
    dist = miniapp or miniapp_dist(dev_login_enabled=context.settings.dev_login_enabled)
    install_miniapp(app, dist)
    return app
