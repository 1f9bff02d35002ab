"""The invoice list and the payment notice list run a fixed number of statements, however many
documents they show."""

from __future__ import annotations

from datetime import date

from app.billing.purchases import bill_partner
from app.billing.run import bill_customer
from app.core.calendar import BusinessCalendar
from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from tests.querycount import assert_no_n_plus_one


def _invoices(make):
    """Adds n customers with an issued October invoice each (one engineer line, one partner's notice)."""
    def add(n: int) -> None:
        for _ in range(n):
            customer = make.customer("照会商事株式会社")
            partner = make.partner(registration_number="T7123456789012")
            engineer = make.engineer("照会 技術者", partner_id=partner)
            sell = make.contract(customer, engineer)
            make.buy_contract(sell, partner, engineer, customer, monthly_price=680_000)
            make.closed_month(sell, 2026, 10, 170 * 60)
            with acting_as(SYSTEM):
                bill_customer(customer, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))
                bill_partner(partner, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))
                db.session.commit()
    return add


def test_the_invoice_list(make, login_as):
    make.issuer()
    add = _invoices(make)
    add(2)
    finance = login_as("finance")
    assert_no_n_plus_one(finance, "/billing/", add, expect_text=lambda page: page.count("照会商事株式会社") == 5)
    assert_no_n_plus_one(finance, "/billing/?q=照会&month=2026-10", add, htmx=True)
    assert_no_n_plus_one(finance, "/billing/receivables", add)
    assert_no_n_plus_one(finance, "/billing/purchases", add)
