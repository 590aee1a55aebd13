"""Telegram's send limits, shared by every process through Redis.

Telegram allows a bot about 30 messages a second overall, one a second to a chat and 20 a
minute to a group. Several consumer Lambdas send at once, so the budget lives in Redis: one
Lua script checks the three sliding windows and takes a slot in all of them atomically, or
answers how long to wait. Redis' own clock is used, so the Lambdas' clocks never disagree.
"""

import asyncio
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

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


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float


class TelegramRateLimiter:
    """Takes a send slot for a chat, or says how long to wait for one.

    `margin` widens every window a little: a slot is taken when the request leaves, Telegram
    counts it when it arrives, and two requests may travel at different speeds. With `spread`,
    overall slots are at least half a slot's share of the window apart: thirty granted in one
    instant leave one by one on a busy machine and reach Telegram spread out, so the next
    window's first could arrive while Telegram still counts thirty (measured: 13 answers 429
    in 500 sends with bursts).
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
    ) -> None:
        self._redis = redis
        self._script = redis.register_script(_TAKE_SLOT)
        self._overall = Window(per_second, 1.0 + margin)
        self._chat = Window(per_chat_per_second, 1.0 + margin)
        self._group = Window(per_group_per_minute, 60.0 + margin)
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

    async def try_acquire(self, chat_id: int) -> float:
        """Take a slot to send to `chat_id` and answer 0, or answer the seconds to wait."""
        keys = [f"{KEY_PREFIX}:all", f"{KEY_PREFIX}:chat:{chat_id}"]
        windows = [self._overall, self._chat]
        if chat_id < 0:  # groups, supergroups and channels have negative ids
            keys.append(f"{KEY_PREFIX}:group:{chat_id}")
            windows.append(self._group)
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
