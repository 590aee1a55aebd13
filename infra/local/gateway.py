"""What API Gateway does in front of the Lambdas, on a local port: each HTTP request becomes an
HTTP API (payload 2.0) event for the real handler of its route (template.yaml's: the bot's
webhook for `POST /telegram/webhook`, the `api` function for everything else), and its answer
a response."""

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from infra.local.events import api_gateway_v2_http

type Invoke = Callable[[str, dict[str, Any]], Awaitable[Any]]

# template.yaml's routes besides the `api` function's catch-all.
ROUTES = {("POST", "/telegram/webhook"): "telegram_webhook"}

# API Gateway passes these bodies as text; anything else arrives base64-encoded.
TEXT_BODIES = ("application/json", "text/", "application/x-www-form-urlencoded")


def request_event(request: Request, body: bytes) -> dict[str, Any]:
    """The event API Gateway would hand the function for this request."""
    headers: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        headers.setdefault(name, []).append(value)
    payload: str | bytes | None = body or None
    if body and request.headers.get("content-type", "").startswith(TEXT_BODIES):
        try:
            payload = body.decode()
        except UnicodeDecodeError:
            payload = body
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    client = request.client.host if request.client is not None else "127.0.0.1"
    return api_gateway_v2_http(
        request.method, path, body=payload, headers=headers, source_ip=client
    )


def response_of(result: dict[str, Any]) -> Response:
    """The HTTP response API Gateway makes of the function's answer."""
    raw = str(result.get("body") or "")
    content = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
    response = Response(content, status_code=int(result.get("statusCode", 200)))
    for name, value in (result.get("headers") or {}).items():
        if name.lower() != "content-length":  # Response counts the body itself
            response.headers[name] = str(value)
    for cookie in result.get("cookies") or []:
        response.headers.append("set-cookie", cookie)
    return response


def function_for(method: str, path: str) -> str:
    """The function API Gateway hands a request to."""
    return ROUTES.get((method.upper(), path), "api")


async def forward(request: Request, invoke: Invoke) -> Response:
    """Answer `request` through the function of its route, as the deployed stack does."""
    function = function_for(request.method, request.url.path)
    result = await invoke(function, request_event(request, await request.body()))
    return response_of(result)
