"""Telegram's send limits, shared by every process through Redis.

Telegram allows a bot about 30 messages a second overall, one a second to a chat and 20 a
minute to a group. Several consumer Lambdas send at once, so the budget lives in Redis: one
Lua script checks the three sliding windows and takes a slot in all of them atomically, or
answers how long to wait. Redis' own clock is used, so the Lambdas' clocks never disagree.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.kit.settings import Settings

# Sliding-window logs (sorted sets of grant times in ms). Every key carries the `{ratelimit}` hash
# tag so that one script may touch them all in a Redis Cluster too.
KEY_PREFIX = "telegram:{ratelimit}"

_TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1]
local longest = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[i * 2])
  local window = tonumber(ARGV[i * 2 + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local wait = tonumber(oldest[2]) + window - now
    if wait > longest then longest = wait end
  end
end
-- An optional least gap between two grants in the first window spreads its slots over the
-- window instead of handing them all out in one instant.
local gap = tonumber(ARGV[#KEYS * 2 + 2] or '0')
if gap > 0 then
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if newest[2] then
    local wait = tonumber(newest[2]) + gap - now
    if wait > longest then longest = wait end
  end
end
if longest > 0 then return longest end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, member)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[i * 2 + 1]))
end
return 0
"""


# The same windows, but a slot counts from when its send is *answered*, not when it is granted:
# granted, it is held (scored `hold` ms ahead, so it cannot slide out) until `_SETTLE` stamps it
# with Redis' clock once Telegram has answered. Telegram counted the message when it arrived,
# which was before the answer, and the next one granted arrives after its grant: so a window
# measured from answers can never hold more than Telegram's, however late requests travel.
_TAKE_HELD_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1]
local hold = tonumber(ARGV[2])
local longest = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[i * 2 + 1])
  local window = tonumber(ARGV[i * 2 + 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    -- a slot still held is answered at the earliest now: free a window from now at the earliest
    local at = math.min(tonumber(oldest[2]), now)
    local wait = at + window - now
    if wait > longest then longest = wait end
  end
end
if longest > 0 then return longest end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + hold, member)
  redis.call('PEXPIRE', KEYS[i], hold + tonumber(ARGV[i * 2 + 2]))
end
return 0
"""

_SETTLE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #KEYS do
  local held = redis.call('ZSCORE', KEYS[i], ARGV[1])
  if held and tonumber(held) > now then redis.call('ZADD', KEYS[i], now, ARGV[1]) end
end
return 0
"""


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float


class TelegramRateLimiter:
    """Takes a send slot for a chat, or says how long to wait for one.

    `sending` is what senders use: the slot is held while the request travels and counts from
    Telegram's answer (see `_TAKE_HELD_SLOT`), so no margin for travel time is needed and a
    request that left late cannot crowd the next window; `settle_margin` only covers Redis'
    clock rounding to milliseconds. A slot whose sender died is freed `hold` seconds on.

    `try_acquire`/`acquire` count a slot from its grant instead. `margin` widens every window a
    little for that: a slot is taken when the request leaves, Telegram counts it when it
    arrives, and two requests may travel at different speeds. With `spread`, overall slots are
    at least half a slot's share of the window apart: thirty granted in one instant leave one
    by one on a busy machine and reach Telegram spread out (measured: 13 answers 429 in 500
    sends with bursts, 3 with the spread, none with slots counted from the answer).
    """

    def __init__(
        self,
        redis: Redis,
        *,
        per_second: int,
        per_chat_per_second: int,
        per_group_per_minute: int,
        margin: float = 0.05,
        spread: bool = False,
        settle_margin: float = 0.002,
        hold: float = 15.0,
    ) -> None:
        self._redis = redis
        self._script = redis.register_script(_TAKE_SLOT)
        self._take_held = redis.register_script(_TAKE_HELD_SLOT)
        self._settle = redis.register_script(_SETTLE)
        self._overall = Window(per_second, 1.0 + margin)
        self._chat = Window(per_chat_per_second, 1.0 + margin)
        self._group = Window(per_group_per_minute, 60.0 + margin)
        self._held = (
            Window(per_second, 1.0 + settle_margin),
            Window(per_chat_per_second, 1.0 + settle_margin),
            Window(per_group_per_minute, 60.0 + settle_margin),
        )
        # (the connect and read timeouts of the bot's requests: by then it arrived or failed)
        self._hold_ms = round(hold * 1000)
        self._gap_ms = round(self._overall.seconds * 1000 / per_second / 2) if spread else 0

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> "TelegramRateLimiter":
        return cls(
            redis,
            per_second=settings.telegram_messages_per_second,
            per_chat_per_second=settings.telegram_messages_per_chat_per_second,
            per_group_per_minute=settings.telegram_messages_per_group_per_minute,
            spread=True,
        )

    @staticmethod
    def _keys(chat_id: int) -> list[str]:
        keys = [f"{KEY_PREFIX}:all", f"{KEY_PREFIX}:chat:{chat_id}"]
        if chat_id < 0:  # groups, supergroups and channels have negative ids
            keys.append(f"{KEY_PREFIX}:group:{chat_id}")
        return keys

    async def try_acquire(self, chat_id: int) -> float:
        """Take a slot to send to `chat_id` and answer 0, or answer the seconds to wait."""
        keys = self._keys(chat_id)
        windows = [self._overall, self._chat, self._group][: len(keys)]
        args: list[str | int] = [uuid.uuid4().hex]
        for window in windows:
            args += [window.limit, round(window.seconds * 1000)]
        args.append(self._gap_ms)
        wait_ms = await self._script(keys=keys, args=args)
        return int(wait_ms) / 1000

    async def acquire(self, chat_id: int) -> float:
        """Wait until a slot for `chat_id` is free and take it; answer how long that took."""
        waited = 0.0
        while (wait := await self.try_acquire(chat_id)) > 0:
            await asyncio.sleep(wait)
            waited += wait
        return waited

    @asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[float]:
        """Wait for a slot for `chat_id` and hold it while the body sends; yields the wait.

        Leaving the body (answered, refused or failed) settles the slot: it counts from then.
        """
        keys = self._keys(chat_id)
        member = uuid.uuid4().hex
        args: list[str | int] = [member, self._hold_ms]
        for window in self._held[: len(keys)]:
            args += [window.limit, round(window.seconds * 1000)]
        waited = 0.0
        while (wait := int(await self._take_held(keys=keys, args=args)) / 1000) > 0:
            await asyncio.sleep(wait)
            waited += wait
        try:
            yield waited
        finally:
            # A message already accepted must not look failed (its retry would send it twice):
            # a slot that cannot be settled stays held and is freed `hold` seconds on.
            with suppress(RedisError):
                await self._settle(keys=keys, args=[member])


# The API's per-client limits use the same sliding-window script under their own keys.
REQUEST_KEY_PREFIX = "api:{ratelimit}"


class RequestRateLimiter:
    """Per-client request limits for the API (sign-in, public routes), shared through Redis."""

    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(_TAKE_SLOT)

    async def try_acquire(self, key: str, limit: int, seconds: float) -> float:
        """Count a request under `key` and answer 0, or answer the seconds until one is allowed."""
        args: list[str | int] = [uuid.uuid4().hex, limit, round(seconds * 1000)]
        wait_ms = await self._script(keys=[f"{REQUEST_KEY_PREFIX}:{key}"], args=args)
        return int(wait_ms) / 1000
