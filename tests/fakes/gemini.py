"""A fake Gemini API: a real local HTTP server speaking the ``generateContent`` protocol.

It runs a ``ThreadingHTTPServer`` in a background thread, so sync tests, async tests and
other processes (benchmarks) can all reach it. Point google-genai at it with
``genai.Client(api_key=..., http_options=types.HttpOptions(base_url=fake.base_url))``.

What it does, as ``generativelanguage.googleapis.com`` does:

* ``POST /<version>/models/<model>:generateContent`` with the API key in the
  ``x-goog-api-key`` header (or ``?key=``); answers ``{"candidates": [{"content": {"parts":
  [{"text": ...}], "role": "model"}, "finishReason": "STOP"}], "usageMetadata": ...}``;
* errors in Google's shape, ``{"error": {"code", "message", "status", "details"}}``:
  an unknown key gets ``400 INVALID_ARGUMENT`` with reason ``API_KEY_INVALID`` (what Google
  really answers for a wrong key), a revoked key ``403 PERMISSION_DENIED``;
* quotas per key, as Google applies them per project: a daily quota
  (:meth:`FakeGemini.set_daily_quota`) and a per-second rate limit
  (:meth:`FakeGemini.rate_limit`), both answered with ``429 RESOURCE_EXHAUSTED`` carrying a
  ``QuotaFailure`` and a ``RetryInfo``;
* scripted answers for the next requests (:meth:`FakeGemini.fail_next` for 401/403/429/5xx,
  :meth:`FakeGemini.delay_next` for slow answers, :meth:`FakeGemini.malformed_next` for a
  model answer that is not the JSON asked for);
* records every request with the key it used (:attr:`FakeGemini.requests`,
  :meth:`FakeGemini.served_by_key`).

The model's answer comes from a responder (:meth:`FakeGemini.respond_with`): a function of
the prompt text returning the JSON object the model "writes"; by default a summary and tips
that name the first dish listed in the prompt's ``Не пробовали:`` line.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from infra.local.fakes.http import FakeHTTPServer

__all__ = ["DEFAULT_MODEL", "FakeGemini", "RecordedRequest", "default_advice"]

type JSONDict = dict[str, Any]
type Responder = Callable[[str], JSONDict]

DEFAULT_MODEL = "gemini-2.5-flash"
_PATH = re.compile(r"^/(v1|v1beta|v1alpha)/models/([^/:]+):generateContent$")

_ERRORS: dict[int, tuple[str, str]] = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: (
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, "
        "login cookie or other valid authentication credential.",
    ),
    403: ("PERMISSION_DENIED", "Permission denied: Consumer has been suspended."),
    404: ("NOT_FOUND", "models/unknown is not found for API version v1beta."),
    429: (
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
    ),
    500: (
        "INTERNAL",
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting",
    ),
    503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
}


def google_error(
    code: int, message: str | None = None, details: list[JSONDict] | None = None
) -> JSONDict:
    status, default_message = _ERRORS.get(code, ("UNKNOWN", "Unknown error."))
    error: JSONDict = {"code": code, "message": message or default_message, "status": status}
    if details:
        error["details"] = details
    return {"error": error}


def quota_exceeded(quota_id: str, model: str, limit: int, retry_delay_s: float) -> JSONDict:
    """Google's 429 body: which quota was exceeded and when to come back."""
    return google_error(
        429,
        f"You exceeded your current quota, please check your plan and billing details. "
        f"Quota exceeded for metric: generativelanguage.googleapis.com/"
        f"generate_content_free_tier_requests, limit: {limit}, model: {model}. "
        f"Please retry in {retry_delay_s:.1f}s.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": "generativelanguage.googleapis.com/"
                        "generate_content_free_tier_requests",
                        "quotaId": quota_id,
                        "quotaDimensions": {"location": "global", "model": model},
                        "quotaValue": str(limit),
                    }
                ],
            },
            {
                "@type": "type.googleapis.com/google.rpc.RetryInfo",
                "retryDelay": f"{retry_delay_s:g}s",
            },
        ],
    )


def invalid_api_key() -> JSONDict:
    return google_error(
        400,
        "API key not valid. Please pass a valid API key.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": {"service": "generativelanguage.googleapis.com"},
            }
        ],
    )


