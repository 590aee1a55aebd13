"""The pool paces each key: every request is booked an instant within its key's rate."""

import asyncio
import itertools
from collections import Counter

import pytest
from redis.asyncio import Redis

from shared.kit.clock import FixedClock
from shared.kit.gemini import create_gemini_client
from shared.kit.settings import Settings
from shared.recommendations.gemini import GeminiAdvisor
from shared.recommendations.keypool import KeyPool, KeyRate, KeysExhausted, Lease, key_hash
from tests.fakes.gemini import FakeGemini
from tests.integration.recommendations.conftest import KEY_A, KEY_B, KEY_C

PROMPT = "- Не пробовали: Уха (супы)\n"
PER_SECOND = 5


def most_in_any_window(instants: list[float], seconds: float) -> int:
    ordered = sorted(instants)
    return max(
        (sum(1 for t in ordered if start <= t < start + seconds) for start in ordered), default=0
    )


async def test_concurrent_reservations_never_exceed_a_keys_rate(
    redis: Redis, pool_redis_url: str, clock: FixedClock
) -> None:
    # Given three keys allowed 5 requests in any second, and 10 consumers with their own
    # connections, each taking 9 keys as fast as it can (90 requests: six seconds' worth)
    keys = [KEY_A, KEY_B, KEY_C]
    rate = KeyRate(PER_SECOND, 1.0, margin=0.05)

    async def consumer() -> list[Lease]:
        client = Redis.from_url(pool_redis_url, decode_responses=True)
        try:
            pool = KeyPool(client, keys, max_requests_per_key=195, clock=clock, rate=rate)
            return [await pool.acquire(max_wait=30) for _ in range(9)]
        finally:
            await client.aclose()

    leases = [
        lease for got in await asyncio.gather(*(consumer() for _ in range(10))) for lease in got
    ]

    # Then every request got a key and an instant: the first on each key at once, the others
    # booked later, the last about six seconds on
    assert len(leases) == 90
    assert sum(1 for lease in leases if lease.wait == 0) <= len(keys)
    assert max(lease.wait for lease in leases) >= 29 * 0.21 - 1.0
    # and no key has more than 5 instants in any 1.05 s (the second with its margin), each
    # one a fifth of that apart
    for key in keys:
        booked = sorted(lease.at for lease in leases if lease.key_hash == key_hash(key))
        assert len(booked) == 30
        assert most_in_any_window(booked, 1.05) == PER_SECOND
        assert min(b - a for a, b in itertools.pairwise(booked)) >= 0.21 - 0.001
    # and the daily counts add up
    pool = KeyPool(redis, keys, max_requests_per_key=195, clock=clock, rate=rate)
    assert [usage.count for usage in await pool.usage()] == [30, 30, 30]


async def test_a_booking_too_far_ahead_is_not_made(redis: Redis, clock: FixedClock) -> None:
    # Given one key allowed 2 requests a minute (one every 30 s), two taken
    pool = KeyPool(
        redis, [KEY_A], max_requests_per_key=195, clock=clock, rate=KeyRate(2, 60.0, 0.0)
    )
    first = await pool.acquire()
    second = await pool.acquire(max_wait=60)
    assert first.wait == 0
    assert 29 < second.wait <= 30

    # When a third request may wait at most 15 s
    with pytest.raises(KeysExhausted) as exhausted:
        await pool.acquire(max_wait=15)

    # Then it gets no key, is told to come back in about half a minute, and nothing is counted
    assert exhausted.value.retry_after is not None
    assert 29 < exhausted.value.retry_after <= 60
    assert [usage.count for usage in await pool.usage()] == [2]


async def test_many_concurrent_jobs_meet_no_429_from_a_rate_limited_gemini(
    redis: Redis, fake_gemini: FakeGemini, gemini_settings: Settings, clock: FixedClock
) -> None:
    # Given Gemini serves each key 5 requests in any second, and a pool of two keys that knows it
    fake_gemini.rate_limit(PER_SECOND)
    keys = [KEY_A, KEY_B]
    settings = gemini_settings.model_copy(update={"gemini_timeout_seconds": 30.0})
    clients = {key_hash(key): create_gemini_client(settings, key) for key in keys}
    # (a wide margin: the test may share a busy machine, and Gemini counts on arrival)
    pool = KeyPool(
        redis, keys, max_requests_per_key=195, clock=clock, rate=KeyRate(PER_SECOND, 1.0, 0.3)
    )
    advisor = GeminiAdvisor(pool, settings, clients=clients)

    # When 30 jobs ask at once (three seconds' worth of both keys)
    answers = await asyncio.gather(*(advisor.advise(PROMPT) for _ in range(30)))

    # Then all are answered, none was refused, and both keys shared the work
    assert len(answers) == 30
    assert Counter(status for _, status in fake_gemini.statuses()) == {200: 30}
    served = fake_gemini.served_by_key()
    assert set(served) == {KEY_A, KEY_B}
    assert sum(served.values()) == 30


