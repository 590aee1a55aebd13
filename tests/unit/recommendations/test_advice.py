"""Pure parts of recommendations: the prompt, the rule-based advice, Google's quota answers."""

from datetime import UTC, datetime

from google.genai import errors

from shared.recommendations.advice import build_prompt, rule_based_advice
from shared.recommendations.gemini import _refuses_key, _retry_delay
from shared.recommendations.keypool import key_hash, next_quota_reset, quota_day
from shared.recommendations.repository import MenuDish
from shared.recommendations.schemas import CategoryShare, FavoriteDish, OrderStats
from tests.fakes.gemini import google_error, invalid_api_key, quota_exceeded

STATS = OrderStats(
    orders_count=18,
    categories={
        "main": CategoryShare(count=16, percent=80.0),
        "soup": CategoryShare(count=3, percent=15.0),
        "salad": CategoryShare(count=1, percent=5.0),
    },
    unique_dishes=8,
    total_dishes_available=45,
    favorite_dishes=[FavoriteDish(name="Котлета с пюре", count=9)],
)
UNTRIED = [MenuDish("Салат Греческий", "salad"), MenuDish("Уха", "soup")]


def test_the_prompt_carries_the_stats_and_the_dishes_to_try() -> None:
    prompt = build_prompt(STATS, UNTRIED)
    assert "Всего заказов: 18" in prompt
    assert "горячее 80%, супы 15%, салаты 5%" in prompt
    assert "Уникальных блюд: 8 из 45" in prompt
    assert "Любимые блюда (порций): Котлета с пюре (9)" in prompt
    assert "Не пробовали: Салат Греческий (салаты); Уха (супы)" in prompt


def test_rules_name_a_real_dish_for_the_missing_category() -> None:
    advice = rule_based_advice(STATS, UNTRIED)
    assert advice.summary == "За 30 дней 18 заказов, чаще всего — горячее (80% блюд)."
    assert advice.tips == [
        "Добавляйте салаты к обеду чаще — например, «Салат Греческий».",
        "Вы пробовали 8 из 45 блюд меню — разнообразие рациона полезно, "
        "выбирайте новое хотя бы раз в неделю.",
        "Попробуйте «Уха» — это есть в меню ваших кафе.",
    ]


def test_rules_work_without_dishes_to_suggest() -> None:
    balanced = STATS.model_copy(
        update={
            "categories": {
                "main": CategoryShare(count=4, percent=40.0),
                "soup": CategoryShare(count=3, percent=30.0),
                "salad": CategoryShare(count=3, percent=30.0),
            },
            "unique_dishes": 30,
        }
    )
    advice = rule_based_advice(balanced, [])
    assert len(advice.tips) == 2


def test_googles_429_tells_how_long_to_rest_and_whether_the_day_is_gone() -> None:
    per_minute = errors.ClientError(
        429, quota_exceeded("GenerateRequestsPerMinutePerProjectPerModel", "m", 10, 41.0)
    )
    per_day = errors.ClientError(
        429, quota_exceeded("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "m", 250, 3600)
    )
    bare = errors.ClientError(429, google_error(429))
    assert _retry_delay(per_minute) == (41.0, False)
    assert _retry_delay(per_day) == (3600.0, True)
    assert _retry_delay(bare) == (None, False)


def test_a_wrong_key_is_told_apart_from_a_bad_request() -> None:
    assert _refuses_key(errors.ClientError(400, invalid_api_key()))
    assert _refuses_key(errors.ClientError(403, google_error(403)))
    assert not _refuses_key(errors.ClientError(400, google_error(400)))


def test_the_quota_day_turns_at_midnight_in_los_angeles() -> None:
    before = datetime(2026, 11, 24, 7, 59, tzinfo=UTC)
    after = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert quota_day(before).isoformat() == "2026-11-23"
    assert quota_day(after).isoformat() == "2026-11-24"
    assert next_quota_reset(before) == after
    # in summer, Pacific daylight time: 07:00 UTC
    assert next_quota_reset(datetime(2026, 7, 1, 12, tzinfo=UTC)) == datetime(
        2026, 7, 2, 7, tzinfo=UTC
    )


def test_a_key_is_named_by_a_short_hash() -> None:
    hashed = key_hash("AIzaSyA-secret")
    assert len(hashed) == 12
    assert "AIza" not in hashed
