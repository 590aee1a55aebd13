"""The pool of Gemini API keys: per-key daily counters in Redis, shared by every consumer.

Taking a key and counting the request is one Lua script, so any number of consumers running at
once never push a key past `GEMINI_MAX_REQUESTS_PER_KEY`. Counters belong to Google's quota day
(midnight to midnight, Pacific time): a counter stamped with another day counts as zero, and it
expires at the next reset anyway. Keys appear in Redis and in logs only as a short hash.

Redis keys:
    gemini:current_key           hash of the key in use; rotation moves it on
    gemini:usage:key:{hash}      HASH {day, count}: requests sent with that key on that quota day
    gemini:invalid:{hash}        the key answered 401/403 (or API_KEY_INVALID): skipped until reset
    gemini:cooldown:{hash}       the key answered 429: skipped until this expires
    gemini:rotation_log          newest first, capped: "<at> <from>-><to> <reason>"
    gemini:rate:{hash}           the earliest instant (ms, Redis' clock) the key may send again
    gemini:sent:{hash}           ZSET lease id -> ms until which the request fills the key's
                                 window: in flight, or answered less than a window ago

Google also limits each project's requests per minute (the fake Gemini: per second), counted
when a request arrives. Pacing works in two steps:

1. Booking (in the same script as the daily count): an instant on the key free the longest
   (keys take turns, so each stays below its rate until the pool is full), spaced evenly from
   the key's previous one (the window plus a margin, divided by the limit), never in bursts.
   This spreads the work; by itself it guarantees nothing, since a request may reach Google
   any time after its instant.
2. The guarantee, just before the request leaves (`clear_to_send`): the key's requests in
   flight and those answered less than a window ago fill its window; the request goes only if
   there is a place, and holds it until a window after its answer. Arrival at Google lies
   between the two, so no window at Google holds more than the limit however late requests
   travel. This is the strictest reading of "requests per minute" (a sliding window at
   arrival); a fixed per-minute window or a token bucket of the same size is met with it too.
   The price: a place is busy a window plus the answer's time, so a key sends at most
   limit / (window + answer time), i.e. `1 - answer time / window` of its nominal rate.
"""

import hashlib
import logging
import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from shared.kit.clock import Clock
from shared.kit.errors import DomainError
from shared.kit.settings import Settings

logger = logging.getLogger(__name__)

# Google resets the Gemini API's daily quotas at midnight Pacific time.
QUOTA_TIMEZONE = ZoneInfo("America/Los_Angeles")
CURRENT_KEY = "gemini:current_key"
ROTATION_LOG = "gemini:rotation_log"
ROTATION_LOG_SIZE = 500

RotationReason = Literal["limit", "rate_limited", "invalid", "not_configured"]


def key_hash(api_key: str) -> str:
    """A short, stable name for a key: what logs and Redis show instead of the key."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:12]


def usage_key(hashed: str) -> str:
    return f"gemini:usage:key:{hashed}"


def invalid_key(hashed: str) -> str:
    return f"gemini:invalid:{hashed}"


def cooldown_key(hashed: str) -> str:
    return f"gemini:cooldown:{hashed}"


def quota_day(now: datetime) -> date:
    """The day of Google's quota that `now` falls in."""
    return now.astimezone(QUOTA_TIMEZONE).date()


def next_quota_reset(now: datetime) -> datetime:
    """The next midnight in Pacific time, when Google resets the daily quota."""
    tomorrow = quota_day(now) + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=QUOTA_TIMEZONE)


def seconds_until_reset(now: datetime) -> int:
    """A relative expiry (so Redis's own clock does not matter), at least one second."""
    return max(1, math.ceil((next_quota_reset(now) - now).total_seconds()))