def default_advice(prompt: str) -> JSONDict:
    """A plausible model answer that names a dish the prompt offers (if any)."""
    untried = re.search(r"Не пробовали:\s*(.+)", prompt)
    dish = "салат"
    if untried:
        first = untried.group(1).split(";")[0].strip()
        dish = re.sub(r"\s*\(.*?\)\s*$", "", first) or dish
    return {
        "summary": "Вы чаще всего берёте горячее и редко — овощи.",
        "tips": [
            f"Попробуйте {dish} — он есть в меню вашего кафе.",
            "Добавляйте салат к обеду хотя бы через день.",
        ],
    }


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, with the key it used and what it answered.

    `at`: when it arrived and was counted (``time.monotonic()``).
    """

    key: str | None
    model: str
    body: JSONDict
    status: int
    at: float

    @property
    def prompt(self) -> str:
        parts = [
            part.get("text", "")
            for content in self.body.get("contents", [])
            for part in content.get("parts", [])
        ]
        return "\n".join(parts)

    @property
    def generation_config(self) -> JSONDict:
        config: JSONDict = self.body.get("generationConfig", {})
        return config


@dataclass
class _Scripted:
    status: int | None = None  # an error to answer, or None for a normal answer
    delay: float = 0.0
    malformed: bool = False
    key: str | None = None  # only for requests with this key


@dataclass
class _KeyState:
    served_today: int = 0
    window: deque[float] = field(default_factory=deque)


class FakeGemini:
    """A Gemini ``generateContent`` endpoint on ``127.0.0.1`` (see the module docstring)."""

    def __init__(
        self,
        keys: list[str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        model: str = DEFAULT_MODEL,
    ) -> None:
        # None: any key is accepted; else only these (others get API_KEY_INVALID).
        self.keys: set[str] | None = set(keys) if keys is not None else None
        self.host = host
        self.model = model
        self._requested_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._scripted: list[_Scripted] = []
        self._revoked: dict[str, int] = {}
        self._states: dict[str, _KeyState] = {}
        self._daily_quota: int | None = None
        self._per_second: int | None = None
        self._transit: float = 0.0
        self._responder: Responder = default_advice
        self.requests: list[RecordedRequest] = []
        self.server_errors: list[BaseException] = []

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-gemini:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeGemini is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to pass as google-genai's ``HttpOptions(base_url=...)``."""
        return f"http://{self.host}:{self.port}/"

    # ---------------------------------------------------------------- behaviour

    def respond_with(self, responder: Responder) -> None:
        """Make the model answer ``responder(prompt)`` (a JSON object) from now on."""
        self._responder = responder

    def fail_next(self, status: int, *, times: int = 1, key: str | None = None) -> None:
        """Answer the next ``times`` requests (with ``key``, if given) with a Google error."""
        with self._lock:
            self._scripted.extend(_Scripted(status=status, key=key) for _ in range(times))

    def delay_next(self, seconds: float, *, times: int = 1, key: str | None = None) -> None:
        """Answer the next ``times`` requests only after ``seconds`` (a slow model)."""
        with self._lock:
            self._scripted.extend(_Scripted(delay=seconds, key=key) for _ in range(times))

    def malformed_next(self, *, times: int = 1, key: str | None = None) -> None:
        """Let the model answer text that is not the JSON asked for, ``times`` times."""
        with self._lock:
            self._scripted.extend(_Scripted(malformed=True, key=key) for _ in range(times))

    def revoke(self, key: str, *, status: int = 403) -> None:
        """From now on ``key`` is refused with ``status`` (401 or 403)."""
        with self._lock:
            self._revoked[key] = status

    def set_daily_quota(self, requests_per_day: int | None) -> None:
        """Each key serves at most this many requests; then 429 (per-day quota)."""
        self._daily_quota = requests_per_day

    def rate_limit(self, requests_per_second: int | None) -> None:
        """Each key serves at most this many requests in any one second; then 429."""
        self._per_second = requests_per_second

    def delay_arrival(self, up_to: float) -> None:
        """Count each request only after a random delay of up to `up_to` s (a slow network).

        Google counts a request against its quotas when it arrives, which may be well after
        the caller sent it, and requests sent in one order may arrive bunched.
        """
        self._transit = up_to

    @property
    def transit(self) -> float:
        """The longest a request travels before it is counted (see `delay_arrival`)."""
        return self._transit

    def new_day(self) -> None:
        """Google's daily quota resets (midnight Pacific time)."""
        with self._lock:
            for state in self._states.values():
                state.served_today = 0

    # ---------------------------------------------------------------- inspection

    def served_by_key(self) -> Counter[str]:
        """How many requests each key got a model answer for (HTTP 200)."""
        with self._lock:
            return Counter(r.key for r in self.requests if r.status == 200 and r.key)

    def statuses(self) -> list[tuple[str | None, int]]:
        with self._lock:
            return [(r.key, r.status) for r in self.requests]

    # ---------------------------------------------------------------- serving

    def _take_scripted(self, key: str | None) -> _Scripted | None:
        for index, scripted in enumerate(self._scripted):
            if scripted.key is None or scripted.key == key:
                return self._scripted.pop(index)
        return None

    def _handle(self, path: str, headers: Any, raw: bytes) -> tuple[int, bytes]:
        url = urlsplit(path)
        match = _PATH.match(url.path)
        if match is None:
            return 404, _dump(google_error(404, f"Unknown path {url.path}"))
        model = match.group(2)
        query_keys = parse_qs(url.query).get("key") or []
        key: str | None = headers.get("x-goog-api-key") or (query_keys[0] if query_keys else None)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        if self._transit:
            self._stopping.wait(random.uniform(0.0, self._transit))
        arrived: list[float] = []
        status, payload, delay = self._decide(key, model, body, arrived)
        with self._lock:
            self.requests.append(RecordedRequest(key, model, body, status, arrived[0]))
        if delay:
            self._stopping.wait(delay)
        return status, _dump(payload)

    def _decide(
        self, key: str | None, model: str, body: JSONDict, arrived: list[float]
    ) -> tuple[int, JSONDict, float]:
        """The answer and its delay; `arrived` gets the instant the request was counted."""
        with self._lock:
            # Taken under the lock, so the instants keep the order the windows see them in.
            arrived.append(time.monotonic())
            if not key:
                return (
                    403,
                    google_error(
                        403, "Method doesn't allow unregistered callers. Please use API Key."
                    ),
                    0.0,
                )
            if self.keys is not None and key not in self.keys:
                return 400, invalid_api_key(), 0.0
            if key in self._revoked:
                return self._revoked[key], google_error(self._revoked[key]), 0.0
            scripted = self._take_scripted(key) or _Scripted()
            if scripted.status is not None:
                return scripted.status, google_error(scripted.status), scripted.delay
            if not body.get("contents"):
                return (
                    400,
                    google_error(
                        400, "* GenerateContentRequest.contents: contents is not specified"
                    ),
                    0.0,
                )
            state = self._states.setdefault(key, _KeyState())
            now = arrived[0]
            if self._per_second is not None:
                while state.window and now - state.window[0] >= 1.0:
                    state.window.popleft()
                if len(state.window) >= self._per_second:
                    wait = max(0.05, 1.0 - (now - state.window[0]))
                    return (
                        429,
                        quota_exceeded(
                            "GenerateRequestsPerSecondPerProjectPerModel",
                            model,
                            self._per_second,
                            wait,
                        ),
                        0.0,
                    )
            if self._daily_quota is not None and state.served_today >= self._daily_quota:
                return (
                    429,
                    quota_exceeded(
                        "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                        model,
                        self._daily_quota,
                        3600.0,
                    ),
                    0.0,
                )
            state.served_today += 1
            if self._per_second is not None:
                state.window.append(now)
            responder = self._responder
        prompt = "\n".join(
            part.get("text", "")
            for content in body["contents"]
            for part in content.get("parts", [])
        )
        text = (
            "Конечно! Вот ваши рекомендации: {summary: "
            if scripted.malformed
            else json.dumps(responder(prompt), ensure_ascii=False)
        )
        answer = {
            "candidates": [
                {
                    "content": {"parts": [{"text": text}], "role": "model"},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": {
                "promptTokenCount": len(prompt) // 4,
                "candidatesTokenCount": len(text) // 4,
                "totalTokenCount": (len(prompt) + len(text)) // 4,
            },
            "modelVersion": model,
            "responseId": uuid.uuid4().hex[:22],
        }
        return 200, answer, scripted.delay


def _dump(payload: JSONDict) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


class _Server(FakeHTTPServer):
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], fake: FakeGemini) -> None:
        self.fake = fake
        super().__init__(address, _Handler, fake._stopping)

    def report_error(self, request: Any, client_address: Any, error: BaseException | None) -> None:
        if error is not None:
            self.fake.server_errors.append(error)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, payload = self.server.fake._handle(self.path, self.headers, raw)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""
