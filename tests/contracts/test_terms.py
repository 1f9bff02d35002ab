"""Amendments change the terms from their effective month on; earlier months keep earlier terms."""

from datetime import date
from decimal import Decimal

from app.contracts.terms import terms_in_force

CONTRACT = {"monthly_price": 800_000, "settlement_method": "UPPER_LOWER", "lower_hours": Decimal(140),
            "upper_hours": Decimal(180), "excess_rate": None, "deduction_rate": None,
            "rate_rounding_unit": 10, "rate_rounding_mode": "FLOOR", "rounding_target": "RATE",
            "hours_rounding_minutes": 15, "hours_rounding_scope": "MONTHLY", "hours_rounding_mode": "FLOOR"}
RAISE = {"effective_from": date(2026, 10, 1), "status": "APPROVED",
         "terms": {"monthly_price": 850_000, "lower_hours": "150"}}
LATER = {"effective_from": date(2027, 1, 1), "status": "APPROVED", "terms": {"monthly_price": 900_000}}
DRAFT = {"effective_from": date(2026, 11, 1), "status": "DRAFT", "terms": {"monthly_price": 1}}


def test_september_uses_septembers_terms():
    assert terms_in_force(CONTRACT, [RAISE, LATER], 2026, 9)["monthly_price"] == 800_000


def test_an_amendment_applies_from_its_effective_month():
    october = terms_in_force(CONTRACT, [LATER, RAISE], 2026, 10)
    assert (october["monthly_price"], october["lower_hours"], october["upper_hours"]) == (
        850_000, "150", Decimal(180))
    assert terms_in_force(CONTRACT, [LATER, RAISE], 2027, 2)["monthly_price"] == 900_000


def test_unapproved_amendments_do_not_count():
    assert terms_in_force(CONTRACT, [DRAFT], 2026, 12)["monthly_price"] == 800_000
