"""Money is Decimal with two places; in JSON it is a number, as the REST contract shows."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import PlainSerializer

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _as_json_number(value: Decimal) -> float:
    return float(value)


Money = Annotated[Decimal, PlainSerializer(_as_json_number, return_type=float, when_used="json")]


def format_rub(value: Decimal) -> str:
    """`4850.00` -> `4 850 ₽`; kopecks shown only when there are any."""
    amount = to_money(value)
    whole = int(amount)
    text = f"{whole:,}".replace(",", "\u00a0")
    if amount != whole:
        text += f",{int((amount - whole) * 100):02d}"
    return f"{text} ₽"
