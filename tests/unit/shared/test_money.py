from decimal import Decimal

from pydantic import BaseModel

from shared.kit.money import Money, format_rub, to_money


def test_roubles_are_grouped_and_kopecks_shown_only_when_present() -> None:
    assert format_rub(Decimal("4850")) == "4\u00a0850 ₽"
    assert format_rub(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50 ₽"
    assert format_rub(Decimal("60.00")) == "60 ₽"


def test_money_rounds_half_up_to_kopecks_and_is_a_number_in_json() -> None:
    assert to_money("10.005") == Decimal("10.01")

    class Price(BaseModel):
        amount: Money

    assert Price(amount=Decimal("450.00")).model_dump_json() == '{"amount":450.0}'
    assert Price(amount=Decimal("450.00")).model_dump()["amount"] == Decimal("450.00")