async def test_a_429_for_the_rate_rests_the_key_and_the_job_still_gets_its_answer(
    redis: Redis, fake_gemini: FakeGemini, gemini_settings: Settings, clock: FixedClock
) -> None:
    # Given key A's project is also used elsewhere, so Gemini refuses it for this second
    # although the pool's window for it is empty
    fake_gemini.rate_limit(PER_SECOND)
    keys = [KEY_A, KEY_B]
    stranger = create_gemini_client(gemini_settings, KEY_A)
    for _ in range(PER_SECOND):
        await stranger.aio.models.generate_content(model=gemini_settings.gemini_model, contents="x")
    pool = KeyPool(
        redis, keys, max_requests_per_key=195, clock=clock, rate=KeyRate(PER_SECOND, 1.0, 0.05)
    )
    advisor = GeminiAdvisor(pool, gemini_settings)

    # When a job asks
    advice = await advisor.advise(PROMPT)

    # Then A's 429 rests A for Google's retry delay, the request goes to B and is answered,
    # and A's refused request does not count against its day
    assert advice.summary
    assert fake_gemini.statuses()[-2:] == [(KEY_A, 429), (KEY_B, 200)]
    usage = await pool.usage()
    assert [(u.count, u.cooling_down_for > 0) for u in usage] == [(0, True), (1, False)]


async def test_requests_in_flight_and_lately_answered_fill_a_keys_window(
    redis: Redis, clock: FixedClock
) -> None:
    # Given one key allowed 5 requests a second, whose first five have just left...
    pool = KeyPool(
        redis, [KEY_A], max_requests_per_key=195, clock=clock, rate=KeyRate(PER_SECOND, 1.0, 0.05)
    )
    leases = [await pool.acquire(max_wait=30) for _ in range(PER_SECOND + 1)]
    assert [await pool.clear_to_send(lease) for lease in leases[:PER_SECOND]] == [0.0] * 5
    # (asking again for a request already stamped does not count it twice)
    assert await pool.clear_to_send(leases[0]) == 0.0

    # When the sixth comes to leave while they are all still in flight
    in_flight = await pool.clear_to_send(leases[PER_SECOND])

    # Then it waits at least a window: Google may count them as late as their answers
    assert 0.9 < in_flight <= 1.0
    # and once they are answered, a window from their answers (the first 0.4 s ago)
    await pool.answered(leases[0], ago=0.4)
    for lease in leases[1:PER_SECOND]:
        await pool.answered(lease)
    answered = await pool.clear_to_send(leases[PER_SECOND])
    assert 0.5 < answered <= 0.6
    await asyncio.sleep(answered)
    assert await pool.clear_to_send(leases[PER_SECOND]) == 0.0


async def test_requests_that_travel_late_never_crowd_a_keys_window_at_gemini(
    redis: Redis, fake_gemini: FakeGemini, gemini_settings: Settings, clock: FixedClock
) -> None:
    # Given Gemini serves each key 3 requests in any second and counts each one only when it
    # arrives, up to 0.3 s after it was sent (a slow, uneven network), and a pool of two keys
    # paced at that rate with the default margin (far less than the time in transit)
    per_second = 3
    fake_gemini.rate_limit(per_second)
    fake_gemini.delay_arrival(0.3)
    keys = [KEY_A, KEY_B]
    settings = gemini_settings.model_copy(update={"gemini_timeout_seconds": 30.0})
    clients = {key_hash(key): create_gemini_client(settings, key) for key in keys}
    pool = KeyPool(
        redis, keys, max_requests_per_key=195, clock=clock, rate=KeyRate(per_second, 1.0, 0.05)
    )
    advisor = GeminiAdvisor(pool, settings, max_rest_wait=60.0, clients=clients)

    # When 24 jobs ask at once (four seconds' worth of both keys)
    answers = await asyncio.gather(*(advisor.advise(PROMPT) for _ in range(24)))

    # Then all are answered and none was refused
    assert len(answers) == 24
    assert Counter(status for _, status in fake_gemini.statuses()) == {200: 24}
    # and, measured when Gemini counted them, no key had more than 3 in any second
    for key in keys:
        arrived = [r.at for r in fake_gemini.requests if r.key == key]
        assert arrived
        assert most_in_any_window(arrived, 1.0) <= per_second