class KeysExhausted(DomainError):
    """Every key is spent for the day, resting after a 429, or invalid: try again later."""

    status_code: ClassVar[int] = 503
    code: ClassVar[str] = "gemini_keys_exhausted"

    def __init__(self, message: str, *, en: str, retry_after: float | None) -> None:
        super().__init__(message, en=en, retry_after=retry_after)
        # Seconds until a resting key is usable again; None: nothing before the daily reset.
        self.retry_after = retry_after


def rate_key(hashed: str) -> str:
    return f"gemini:rate:{hashed}"


def sent_key(hashed: str) -> str:
    return f"gemini:sent:{hashed}"


@dataclass(frozen=True)
class KeyRate:
    """At most `limit` requests per key in any `seconds`, as Google counts them on arrival.

    `margin` widens the spacing of booked instants (the time a request takes to be answered,
    during which its place stays taken); `in_flight_for`: how long a request whose answer
    never came (a timeout, a process that died) keeps its place before a window more.
    """

    limit: int
    seconds: float
    margin: float = 0.05
    in_flight_for: float = 60.0

    @property
    def interval_ms(self) -> float:
        """The spacing between two instants booked on one key."""
        return (self.seconds + self.margin) * 1000 / self.limit


@dataclass(frozen=True)
class Lease:
    """One request's right to use a key; `count` is the key's requests today including this one.

    `wait`: seconds until the instant booked for it on the key (0: send now); `at`: that
    instant, in seconds since the epoch by Redis' clock (what every consumer agrees on).
    """

    api_key: str = field(repr=False)
    key_hash: str
    count: int
    wait: float = 0.0
    at: float = 0.0
    id: str = ""


@dataclass(frozen=True)
class KeyUsage:
    key_hash: str
    count: int
    invalid: bool
    cooling_down_for: float  # seconds; 0 when the key is not resting


# KEYS: current, rotation log, usage x n, invalid x n, cooldown x n, rate x n, lease. ARGV: limit,
# quota day, seconds until the reset, now, rotation log size, pacing on (1/0), spacing ms,
# longest wait ms for a booked instant, key hashes x n.
# The lease key makes the script idempotent: redis-py resends a command after a read timeout,
# and a request counted twice would break the pool's arithmetic.
# Walk the keys from the current one, skipping those invalid, resting or spent for the day. Take
# the one free the longest (paced) or the first (unpaced), book the instant it is free (if that
# is soon enough) and move its next free instant one spacing on. Count the request on it; move
# `gemini:current_key` (and log why) only when the current one was not usable. Returns
# {index, count, rotated_from, reason, wait_ms, at_ms}, or
# {0, min_wait_ms} when no key is usable in time (-1: nothing before the daily reset).
_ACQUIRE = """
local n = (#KEYS - 3) / 4
local lease = KEYS[#KEYS]
local done = redis.call('GET', lease)
if done then return cjson.decode(done) end
local limit = tonumber(ARGV[1])
local day = ARGV[2]
local paced = ARGV[6] == '1'
local spacing = tonumber(ARGV[7])
local max_wait = tonumber(ARGV[8])
local hashes = 8
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = redis.call('GET', KEYS[1])
local start = 1
local skipped = 'not_configured'
if current then
  for i = 1, n do
    if ARGV[hashes + i] == current then start = i; skipped = nil; break end
  end
else
  skipped = nil
end
local min_wait = -1
local function note_wait(wait)
  if min_wait < 0 or wait < min_wait then min_wait = wait end
end
-- The instant (ms) the key is free from: one spacing after its last booking (0: never booked).
local function free_from(i)
  if not paced then return 0 end
  return tonumber(redis.call('GET', KEYS[2 + 3 * n + i]) or '0')
end
local chosen, chosen_from, chosen_count = nil, nil, 0
for step = 0, n - 1 do
  local i = ((start - 1 + step) % n) + 1
  local reason = nil
  local count = 0
  if redis.call('EXISTS', KEYS[2 + n + i]) == 1 then
    reason = 'invalid'
  else
    local wait = redis.call('PTTL', KEYS[2 + 2 * n + i])
    if wait > 0 then
      reason = 'rate_limited'
      note_wait(wait)
    else
      local stored = redis.call('HMGET', KEYS[2 + i], 'day', 'count')
      if stored[1] == day then count = tonumber(stored[2]) or 0 end
      if count >= limit then reason = 'limit' end
    end
  end
  if reason == nil then
    -- Paced: the key free the longest (so keys take turns and each stays below its rate while
    -- the pool is not full); unpaced: all tie, and the walk order keeps the current key.
    local from = free_from(i)
    if chosen == nil or from < chosen_from then
      chosen, chosen_from, chosen_count = i, from, count
    end
  end
  if step == 0 and skipped == nil then skipped = reason or 'usable' end
end
if chosen == nil then return {0, math.ceil(min_wait), '', '', 0, ''} end
local chosen_at = math.max(now_ms, chosen_from)
if chosen_at - now_ms > max_wait then
  note_wait(chosen_at - now_ms)
  return {0, math.ceil(min_wait), '', '', 0, ''}
end
local i = chosen
local count = chosen_count + 1
redis.call('HSET', KEYS[2 + i], 'day', day, 'count', count)
redis.call('EXPIRE', KEYS[2 + i], ARGV[3])
if paced then
  local next_at = chosen_at + spacing
  redis.call('SET', KEYS[2 + 3 * n + i], string.format('%.3f', next_at),
    'PX', math.ceil(next_at - now_ms) + 1000)
end
local rotated_from = ''
if ARGV[hashes + i] ~= current and (not current or skipped ~= 'usable') then
  redis.call('SET', KEYS[1], ARGV[hashes + i])
  if current then
    rotated_from = current
    local entry = ARGV[4] .. ' ' .. current .. '->' .. ARGV[hashes + i] .. ' ' .. skipped
    redis.call('LPUSH', KEYS[2], entry)
    redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
  end
end
if skipped == 'usable' then skipped = nil end
local result = {i, count, rotated_from, skipped or '', math.ceil(chosen_at - now_ms),
  string.format('%.3f', chosen_at)}
redis.call('SET', lease, cjson.encode(result), 'EX', 300)
return result
"""

