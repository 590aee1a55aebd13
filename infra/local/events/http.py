"""API Gateway HTTP API events (payload format 2.0), as the api and webhook functions get them.

* header names arrive lower-cased; repeated headers are joined with ``,``;
* the ``Cookie`` header is removed from ``headers`` and delivered as the
  ``cookies`` list;
* repeated query parameters are joined with ``,`` in ``queryStringParameters``
  while ``rawQueryString`` keeps them as sent;
* ``body``, ``cookies``, ``queryStringParameters``, ``pathParameters`` and
  ``stageVariables`` are *absent* (not ``null``) when there is nothing to send;
* with a named stage (anything but ``$default``) the stage name is a prefix of
  ``rawPath`` and ``requestContext.http.path`` (``/prod/orders``): the ASGI adapter
  must strip it (Mangum's ``api_gateway_base_path``);
* binary bodies arrive base64-encoded with ``isBase64Encoded: true``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

from infra.local.events.common import (
    _DEFAULT_USER_AGENT,
    _MONTHS,
    DEFAULT_ACCOUNT_ID,
    DEFAULT_API_ID,
    DEFAULT_REGION,
    HeaderValue,
    JSONDict,
    QueryValue,
)


def api_gateway_v2_http(
    method: str,
    path: str,
    *,
    body: str | bytes | Mapping[str, Any] | Sequence[Any] | None = None,
    headers: Mapping[str, HeaderValue] | None = None,
    query: Mapping[str, QueryValue] | None = None,
    path_params: Mapping[str, str] | None = None,
    stage: str = "$default",
    route_key: str | None = None,
    source_ip: str = "127.0.0.1",
    cookies: Sequence[str] | None = None,
    authorizer: Mapping[str, Any] | None = None,
    stage_variables: Mapping[str, str] | None = None,
    request_time: datetime | None = None,
    request_id: str | None = None,
    api_id: str = DEFAULT_API_ID,
    region: str = DEFAULT_REGION,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> JSONDict:
    """Build the event API Gateway HTTP API (payload 2.0) sends to a Lambda integration.

    ``path`` is the path the client requested, without the stage; it may carry a query
    string (``"/orders?date=2025-01-01"``), merged with ``query``. ``body`` may be text,
    bytes (sent base64-encoded, as API Gateway does for binary payloads) or a JSON-able
    ``dict``/``list`` (serialised, with ``content-type: application/json`` unless given).
    ``route_key`` defaults to ``"$default"``; with an explicit key such as
    ``"GET /orders/{order_id}"`` or ``"ANY /{proxy+}"`` the path parameters are derived
    from the path unless ``path_params`` is given. ``request_time`` and ``request_id``
    make the event deterministic (otherwise: now, random).
    """
    http_method = method.upper()
    bare_path, _, inline_query = path.partition("?")
    if not bare_path.startswith("/"):
        bare_path = "/" + bare_path

    query_pairs: list[tuple[str, str]] = parse_qsl(inline_query, keep_blank_values=True)
    for name, value in (query or {}).items():
        values = [value] if isinstance(value, str) else list(value)
        query_pairs.extend((name, v) for v in values)

    raw_path = bare_path if stage == "$default" else f"/{stage}{bare_path}"
    key = route_key or "$default"

    when = (request_time or datetime.now(UTC)).astimezone(UTC)
    epoch_ms = int(when.timestamp() * 1000)
    req_id = request_id or _api_request_id()
    domain_name = f"{api_id}.execute-api.{region}.amazonaws.com"

    body_text, is_base64, content_type = _encode_http_body(body)

    event_headers: dict[str, str] = {
        "accept": "*/*",
        "host": domain_name,
        "user-agent": _DEFAULT_USER_AGENT,
        "x-amzn-trace-id": _trace_id(when, req_id),
        "x-forwarded-for": source_ip,
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if content_type is not None:
        event_headers["content-type"] = content_type
    if body_text is not None:
        raw_len = len(base64.b64decode(body_text)) if is_base64 else len(body_text.encode())
        event_headers["content-length"] = str(raw_len)

    event_cookies: list[str] = list(cookies or [])
    for name, value in (headers or {}).items():
        lower = name.lower()
        joined = value if isinstance(value, str) else ",".join(value)
        if lower == "cookie":
            event_cookies.extend(c.strip() for c in joined.split(";") if c.strip())
            continue
        event_headers[lower] = joined

    event: JSONDict = {
        "version": "2.0",
        "routeKey": key,
        "rawPath": raw_path,
        "rawQueryString": urlencode(query_pairs, quote_via=quote),
    }
    if event_cookies:
        event["cookies"] = event_cookies
    event["headers"] = event_headers
    if query_pairs:
        joined_query: dict[str, list[str]] = {}
        for name, value in query_pairs:
            joined_query.setdefault(name, []).append(value)
        event["queryStringParameters"] = {k: ",".join(v) for k, v in joined_query.items()}

    request_context: JSONDict = {
        "accountId": account_id,
        "apiId": api_id,
    }
    if authorizer is not None:
        request_context["authorizer"] = dict(authorizer)
    request_context |= {
        "domainName": domain_name,
        "domainPrefix": api_id,
        "http": {
            "method": http_method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": event_headers.get("user-agent", ""),
        },
        "requestId": req_id,
        "routeKey": key,
        "stage": stage,
        "time": _clf_time(when),
        "timeEpoch": epoch_ms,
    }
    event["requestContext"] = request_context

    if body_text is not None:
        event["body"] = body_text

    params = dict(path_params) if path_params is not None else _route_params(key, bare_path)
    if params:
        event["pathParameters"] = params
    event["isBase64Encoded"] = is_base64
    if stage_variables:
        event["stageVariables"] = dict(stage_variables)
    return event


def _encode_http_body(
    body: str | bytes | Mapping[str, Any] | Sequence[Any] | None,
) -> tuple[str | None, bool, str | None]:
    """Return (body as put in the event, isBase64Encoded, default content type)."""
    if body is None:
        return None, False, None
    if isinstance(body, bytes):
        return base64.b64encode(body).decode("ascii"), True, "application/octet-stream"
    if isinstance(body, str):
        return body, False, None
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")), False, "application/json"


def _api_request_id() -> str:
    # API Gateway request ids look like "JKJaXmPLvHcESHA=": 11 random bytes in base64.
    return base64.b64encode(secrets.token_bytes(11)).decode("ascii")


def _trace_id(when: datetime, request_id: str) -> str:
    digest = hashlib.sha256(request_id.encode()).hexdigest()[:24]
    return f"Root=1-{int(when.timestamp()):08x}-{digest}"


def _clf_time(when: datetime) -> str:
    # "12/Mar/2020:19:03:58 +0000", with English month names whatever the locale.
    return (
        f"{when.day:02d}/{_MONTHS[when.month - 1]}/{when.year}:"
        f"{when.hour:02d}:{when.minute:02d}:{when.second:02d} +0000"
    )


def _route_params(route_key: str, path: str) -> dict[str, str]:
    """Derive ``pathParameters`` from a route key such as ``GET /orders/{id}``."""
    if route_key == "$default" or " " not in route_key:
        return {}
    template = route_key.split(" ", 1)[1]
    pattern = ""
    names: list[str] = []
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            greedy = name.endswith("+")
            name = name.rstrip("+")
            names.append(name)
            pattern += f"(?P<{_group(name)}>.+)" if greedy else f"(?P<{_group(name)}>[^/]+)"
        else:
            pattern += re.escape(part)
    match = re.fullmatch(pattern, path)
    if match is None:
        return {}
    return {name: unquote(match.group(_group(name))) for name in names}


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)
