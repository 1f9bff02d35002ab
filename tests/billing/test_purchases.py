"""The buy side: payment notices from the same hours, the deductible tax by the partner's
registration and the dated transitional rates, the 60-day check and paying the partner
(DOMAIN.md §1, §3, §4, §6)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.billing.issue import BillingError
from app.billing.purchases import (
    bill_partner,
    deduction_percent_on,
    fee_parts,
    record_purchase_payment,
)
from app.core.calendar import BusinessCalendar
from app.core.identity import Identity, acting_as
from app.extensions import db


def journal(source_id):
    return [tuple(r) for r in db.session.execute(text(
        "SELECT side, account, amount FROM billing_context.accounting_entries WHERE source_id = :s"
        " ORDER BY entry_number, line_no"), {"s": source_id})]


def notice(make, *, registration="T7123456789012", month=10, minutes=160 * 60, year=2026, terms=None,
           **partner):
    make.issuer()
    partner_id = make.partner(registration_number=registration, **partner)
    customer = make.customer()
    engineer = make.engineer("髙橋 健一", partner_id=partner_id)
    sell = make.contract(customer, engineer, monthly_price=800_000)
    make.buy_contract(sell, partner_id, engineer, customer, monthly_price=680_000,
                      settlement_method="MIDDLE", rate_rounding_unit=1, **(terms or {}))
    make.closed_month(sell, year, month, minutes)
    return bill_partner(partner_id, year, month, calendar=BusinessCalendar(), issue_date=date(year, month, 28))


@pytest.mark.parametrize("day, percent", [
    (date(2023, 9, 30), 100), (date(2026, 9, 30), 80), (date(2026, 10, 1), 70), (date(2028, 9, 30), 70),
    (date(2028, 10, 1), 50), (date(2030, 10, 1), 30), (date(2031, 9, 30), 30), (date(2031, 10, 1), 0)])
def test_transitional_deduction_rates_by_date(system, day, percent):
    assert deduction_percent_on(day) == percent


def test_domain_example_buy_side_of_190_5_hours(system, make):
    (statement,) = notice(make, minutes=190 * 60 + 30)
    assert statement.subtotal_amount == 724_625     # 中間割 ¥4,250 x 10.5h over 180h
    assert statement.statement_number == "PN-2026-000001" and statement.status == "ISSUED"


def test_registered_partner_full_deduction(system, make):
    (statement,) = notice(make)
    assert (statement.subtotal_amount, statement.tax_amount, statement.total_amount) == (680_000, 68_000, 748_000)
    assert (statement.partner_registered, statement.deduction_percent, statement.deductible_tax_amount) == (
        True, 100, 68_000)
    assert journal(statement.id) == [("DEBIT", "外注費", 680_000), ("DEBIT", "仮払消費税", 68_000),
                                     ("CREDIT", "買掛金", 748_000)]


def test_unregistered_partner_in_the_80_percent_period(system, make):
    (statement,) = notice(make, registration=None, month=9)
    assert (statement.partner_registered, statement.deduction_percent, statement.deductible_tax_amount) == (
        False, 80, 54_400)
    assert journal(statement.id) == [("DEBIT", "外注費", 693_600), ("DEBIT", "仮払消費税", 54_400),
                                     ("CREDIT", "買掛金", 748_000)]


def test_unregistered_partner_after_the_october_2026_change(system, make):
    (statement,) = notice(make, registration=None, month=10)
    assert (statement.deduction_percent, statement.deductible_tax_amount) == (70, 47_600)


def test_an_invalid_registration_number_counts_as_unregistered(system, make):
    (statement,) = notice(make, registration="T1123456789012")
    assert not statement.partner_registered and statement.deduction_percent == 70


def test_the_60_day_limit_is_flagged_for_covered_partners(system, make):
    # April service, 60-day terms: 04-30 → 06-30 is 61 days
    (statement,) = notice(make, month=4, subcontract_act_covered=True,
                          terms={"payment_month_offset": 2, "payment_holiday_rule": "NEXT"})
    assert (statement.due_date, statement.days_to_payment, statement.exceeds_payment_limit) == (
        date(2026, 6, 30), 61, True)


def test_30_day_terms_are_within_the_limit(system, make):
    (statement,) = notice(make, subcontract_act_covered=True)
    assert (statement.days_to_payment, statement.exceeds_payment_limit) == (30, False)


def test_the_buy_side_is_billed_once(system, make):
    (statement,) = notice(make)
    again = bill_partner(statement.partner_company_id, 2026, 10, calendar=BusinessCalendar(),
                         issue_date=date(2026, 10, 28))
    assert again == []


def test_paying_the_partner_we_bear_the_fee(system, make):
    (statement,) = notice(make)
    payment = record_purchase_payment(statement, paid_on=date(2026, 11, 30), amount=748_000, fee=440,
                                      idempotency_key="pp1")
    assert statement.status == "PAID"
    assert journal(payment.id) == [("DEBIT", "買掛金", 748_000), ("DEBIT", "支払手数料", 400),
                                   ("DEBIT", "仮払消費税", 40), ("CREDIT", "普通預金", 748_440)]


def test_the_fee_may_not_be_deducted_from_a_covered_partner(system, make):
    (statement,) = notice(make, subcontract_act_covered=True)
    with pytest.raises(BillingError) as error:
        record_purchase_payment(statement, paid_on=date(2026, 11, 30), amount=747_560, fee=440,
                                fee_borne_by="PARTNER", idempotency_key="pp1")
    assert error.value.field == "fee_borne_by"
    db.session.commit()                     # and the database refuses it too
    with acting_as(Identity("finance")), pytest.raises(Exception, match="取適法"):
        db.session.execute(text(
            "INSERT INTO billing_context.purchase_payments (statement_id, paid_on, amount, fee_amount,"
            " fee_borne_by, idempotency_key) VALUES (:s, '2026-11-30', 747560, 440, 'PARTNER', 'x')"),
            {"s": statement.id})
    db.session.rollback()


def test_a_partner_who_is_not_covered_may_bear_the_fee(system, make):
    (statement,) = notice(make)
    payment = record_purchase_payment(statement, paid_on=date(2026, 11, 30), amount=748_000, fee=440,
                                      fee_borne_by="PARTNER", idempotency_key="pp1")
    assert journal(payment.id) == [("DEBIT", "買掛金", 748_000), ("CREDIT", "普通預金", 748_000)]


@pytest.mark.parametrize("fee, parts", [(440, (400, 40)), (330, (300, 30)), (0, (0, 0)), (100, (91, 9))])
def test_fee_parts(fee, parts):
    assert fee_parts(fee) == parts