# KEYS: the key's window of requests sent, a ZSET of lease id -> the instant (ms) it stops
# counting. ARGV: limit, window ms, lease id, how long (ms) a request never answered counts.
# Just before a request goes out. Google counts a request when it arrives, at some moment
# between the send and the answer that we cannot see; so a request counts from its stamp here
# (taken before it leaves) until a window after its answer came back (`_ANSWERED`), and while
# no answer has come it counts as in flight. Then any `limit` + 1 requests that arrive within
# one window include one stamped after every other was in flight or answered less than a
# window before: the last one stamped would have found `limit` in the set and waited, however
# late any of them travelled. If there is room, stamp this one and answer 0; else answer the
# ms until a place can be free at the soonest (an in-flight request frees its place no sooner
# than a window from now).
_CLEAR_TO_SEND = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local hold = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 0 end
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local frees = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return math.max(1, math.ceil(math.min(tonumber(frees[2]), now + window) - now))
end
redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
return 0
"""

# KEYS: the key's window of requests sent. ARGV: lease id, window ms, ms since the answer came.
# The answer (any status) came back: Google counted the request by then, so it counts for one
# window from that moment, and no longer for as long as a request never answered.
_ANSWERED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local until_ms = now - tonumber(ARGV[3]) + window
redis.call('ZADD', KEYS[1], until_ms, ARGV[1])
if redis.call('PTTL', KEYS[1]) < until_ms - now then
  redis.call('PEXPIRE', KEYS[1], math.ceil(until_ms - now) + 1)
end
return 0
"""

