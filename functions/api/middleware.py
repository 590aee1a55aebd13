"""What wraps every request: security headers, a body size limit, rate limits, a time budget.

Plain ASGI middleware (not Starlette's BaseHTTPMiddleware), so that they work the same under
Mangum in Lambda, under uvicorn locally and under httpx in tests, and never buffer a response.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from shared.kit.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from shared.kit.ratelimit import RequestRateLimiter

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The Mini App runs inside Telegram's clients: the web ones frame it, so frame-ancestors names
# them (X-Frame-Options DENY would break the app there). The app loads nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
)
# Encoded once: these go on every response.
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
_CSP_HEADER = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())
# The interactive API docs load Swagger UI from its CDN; they get no CSP of their own.
DOCS_PATH_SUFFIX = "/docs"


def _said(scope: Scope, ru: str, en: str) -> str:
    """The caller's language (Accept-Language, as the app's other refusals): English or Russian."""
    from functions.api.messages import language_of  # the middleware's refusals are rare

    header = dict(scope.get("headers", [])).get(b"accept-language", b"")
    return en if language_of(header.decode("latin-1")) == "en" else ru


async def _answer(send: Send, status: int, body: dict[str, Any], headers: list[Any]) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class SecurityHeaders:
    """nosniff, a strict Referrer-Policy and the Mini App's CSP on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not str(scope.get("path", "")).endswith(DOCS_PATH_SUFFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *_SECURITY_HEADERS]
                if with_csp:
                    headers.append(_CSP_HEADER)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, scope: Scope) -> dict[str, Any]:
        kib = self.max_bytes // 1024
        return {
            "detail": _said(
                scope,
                f"Тело запроса больше {kib} КБ",
                f"The request body is over {kib} KB",
            ),
            "code": "body_too_large",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(send, 413, self._too_large(scope), [])
            return
        received = 0
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised into the app, which may turn it into an answer of its own (a body
                    # it could not parse): that answer is dropped below for the 413.
                    too_large = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if not too_large:
                await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if too_large:
            await _answer(send, 413, self._too_large(scope), [])


def client_address(scope: Scope) -> str:
    """Who is calling: API Gateway's source IP under Mangum, the socket's peer elsewhere."""
    event = scope.get("aws.event") or {}
    source = (event.get("requestContext") or {}).get("http", {}).get("sourceIp")
    if source:
        return str(source)
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimits:
    """Per-client request limits (Redis, shared by every container) on the routes anyone may
    call: sign-in, health, the dev sign-in and the Mini App's files. 429 with Retry-After.

    Redis being down must not take the API down with it: the limiter then lets requests through
    (and says so in the log), bounded by a short timeout.
    """

    CHECK_TIMEOUT_SECONDS = 0.5
    # After a failed check, requests pass without asking Redis for this long, so that a Redis
    # outage does not add CHECK_TIMEOUT_SECONDS to every request.
    PAUSE_AFTER_FAILURE_SECONDS = 5.0

    def __init__(
        self, app: ASGIApp, *, settings: Settings, redis: Callable[[], Redis], api_prefix: str
    ) -> None:
        self.app = app
        self.settings = settings
        self.redis = redis
        self.sign_in = f"{api_prefix}/auth/"
        self.dev = f"{api_prefix}/dev/"
        self.health = f"{api_prefix}/health"
        self.api = f"{api_prefix}/"
        self._limiter: RequestRateLimiter | None = None
        self._paused_until = 0.0

    def _rule(self, path: str) -> tuple[str, int] | None:
        if path.startswith((self.sign_in, self.dev)):
            return "sign-in", self.settings.rate_limit_sign_in_per_minute
        if path.startswith(self.health) or not path.startswith(self.api):
            return "public", self.settings.rate_limit_public_per_minute
        return None  # signed-in routes: the token is the gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = self._rule(str(scope.get("path", ""))) if scope["type"] == "http" else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        name, per_minute = rule
        wait = await self._wait(name, per_minute, client_address(scope))
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            body = {
                "detail": _said(
                    scope,
                    f"Слишком много запросов: повторите через {retry_after} с",
                    f"Too many requests: try again in {retry_after} s",
                ),
                "code": "rate_limited",
            }
            await _answer(send, 429, body, [(b"retry-after", str(retry_after).encode())])
            return
        await self.app(scope, receive, send)

    async def _wait(self, name: str, per_minute: int, client: str) -> float:
        if time.monotonic() < self._paused_until:
            return 0.0
        try:
            if self._limiter is None:
                # Imported on the first limited request: a cold start does not load redis.
                from shared.kit.ratelimit import RequestRateLimiter

                self._limiter = RequestRateLimiter(self.redis())
            async with asyncio.timeout(self.CHECK_TIMEOUT_SECONDS):
                return await self._limiter.try_acquire(f"{name}:{client}", per_minute, 60.0)
        except Exception as error:  # Redis down or slow: let the request through
            logger.warning("rate limiter unavailable, requests let through: %r", error)
            self._paused_until = time.monotonic() + self.PAUSE_AFTER_FAILURE_SECONDS
            return 0.0


class RequestBudget:
    """Every request is answered within `seconds`: past it, 503 dependency_unavailable.

    The endpoint runs in its own task. When the budget runs out, the client gets its 503 at once
    and the task is cancelled; its cleanup (a database driver cancelling a query on a stalled
    server may wait several seconds) goes on in the background, and anything it still sends is
    dropped. A response already started is left to finish.
    """

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        response_started = False
        timed_out = False

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if timed_out:
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if task in done:
            task.result()  # re-raise what the app raised, as if it had been awaited directly
            return
        if response_started:  # streaming already: let it finish
            await task
            return
        timed_out = True
        task.cancel()
        task.add_done_callback(_log_cancelled)
        elapsed = time.monotonic() - started
        logger.warning("request over its budget (%.1f s): %s", elapsed, scope.get("path"))
        body = {
            "detail": _said(
                scope,
                "Сервис временно недоступен: хранилище данных не ответило вовремя. "
                "Повторите попытку через несколько секунд",
                "The service is briefly unavailable: its data store did not answer in time. "
                "Try again in a few seconds",
            ),
            "code": "dependency_unavailable",
        }
        await _answer(send, 503, body, [(b"retry-after", b"5")])


def _log_cancelled(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.info("request cancelled after its budget: %r", task.exception())
