"""One-time link codes: a manager vouches for whichever chat opens the bot with the code.

The code is signed, not stored: it names the cafe, when it expires, and the cafe's link as it was
when the code was issued (chat and `linked_at`). Redeeming links the cafe, which changes that
link, so the same code never verifies twice; codes issued before a link changed stop working too.
It fits Telegram's deep-link `start` parameter (at most 64 characters of A-Z, a-z, 0-9, _ and -).
"""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.models import Cafe

PREFIX = "link_"
CODE_TTL = timedelta(hours=24)
CODE_PATTERN = re.compile(r"^link_(\d{1,9})_([0-9a-z]{1,9})_([A-Za-z0-9_-]{22})$")


@dataclass(frozen=True)
class LinkCode:
    cafe_id: int
    expires_at: datetime


def _mac(key: str, cafe_id: int, expires: int, cafe: Cafe | None) -> str:
    state = (
        f"{cafe.tg_chat_id}:{cafe.linked_at.isoformat() if cafe.linked_at else ''}" if cafe else ""
    )
    message = f"cafe-link:{cafe_id}:{expires}:{state}".encode()
    digest = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def issue_code(cafe: Cafe, key: str, *, now: datetime) -> tuple[str, datetime]:
    """A code that links `cafe` to the chat that redeems it, valid for CODE_TTL."""
    expires_at = (now + CODE_TTL).astimezone(UTC).replace(microsecond=0)
    expires = int(expires_at.timestamp())
    return f"{PREFIX}{cafe.id}_{_base36(expires)}_{_mac(key, cafe.id, expires, cafe)}", expires_at


def parse_code(code: str) -> LinkCode | None:
    """The cafe and expiry a well-formed code names (not yet verified), or None."""
    match = CODE_PATTERN.match(code)
    if match is None:
        return None
    expires = int(match.group(2), 36)
    return LinkCode(int(match.group(1)), datetime.fromtimestamp(min(expires, 2**33), UTC))


def code_is_valid(code: str, cafe: Cafe, key: str, *, now: datetime) -> bool:
    """Whether `code` was issued for `cafe` as it is now and has not expired."""
    match = CODE_PATTERN.match(code)
    if match is None or int(match.group(1)) != cafe.id:
        return False
    expires = int(match.group(2), 36)
    if expires > 2**33 or now.timestamp() >= expires:
        return False
    return hmac.compare_digest(match.group(3), _mac(key, cafe.id, expires, cafe))
