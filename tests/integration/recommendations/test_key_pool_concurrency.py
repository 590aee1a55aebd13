"""Many consumers at once against a small pool: no key ever serves more than its limit."""

import asyncio
from collections import Counter

from redis.asyncio import Redis

from shared.kit.clock import FixedClock
from shared.kit.gemini import create_gemini_client
from shared.kit.settings import Settings
from shared.recommendations.gemini import GeminiAdvisor
from shared.recommendations.keypool import KeyPool, KeysExhausted, key_hash
from tests.fakes.gemini import FakeGemini
from tests.integration.recommendations.conftest import KEY_A, KEY_B, KEY_C

PROMPT = "- Не пробовали: Уха (супы)\n"
CONSUMERS = 80
LIMIT = 15


async def test_concurrent_consumers_never_push_a_key_past_its_limit(
    redis: Redis,
    pool_redis_url: str,
    fake_gemini: FakeGemini,
    gemini_settings: Settings,
    clock: FixedClock,
) -> None:
    # Given a pool of three keys with 15 requests a day each (45 in all), one of which will
    # answer a few 429s, and 80 consumers, each with its own connection and pool object
    keys = [KEY_A, KEY_B, KEY_C]
    # (a timeout would make Gemini's and the consumer's view of an answer differ)
    settings = gemini_settings.model_copy(update={"gemini_timeout_seconds": 30.0})
    fake_gemini.fail_next(429, times=3, key=KEY_B)
    fake_gemini.delay_next(0.05, times=CONSUMERS)  # let the requests overlap

    # (the SDK's clients take half a second each to make: made once, as a container keeps them)
    gemini_clients = {key_hash(key): create_gemini_client(settings, key) for key in keys}

    async def consumer() -> str:
        client = Redis.from_url(pool_redis_url, decode_responses=True)
        try:
            pool = KeyPool(client, keys, max_requests_per_key=LIMIT, clock=clock)
            await GeminiAdvisor(pool, settings, clients=gemini_clients).advise(PROMPT)
            return "advised"
        except KeysExhausted:
            return "postponed"
        finally:
            await client.aclose()

    # When they all ask at once
    outcomes = Counter(await asyncio.gather(*(consumer() for _ in range(CONSUMERS))))

    # Then no key answered more requests than its limit
    served = fake_gemini.served_by_key()
    assert all(count <= LIMIT for count in served.values()), served
    # and the counts add up exactly: Redis counted what Gemini served, one answer per advice
    pool = KeyPool(redis, keys, max_requests_per_key=LIMIT, clock=clock)
    counted = {usage.key_hash: usage.count for usage in await pool.usage()}
    assert counted == {key_hash(key): served[key] for key in keys}
    assert outcomes["advised"] == sum(served.values())
    assert outcomes["advised"] + outcomes["postponed"] == CONSUMERS
    # the keys that never answered 429 were used to the last request
    assert served[KEY_A] == LIMIT
    assert served[KEY_C] == LIMIT
    rate_limited = sum(1 for key, status in fake_gemini.statuses() if status == 429)
    assert rate_limited == 3
