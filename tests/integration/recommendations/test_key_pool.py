"""The Gemini key pool on real Redis against the fake Gemini: what each answer does to the keys."""

import time
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from shared.kit.clock import FixedClock
from shared.recommendations.errors import GeminiUnavailable
from shared.recommendations.keypool import KeyPool, KeysExhausted, key_hash
from tests.fakes.gemini import FakeGemini
from tests.integration.recommendations.conftest import KEY_A, KEY_B, KEY_C, Advisors

PROMPT = "Статистика за 30 дней...\n- Не пробовали: Салат Греческий (салаты); Уха (супы)\n"


async def test_a_key_serves_its_limit_then_the_pool_moves_to_the_next(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    # Given three keys allowed two requests a day each
    advisor = advisor_for([KEY_A, KEY_B, KEY_C], limit=2)

    # When five users get advice
    for _ in range(5):
        advice = await advisor.advise(PROMPT)
        assert advice.tips[0] == "Попробуйте Салат Греческий — он есть в меню вашего кафе."

    # Then key A served two, B two, C one — in that order — and each switch is logged
    assert [key for key, _ in fake_gemini.statuses()] == [KEY_A, KEY_A, KEY_B, KEY_B, KEY_C]
    usage = await advisor.pool.usage()
    assert [u.count for u in usage] == [2, 2, 1]
    log = await advisor.pool.rotation_log()
    assert [entry.split(" ", 1)[1] for entry in log] == [
        f"{key_hash(KEY_B)}->{key_hash(KEY_C)} limit",
        f"{key_hash(KEY_A)}->{key_hash(KEY_B)} limit",
    ]
    # and neither Redis nor the log ever shows a key itself
    assert await advisor.pool.current_key_hash() == key_hash(KEY_C)
    assert not any(KEY_A in entry or KEY_B in entry for entry in log)


async def test_a_key_that_answers_429_rests_and_the_request_moves_on(
    advisor_for: Advisors, fake_gemini: FakeGemini, redis: Redis
) -> None:
    advisor = advisor_for([KEY_A, KEY_B], limit=10)
    fake_gemini.fail_next(429, key=KEY_A)

    advice = await advisor.advise(PROMPT)

    # The same request was answered with key B; A's refused request is not counted against it
    assert advice.summary
    assert fake_gemini.statuses() == [(KEY_A, 429), (KEY_B, 200)]
    usage = await advisor.pool.usage()
    assert [(u.count, u.cooling_down_for > 0) for u in usage] == [(0, True), (1, False)]
    assert (await advisor.pool.rotation_log())[0].endswith("rate_limited")
    # and while A rests, requests keep going to B
    await advisor.advise(PROMPT)
    assert fake_gemini.statuses()[-1] == (KEY_B, 200)


async def test_googles_per_day_quota_answer_spends_the_key_until_the_reset(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    # Given Google's daily quota of key A is smaller than what we configured
    advisor = advisor_for([KEY_A, KEY_B], limit=195)
    fake_gemini.set_daily_quota(1)
    await advisor.advise(PROMPT)

    # When A is refused with the per-day quota
    await advisor.advise(PROMPT)

    # Then A counts as spent for the day (not merely resting) and B answers
    assert fake_gemini.statuses() == [(KEY_A, 200), (KEY_A, 429), (KEY_B, 200)]
    usage = await advisor.pool.usage()
    assert usage[0].count == 195


@pytest.mark.parametrize("refusal", [401, 403])
async def test_a_refused_key_is_marked_invalid_and_skipped(
    advisor_for: Advisors, fake_gemini: FakeGemini, refusal: int
) -> None:
    advisor = advisor_for([KEY_A, KEY_B], limit=10)
    fake_gemini.revoke(KEY_A, status=refusal)

    for _ in range(3):
        await advisor.advise(PROMPT)

    assert fake_gemini.statuses() == [(KEY_A, refusal), (KEY_B, 200), (KEY_B, 200), (KEY_B, 200)]
    usage = await advisor.pool.usage()
    assert usage[0].invalid
    assert not usage[1].invalid
    assert (await advisor.pool.rotation_log())[0].endswith("invalid")


async def test_a_key_google_does_not_know_is_skipped(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    # Google answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID
    fake_gemini.keys = {KEY_B}
    advisor = advisor_for([KEY_A, KEY_B], limit=10)

    await advisor.advise(PROMPT)
    await advisor.advise(PROMPT)

    assert fake_gemini.statuses() == [(KEY_A, 400), (KEY_B, 200), (KEY_B, 200)]
    assert (await advisor.pool.usage())[0].invalid


async def test_server_errors_are_retried_with_growing_pauses(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    advisor = advisor_for([KEY_A], limit=10)
    fake_gemini.fail_next(500)
    fake_gemini.fail_next(503)

    advice = await advisor.advise(PROMPT)

    assert advice.summary
    assert [status for _, status in fake_gemini.statuses()] == [500, 503, 200]
    at = [request.at for request in fake_gemini.requests]
    first_pause, second_pause = at[1] - at[0], at[2] - at[1]
    assert first_pause >= 0.1  # GEMINI_BACKOFF_SECONDS
    assert second_pause >= 0.2  # doubled
    # every attempt reached Google, so every attempt counts against the key
    assert (await advisor.pool.usage())[0].count == 3


async def test_a_slow_answer_times_out_and_is_retried(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    advisor = advisor_for([KEY_A], limit=10)
    fake_gemini.delay_next(3.0)  # longer than GEMINI_TIMEOUT_SECONDS (1 s)

    started = time.monotonic()
    advice = await advisor.advise(PROMPT)

    assert advice.summary
    assert len(fake_gemini.requests) == 2
    assert time.monotonic() - started < 3.0


async def test_an_answer_that_is_not_the_json_asked_for_is_retried(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    advisor = advisor_for([KEY_A], limit=10)
    fake_gemini.malformed_next()

    advice = await advisor.advise(PROMPT)

    assert len(advice.tips) == 2
    assert len(fake_gemini.requests) == 2


async def test_gemini_failing_every_attempt_is_a_clear_error(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    advisor = advisor_for([KEY_A, KEY_B], limit=10)
    fake_gemini.fail_next(503, times=3)  # GEMINI_MAX_ATTEMPTS

    with pytest.raises(GeminiUnavailable) as refused:
        await advisor.advise(PROMPT)

    assert refused.value.english is not None
    assert "3 times" in refused.value.english

    assert len(fake_gemini.requests) == 3


async def test_when_every_key_is_spent_no_request_reaches_gemini(
    advisor_for: Advisors, fake_gemini: FakeGemini
) -> None:
    advisor = advisor_for([KEY_A, KEY_B], limit=1)
    await advisor.advise(PROMPT)
    await advisor.advise(PROMPT)

    with pytest.raises(KeysExhausted) as exhausted:
        await advisor.advise(PROMPT)

    assert exhausted.value.retry_after is None  # nothing comes back before the daily reset
    assert exhausted.value.code == "gemini_keys_exhausted"
    assert len(fake_gemini.requests) == 2


async def test_counters_survive_a_restart_of_the_pool(
    advisor_for: Advisors, fake_gemini: FakeGemini, pool_redis_url: str
) -> None:
    # Given a consumer used key A twice out of three, then its container was recycled
    first = advisor_for([KEY_A, KEY_B], limit=3)
    await first.advise(PROMPT)
    await first.advise(PROMPT)

    # When a new container starts with a new Redis connection and a new pool
    fresh_client = Redis.from_url(pool_redis_url, decode_responses=True)
    try:
        second = advisor_for([KEY_A, KEY_B], limit=3, client=fresh_client)
        for _ in range(3):
            await second.advise(PROMPT)
    finally:
        await fresh_client.aclose()

    # Then A served exactly its three requests in total, and B took over
    assert fake_gemini.served_by_key() == {KEY_A: 3, KEY_B: 2}


async def test_counters_reset_at_midnight_pacific_time(
    redis: Redis, fake_gemini: FakeGemini, advisor_for: Advisors, clock: FixedClock
) -> None:
    # Given both keys were spent late in Google's day (23:30 in Los Angeles)
    clock.set(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    advisor = advisor_for([KEY_A, KEY_B], limit=1)
    await advisor.advise(PROMPT)
    await advisor.advise(PROMPT)
    with pytest.raises(KeysExhausted):
        await advisor.advise(PROMPT)
    # the counters expire by themselves at the reset, 30 minutes from then
    assert 0 < await redis.ttl(f"gemini:usage:key:{key_hash(KEY_A)}") <= 30 * 60

    # When Google's day turns (00:00 in Los Angeles is 08:00 UTC)
    clock.set(datetime(2026, 11, 24, 8, 0, 5, tzinfo=UTC))

    # Then the keys serve again, counted from zero
    await advisor.advise(PROMPT)
    assert [u.count for u in await advisor.pool.usage()] == [0, 1]
    assert len(fake_gemini.requests) == 3


async def test_no_configured_keys_is_exhaustion_not_a_crash(
    redis: Redis, clock: FixedClock
) -> None:
    pool = KeyPool(redis, [], max_requests_per_key=195, clock=clock)
    with pytest.raises(KeysExhausted, match="Ключи Gemini не настроены"):
        await pool.acquire()
