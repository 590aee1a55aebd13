"""The JWT key: at least 32 random bytes in a deployed stage; a random one of its own, kept
under .local/, for a local run (never the well-known placeholder)."""

from pathlib import Path

import jwt
import pytest
from pydantic import ValidationError

from shared.kit.settings import MIN_JWT_SECRET_BYTES, Settings, local_jwt_secret


def deployed(jwt_secret: str) -> Settings:
    return Settings(
        _env_file=None,
        environment="production",
        telegram_bot_token="7000000001:AAE-real-token",
        telegram_webhook_secret="a-real-webhook-secret",
        jwt_secret=jwt_secret,
    )


@pytest.mark.parametrize("secret", ["x", "changethis", "a" * (MIN_JWT_SECRET_BYTES - 1)])
def test_a_deployed_stage_refuses_a_short_jwt_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        deployed(secret)


def test_a_deployed_stage_takes_32_bytes_and_more() -> None:
    settings = deployed("k" * MIN_JWT_SECRET_BYTES)
    assert len(settings.jwt_secret.get_secret_value()) == MIN_JWT_SECRET_BYTES


def test_a_local_run_generates_a_random_key_once_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    first = Settings(_env_file=None, environment="local").jwt_secret.get_secret_value()
    again = Settings(_env_file=None, environment="local").jwt_secret.get_secret_value()

    assert first == again  # tokens survive a restart
    assert first != "changethis"
    assert len(first.encode()) >= MIN_JWT_SECRET_BYTES
    kept = tmp_path / ".local" / "jwt_secret"
    assert kept.read_text().strip() == first
    assert kept.stat().st_mode & 0o077 == 0  # readable by its owner only
    # PyJWT no longer warns about a short HMAC key
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("error")
        jwt.encode({"sub": "1"}, first, algorithm="HS256")


def test_a_local_key_that_is_too_short_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "jwt_secret"
    path.write_text("short\n")

    replaced = local_jwt_secret(path)

    assert len(replaced.encode()) >= MIN_JWT_SECRET_BYTES
    assert local_jwt_secret(path) == replaced


def test_an_explicit_local_key_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None, environment="local", jwt_secret="mine-" * 8)
    assert settings.jwt_secret.get_secret_value() == "mine-" * 8
    assert not (tmp_path / ".local").exists()
