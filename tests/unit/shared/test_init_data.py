from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from shared.auth.init_data import (
    InitData,
    TelegramUser,
    sign_init_data,
    user_init_data,
    verify_init_data,
)
from shared.kit.errors import NotAuthenticated

TOKEN = "123456:TEST-token"
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
IVAN = TelegramUser(id=1001, first_name="Иван", last_name="Петров", username="ivan")


def verify(raw: str, *, now: datetime = NOW, token: str = TOKEN) -> InitData:
    return verify_init_data(raw, token, now=now, max_age_seconds=3600)


def test_signed_init_data_is_accepted_and_read() -> None:
    data = verify(user_init_data(IVAN, TOKEN, auth_date=NOW, start_param="cafe-7"))
    assert data.user == IVAN
    assert data.user.full_name == "Иван Петров"
    assert data.auth_date == NOW
    assert data.start_param == "cafe-7"


def test_known_vector_from_telegram_algorithm() -> None:
    # Computed independently: HMAC_SHA256(HMAC_SHA256("WebAppData", token), check_string)
    import hashlib
    import hmac

    fields = {"auth_date": str(int(NOW.timestamp())), "user": '{"id":7,"first_name":"A"}'}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert f"hash={expected}" in sign_init_data(fields, TOKEN)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda raw: raw.replace("1001", "1002"), "signature is invalid"),
        (lambda raw: raw.split("&hash=")[0], "no hash"),
        (lambda _raw: "%%%", "not a valid query string"),
    ],
)
def test_tampered_init_data_is_refused(tamper: Callable[[str], str], message: str) -> None:
    raw = user_init_data(IVAN, TOKEN, auth_date=NOW)
    with pytest.raises(NotAuthenticated) as refused:
        verify(tamper(raw))
    assert refused.value.english is not None
    assert message in refused.value.english


def test_init_data_signed_for_another_bot_is_refused() -> None:
    raw = user_init_data(IVAN, "999:OTHER", auth_date=NOW)
    with pytest.raises(NotAuthenticated, match="Подпись initData неверна"):
        verify(raw)


def test_stale_init_data_is_refused_one_second_after_the_window() -> None:
    raw = user_init_data(IVAN, TOKEN, auth_date=NOW)
    assert verify(raw, now=NOW + timedelta(seconds=3600)).user.id == 1001
    with pytest.raises(NotAuthenticated, match="initData устарели"):
        verify(raw, now=NOW + timedelta(seconds=3601))


def test_init_data_from_the_future_is_refused() -> None:
    raw = user_init_data(IVAN, TOKEN, auth_date=NOW + timedelta(minutes=5))
    with pytest.raises(NotAuthenticated, match="будущим"):
        verify(raw)


def test_signed_init_data_without_user_is_refused() -> None:
    raw = sign_init_data({"auth_date": str(int(NOW.timestamp()))}, TOKEN)
    with pytest.raises(NotAuthenticated, match="нет пользователя"):
        verify(raw)
