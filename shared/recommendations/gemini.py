"""Advice from Gemini (prompt, structured output, the pool's error rules) and from fixed rules.

How each answer is treated:
    200 with JSON matching `Advice`      the advice
    429 RESOURCE_EXHAUSTED               the key rests (Google's retryDelay; the day when the
                                         per-day quota is gone) and the next key is tried
    401, 403, 400 API_KEY_INVALID        the key is marked invalid and skipped
    5xx, timeout, network error,         retried with exponential backoff, up to
    an answer that is not the JSON       GEMINI_MAX_ATTEMPTS attempts, then GeminiUnavailable
    any other 4xx                        GeminiUnavailable at once (retrying will not help)
    no usable key                        KeysExhausted (after a short wait if a key is resting)

Each attempt goes out at the instant the pool booked for it, and only when the key's window
(requests in flight, or answered less than a window ago) has a place; its answer frees it a
window later.
"""

import asyncio
import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from google import genai
from google.genai import errors, types
from pydantic import ValidationError

from shared.kit.gemini import create_gemini_client
from shared.kit.settings import Settings
from shared.recommendations.errors import GeminiUnavailable
from shared.recommendations.keypool import KeyPool, KeysExhausted, Lease, key_hash
from shared.recommendations.schemas import Advice

logger = logging.getLogger(__name__)


def _network_errors() -> tuple[type[Exception], ...]:
    # google-genai talks through httpx, or through its fork httpx2 when that is installed.
    found: list[type[Exception]] = [httpx.TransportError]
    try:
        import httpx2  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the SDK's extras
        pass
    else:
        found.append(httpx2.TransportError)
    return tuple(found)


# Worth another attempt after a pause: Google's 5xx, timeouts, connection failures.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (errors.ServerError, *_network_errors())


def _retry_delay(error: errors.APIError) -> tuple[float | None, bool]:
    """Google's RetryInfo delay in seconds, and whether the per-day quota is what ran out."""
    body: Any = error.details
    details = body.get("error", {}).get("details", []) if isinstance(body, dict) else []
    delay: float | None = None
    per_day = False
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict):
            continue
        kind = str(detail.get("@type", ""))
        if kind.endswith("RetryInfo"):
            match = re.fullmatch(r"\s*([\d.]+)s\s*", str(detail.get("retryDelay", "")))
            if match:
                delay = float(match.group(1))
        elif kind.endswith("QuotaFailure"):
            per_day = any(
                "PerDay" in str(violation.get("quotaId", ""))
                for violation in detail.get("violations", [])
                if isinstance(violation, dict)
            )
    return delay, per_day


def _refuses_key(error: errors.ClientError) -> bool:
    if error.code in (401, 403):
        return True
    body: Any = error.details
    details = body.get("error", {}).get("details", []) if isinstance(body, dict) else []
    return error.code == 400 and any(
        isinstance(detail, dict) and detail.get("reason") == "API_KEY_INVALID" for detail in details
    )


@dataclass
class GeminiAdvisor:
    """Asks Gemini for advice, one key from the pool per attempt."""

    pool: KeyPool
    settings: Settings
    # Waiting for a key that rests after a 429 is worth it only if it is back soon.
    max_rest_wait: float = 15.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    # One client per key, made on first use (about half a second each: TLS setup) and kept.
    clients: dict[str, genai.Client] = field(default_factory=dict, repr=False)

    def client_for(self, api_key: str) -> genai.Client:
        hashed = key_hash(api_key)
        client = self.clients.get(hashed)
        if client is None:
            client = self.clients[hashed] = create_gemini_client(self.settings, api_key)
        return client

    async def advise(self, prompt: str) -> Advice:
        """The model's summary and tips for `prompt`, validated against `Advice`."""
        failures = 0
        rested = 0.0
        rate_limited = 0
        while True:
            try:
                lease = await self.pool.acquire(max_wait=self.max_rest_wait - rested)
            except KeysExhausted as exhausted:
                wait = exhausted.retry_after
                if wait is None or rested + wait > self.max_rest_wait:
                    raise
                rested += wait
                await self.sleep(wait)
                continue
            if lease.wait > 0:
                # The key's rate window has room only at the booked instant: go out then.
                rested += lease.wait
                await self.sleep(lease.wait)
            while (full := await self.pool.clear_to_send(lease)) > 0:
                # The key's window is full of requests in flight or answered less than a window
                # ago (Google may count any of them as late as its answer): go when one frees.
                rested += full
                await self.sleep(full)
            try:
                response = await self._send(lease, prompt)
            except errors.ClientError as error:
                if error.code == 429:
                    rate_limited += 1
                    delay, per_day = _retry_delay(error)
                    await self.pool.rate_limited(
                        lease,
                        retry_after=delay or self.settings.gemini_rate_limit_cooldown_seconds,
                        per_day=per_day,
                    )
                    if rate_limited > 3 * self.pool.size + 10:
                        raise GeminiUnavailable(
                            "Gemini перегружен: попробуйте позже",
                            en="Gemini keeps answering 429: try again later",
                        ) from error
                    continue
                if _refuses_key(error):
                    await self.pool.invalid(lease, f"{error.code} {error.status}")
                    continue
                raise GeminiUnavailable(
                    f"Gemini отказал в запросе: {error.code} {error.status}",
                    en=f"Gemini refused the request: {error.code} {error.status}",
                ) from error
            except TRANSIENT_ERRORS as error:
                failures += 1
                await self._back_off(failures, lease, repr(error)[:200], error)
                continue
            try:
                return Advice.model_validate_json(response.text or "")
            except ValidationError as error:
                failures += 1
                await self._back_off(failures, lease, "answer is not the JSON asked for", error)

    async def _send(self, lease: Lease, prompt: str) -> types.GenerateContentResponse:
        """One request; any answer (an error status too) tells the pool when it came back.

        No answer at all (a timeout, a network error): the request keeps its place as in
        flight, since Google may still count it.
        """
        try:
            response = await self.client_for(lease.api_key).aio.models.generate_content(
                model=self.settings.gemini_model,
                contents=prompt,
                config=types.GenerateContentConfig(
                    response_mime_type="application/json",
                    response_schema=Advice,
                    temperature=0.4,
                ),
            )
        except errors.APIError:
            await self.pool.answered(lease)
            raise
        await self.pool.answered(lease)
        return response

    async def _back_off(self, failures: int, lease: Lease, why: str, error: Exception) -> None:
        if failures >= self.settings.gemini_max_attempts:
            logger.error("Gemini failed; giving up", extra={"key": lease.key_hash, "why": why})
            raise GeminiUnavailable(
                "Gemini не отвечает: попробуйте позже",
                en=f"Gemini failed {failures} times; last: {why}",
                attempts=failures,
            ) from error
        delay = self.settings.gemini_backoff_seconds * 2 ** (failures - 1)
        delay *= random.uniform(1.0, 1.5)  # jitter, so consumers do not retry in step
        logger.warning(
            "Gemini failed; backing off",
            extra={"key": lease.key_hash, "why": why, "attempt": failures, "delay": delay},
        )
        await self.sleep(delay)
