from datetime import UTC, datetime, timedelta

import pytest

from shared.auth.tokens import TokenClaims, issue_token, read_token
from shared.kit.errors import NotAuthenticated

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
SECRET = "a-test-secret-that-is-32-bytes-long"


def test_a_token_carries_the_user_until_it_expires() -> None:
    token = issue_token(TokenClaims(1001, "manager"), SECRET, now=NOW, ttl=timedelta(hours=1))
    assert read_token(token, SECRET, now=NOW + timedelta(minutes=59)) == TokenClaims(
        1001, "manager"
    )
    with pytest.raises(NotAuthenticated, match="Срок действия токена истёк"):
        read_token(token, SECRET, now=NOW + timedelta(hours=1))


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = issue_token(
        TokenClaims(1001, "user"),
        "another-secret-of-32-bytes-length!",
        now=NOW,
        ttl=timedelta(hours=1),
    )
    with pytest.raises(NotAuthenticated, match="недействителен"):
        read_token(token, SECRET, now=NOW)


def test_garbage_is_refused() -> None:
    with pytest.raises(NotAuthenticated):
        read_token("not-a-jwt", SECRET, now=NOW)