# A request Google refused with 429 did not use the quota: give it back (same day only).
_REFUND = """
local stored = redis.call('HMGET', KEYS[1], 'day', 'count')
if stored[1] == ARGV[1] and (tonumber(stored[2]) or 0) > 0 then
  return redis.call('HINCRBY', KEYS[1], 'count', -1)
end
return -1
"""


class KeyPool:
    """Hands out Gemini API keys so that no key serves more than its daily limit."""

    def __init__(
        self,
        redis: Redis,
        api_keys: list[str],
        *,
        max_requests_per_key: int,
        clock: Clock,
        rate: KeyRate | None = None,
    ) -> None:
        if max_requests_per_key < 1:
            raise ValueError("GEMINI_MAX_REQUESTS_PER_KEY must be at least 1")
        unique = list(dict.fromkeys(key for key in api_keys if key))
        self._keys = unique
        self._hashes = [key_hash(key) for key in unique]
        self._limit = max_requests_per_key
        self._rate = rate
        self._clock = clock
        self._redis = redis
        self._acquire = redis.register_script(_ACQUIRE)
        self._refund = redis.register_script(_REFUND)
        self._clear_to_send = redis.register_script(_CLEAR_TO_SEND)
        self._answered = redis.register_script(_ANSWERED)

    @property
    def size(self) -> int:
        return len(self._keys)

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def key_hashes(self) -> list[str]:
        return list(self._hashes)

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings, clock: Clock) -> "KeyPool":
        """The pool with the configured keys, daily limit and per-key rate."""
        rate = (
            KeyRate(
                settings.gemini_key_rate_limit,
                settings.gemini_key_rate_window_seconds,
                settings.gemini_key_rate_margin_seconds,
                # The SDK's timeout applies to each read, so an answer may take longer.
                in_flight_for=2 * settings.gemini_timeout_seconds,
            )
            if settings.gemini_key_rate_limit > 0
            else None
        )
        return cls(
            redis,
            [key.get_secret_value() for key in settings.gemini_api_keys],
            max_requests_per_key=settings.gemini_max_requests_per_key,
            clock=clock,
            rate=rate,
        )

    async def acquire(self, *, max_wait: float = 0.0) -> Lease:
        """Take a usable key, count one request and book its instant, atomically; rotate if needed.

        When no key's rate window has room now, the earliest instant within `max_wait` seconds
        is booked and `Lease.wait` says how long to wait for it.
        """
        if not self._keys:
            raise KeysExhausted(
                "Ключи Gemini не настроены",
                en="No Gemini API keys are configured",
                retry_after=None,
            )
        now = self._clock.now()
        lease_id = uuid.uuid4().hex
        keys = [
            CURRENT_KEY,
            ROTATION_LOG,
            *(usage_key(h) for h in self._hashes),
            *(invalid_key(h) for h in self._hashes),
            *(cooldown_key(h) for h in self._hashes),
            *(rate_key(h) for h in self._hashes),
            f"gemini:lease:{lease_id}",
        ]
        args: list[Any] = [
            self._limit,
            quota_day(now).isoformat(),
            seconds_until_reset(now),
            now.isoformat(timespec="seconds"),
            ROTATION_LOG_SIZE,
            1 if self._rate else 0,
            self._rate.interval_ms if self._rate else 0,
            max(0, round(max_wait * 1000)),
            *self._hashes,
        ]
        index, count, rotated_from, reason, wait_ms, at_ms = await self._acquire(
            keys=keys, args=args
        )
        if int(index) == 0:
            wait_ms = int(count)
            retry_after = wait_ms / 1000 if wait_ms >= 0 else None
            logger.warning(
                "no Gemini key is usable in time",
                extra={"keys": self.size, "retry_after": retry_after},
            )
            raise KeysExhausted(
                "Лимит запросов к Gemini на сегодня исчерпан: попробуйте позже",
                en="Every Gemini API key is spent for today, resting after a 429, invalid or busy",
                retry_after=retry_after,
            )
        position = int(index) - 1
        lease = Lease(
            self._keys[position],
            self._hashes[position],
            int(count),
            wait=int(wait_ms) / 1000,
            at=float(at_ms) / 1000,
            id=lease_id,
        )
        if rotated_from:
            logger.info(
                "Gemini key rotated",
                extra={"from": rotated_from, "to": lease.key_hash, "reason": reason},
            )
        logger.debug("Gemini key taken", extra={"key": lease.key_hash, "count": lease.count})
        return lease

    async def clear_to_send(self, lease: Lease) -> float:
        """Stamp the request as in flight now and answer 0, or answer the seconds to wait first.

        Called at the booked instant, just before the request leaves: the key's requests in
        flight and those answered less than a window ago fill its window (see `_CLEAR_TO_SEND`),
        so however late a request reaches Google, no window there holds more than the limit.
        """
        if self._rate is None:
            return 0.0
        window_ms = round(self._rate.seconds * 1000)
        hold_ms = round((self._rate.in_flight_for + self._rate.seconds) * 1000)
        wait_ms = await self._clear_to_send(
            keys=[sent_key(lease.key_hash)],
            args=[self._rate.limit, window_ms, lease.id, hold_ms],
        )
        return int(wait_ms) / 1000

    async def answered(self, lease: Lease, *, ago: float = 0.0) -> None:
        """Google answered the request `ago` seconds ago: it counts for one window from then."""
        if self._rate is None:
            return
        await self._answered(
            keys=[sent_key(lease.key_hash)],
            args=[lease.id, round(self._rate.seconds * 1000), max(0, round(ago * 1000))],
        )

    async def rate_limited(self, lease: Lease, *, retry_after: float, per_day: bool) -> None:
        """The key answered 429: rest it (until the reset when the daily quota is gone)."""
        now = self._clock.now()
        if per_day:
            # Google says the day's quota is used up, whatever our counter thinks.
            await self._redis.hset(
                usage_key(lease.key_hash),
                mapping={"day": quota_day(now).isoformat(), "count": self._limit},
            )
            await self._redis.expire(usage_key(lease.key_hash), seconds_until_reset(now))
        else:
            await self._refund(keys=[usage_key(lease.key_hash)], args=[quota_day(now).isoformat()])
            await self._redis.set(
                cooldown_key(lease.key_hash), "429", px=max(1, int(retry_after * 1000))
            )
        logger.warning(
            "Gemini key rate limited",
            extra={
                "key": lease.key_hash,
                "count": lease.count,
                "retry_after": retry_after,
                "per_day": per_day,
            },
        )

    async def invalid(self, lease: Lease, reason: str) -> None:
        """The key was refused (401/403/API_KEY_INVALID): skip it until the daily reset."""
        await self._redis.set(
            invalid_key(lease.key_hash), reason[:200], ex=seconds_until_reset(self._clock.now())
        )
        logger.error(
            "Gemini key refused; skipping it", extra={"key": lease.key_hash, "why": reason}
        )

    async def usage(self) -> list[KeyUsage]:
        """Each key's state now, in configuration order (for monitoring and tests)."""
        day = quota_day(self._clock.now()).isoformat()
        result = []
        for hashed in self._hashes:
            stored_day, stored_count = await self._redis.hmget(usage_key(hashed), ["day", "count"])
            count = int(stored_count) if _text(stored_day) == day and stored_count else 0
            invalid = bool(await self._redis.exists(invalid_key(hashed)))
            wait_ms = int(await self._redis.pttl(cooldown_key(hashed)))
            result.append(KeyUsage(hashed, count, invalid, max(wait_ms, 0) / 1000))
        return result

    async def current_key_hash(self) -> str | None:
        return _text(await self._redis.get(CURRENT_KEY))

    async def rotation_log(self) -> list[str]:
        """The latest rotations, newest first."""
        return [_text(entry) or "" for entry in await self._redis.lrange(ROTATION_LOG, 0, -1)]


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value
