"""Access tokens (JWT, HS256) that the Mini App sends after signing in with initData."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from shared.kit.errors import NotAuthenticated

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    tgid: int
    role: str


def issue_token(claims: TokenClaims, secret: str, *, now: datetime, ttl: timedelta) -> str:
    payload = {
        "sub": str(claims.tgid),
        "tgid": claims.tgid,
        "role": claims.role,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str, *, now: datetime) -> TokenClaims:
    """Decode and check a token; expiry is judged against `now` so tests control time."""
    try:
        # Time-based claims are judged below against the injected clock, not the wall clock.
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
        claims = TokenClaims(tgid=int(payload["tgid"]), role=str(payload["role"]))
        expires = int(payload["exp"])
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError):
        raise NotAuthenticated(
            "Токен доступа недействителен: войдите снова",
            en="The access token is invalid: sign in again",
        ) from None
    if now.timestamp() >= expires:
        raise NotAuthenticated(
            "Срок действия токена истёк: войдите снова",
            en="The access token has expired: sign in again",
        )
    return claims
