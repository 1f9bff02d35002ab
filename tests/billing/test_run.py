"""The monthly invoice run as a service: amounts from the settlement terms, grouping, due dates,
numbering, idempotency, adjustments and extras."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.billing.issue import invoice_lines
from app.billing.models import Invoice
from app.billing.run import bill_customer, customers_to_bill
from app.core.calendar import BusinessCalendar
from app.extensions import db


def run(customer_id, year=2026, month=10, issue_date=None):
    return bill_customer(customer_id, year, month, calendar=BusinessCalendar(),
                         issue_date=issue_date or date(year, month, 28))


@pytest.fixture
def company(make):
    make.issuer()
    customer = make.customer("株式会社さくら商事")
    engineer = make.engineer("山﨑 翔太")
    contract = make.contract(customer, engineer, monthly_price=800_000, lower=140, upper=180)
    return customer, engineer, contract


def test_domain_example_190_5_hours_bills_846_620(system, make, company):
    customer, _, contract = company
    make.closed_month(contract, 2026, 10, 190 * 60 + 30)
    (invoice,) = run(customer)
    (line,) = invoice_lines(invoice)
    assert (line.billed_hours, line.excess_hours, line.excess_rate, line.amount) == (
        Decimal("190.50"), Decimal("10.50"), 4_440, 846_620)
    assert (invoice.subtotal_amount, invoice.tax_amount, invoice.total_amount) == (846_620, 84_662, 931_282)
    assert invoice.status == "ISSUED" and invoice.invoice_number == "INV-2026-000001"
    assert (invoice.recipient_name, invoice.recipient_honorific) == ("株式会社さくら商事", "御中")
    assert invoice.billing_details["by_rate"] == {"10": {"subtotal": 846_620, "tax": 84_662, "reduced": False}}
    assert line.description == "システム開発支援（2026年10月分）" and line.engineer_name == "山﨑 翔太"


@pytest.mark.parametrize("minutes, amount", [(130 * 60, 742_900), (160 * 60, 800_000)])
def test_deduction_and_within_range(system, make, company, minutes, amount):
    customer, _, contract = company
    make.closed_month(contract, 2026, 10, minutes)
    (invoice,) = run(customer)
    assert invoice_lines(invoice)[0].amount == amount


def test_middle_method_and_no_settlement(system, make, company):
    customer, engineer, _ = company
    middle = make.contract(customer, make.engineer(), settlement_method="MIDDLE", contract_number="MID")
    fixed = make.contract(customer, make.engineer(), settlement_method="NONE", lower=None, upper=None,
                          contract_number="NON")
    make.closed_month(middle, 2026, 10, 190 * 60 + 30)
    make.closed_month(fixed, 2026, 10, 190 * 60 + 30)
    (invoice,) = run(customer)
    assert sorted(line.amount for line in invoice_lines(invoice)) == [800_000, 852_500]


def test_hours_are_rounded_as_the_contract_says(system, make, company):
    customer, engineer, _ = company
    quarter = make.contract(customer, make.engineer(), hours_rounding_minutes=15, contract_number="Q")
    half = make.contract(customer, make.engineer(), hours_rounding_minutes=30, contract_number="H")
    hour = make.contract(customer, make.engineer(), hours_rounding_minutes=60, contract_number="O")
    for contract in (quarter, half, hour):
        make.closed_month(contract, 2026, 10, 190 * 60 + 50)
    (invoice,) = run(customer)
    billed = {line.contract_number: line.billed_hours for line in invoice_lines(invoice)}
    assert billed == {"Q": Decimal("190.75"), "H": Decimal("190.50"), "O": Decimal("190.00")}


def test_one_invoice_per_customer_with_a_line_per_engineer(system, make, company):
    customer, _, contract = company
    other = make.contract(customer, make.engineer("髙橋 健一"), monthly_price=700_000)
    make.closed_month(contract, 2026, 10, 160 * 60)
    make.closed_month(other, 2026, 10, 160 * 60)
    invoices = run(customer)
    assert len(invoices) == 1
    assert [line.amount for line in invoice_lines(invoices[0])] == [800_000, 700_000]
    assert invoices[0].total_amount == 1_650_000


def test_one_invoice_per_contract_when_the_customer_asks(system, make, company):
    customer, _, contract = company
    db.session.execute(text("UPDATE project_context.customers SET invoice_grouping = 'PER_CONTRACT'"))
    other = make.contract(customer, make.engineer("髙橋 健一"), monthly_price=700_000)
    make.closed_month(contract, 2026, 10, 160 * 60)
    make.closed_month(other, 2026, 10, 160 * 60)
    invoices = run(customer)
    assert sorted(i.total_amount for i in invoices) == [770_000, 880_000]
    assert sorted(i.invoice_number for i in invoices) == ["INV-2026-000001", "INV-2026-000002"]


def test_contracts_with_different_payment_terms_get_separate_invoices(system, make, company):
    customer, engineer, contract = company
    sixty = make.contract(customer, make.engineer(), payment_month_offset=2, contract_number="K60")
    make.closed_month(contract, 2026, 10, 160 * 60)
    make.closed_month(sixty, 2026, 10, 160 * 60)
    due = sorted(i.due_date for i in run(customer))
    assert due == [date(2026, 11, 30), date(2026, 12, 30)]   # 12-31 → previous business day


@pytest.mark.parametrize("month, rule, due", [
    (4, "PREVIOUS", date(2026, 5, 29)),      # 2026-05-31 is a Sunday
    (4, "NEXT", date(2026, 6, 1)),
    (11, "PREVIOUS", date(2026, 12, 30)),    # 12-31 is a bank holiday
    (11, "NEXT", date(2027, 1, 4)),
])
def test_due_date_moves_to_a_business_day(system, make, company, month, rule, due):
    customer, engineer, _ = company
    contract = make.contract(customer, make.engineer(), payment_holiday_rule=rule)
    make.closed_month(contract, 2026, month, 160 * 60)
    (invoice,) = run(customer, month=month)
    assert invoice.due_date == due


def test_45_day_terms(system, make, company):
    customer, engineer, _ = company
    contract = make.contract(customer, make.engineer(), payment_month_offset=2, payment_day=15)
    make.closed_month(contract, 2026, 10, 160 * 60)
    assert run(customer)[0].due_date == date(2026, 12, 15)


def test_running_again_creates_nothing(system, make, company):
    customer, _, contract = company
    make.closed_month(contract, 2026, 10, 160 * 60)
    assert len(run(customer)) == 1
    assert run(customer) == []
    assert customers_to_bill(2026, 10) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Invoice)) == 1


def test_only_closed_timesheets_are_billed(system, make, company):
    customer, _, contract = company
    make.closed_month(contract, 2026, 10, 160 * 60, status="MANAGER_APPROVED")
    assert customers_to_bill(2026, 10) == []
    assert run(customer) == []


def test_imported_monthly_hours_are_billed(system, make, company):
    customer, _, contract = company
    make.closed_month(contract, 2026, 10, 185 * 60, source="IMPORTED")
    assert invoice_lines(run(customer)[0])[0].amount == 800_000 + 4_440 * 5


def test_daily_rounding_uses_the_daily_rows(system, make, company):
    customer, engineer, _ = company
    contract = make.contract(customer, make.engineer(), hours_rounding_scope="DAILY", hours_rounding_minutes=30,
                             settlement_method="NONE", lower=None, upper=None)
    make.closed_month(contract, 2026, 10, 3 * 490, daily={1: 490, 2: 490, 5: 490})
    (line,) = invoice_lines(run(customer)[0])
    assert line.billed_hours == Decimal("24.00")         # 3 x 8h10m rounded down to 8h00m
    assert line.worked_hours == Decimal("24.50")


def test_a_partial_first_month_is_prorated(system, make, company):
    customer, engineer, _ = company
    contract = make.contract(customer, make.engineer(), start=date(2026, 10, 16), partial_month_rule="CALENDAR_DAYS",
                             settlement_method="NONE", lower=None, upper=None)
    make.closed_month(contract, 2026, 10, 80 * 60)
    assert invoice_lines(run(customer)[0])[0].amount == 800_000 * 16 // 31


def test_terms_of_an_amendment_apply_from_its_month(system, make, company, admin_engine):
    customer, _, contract = company
    with admin_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO contract_context.contract_amendments (contract_id, effective_from, reason, changes,"
            " terms) VALUES (:k, '2026-10-01', '単価改定', '{}', '{\"monthly_price\": 850000}')"), {"k": contract})
    make.closed_month(contract, 2026, 9, 160 * 60)
    make.closed_month(contract, 2026, 10, 160 * 60)
    assert invoice_lines(run(customer, month=9)[0])[0].amount == 800_000
    assert invoice_lines(run(customer, month=10)[0])[0].amount == 850_000


def test_adjustments_of_a_closed_month_are_their_own_line(system, make, company):
    customer, _, contract = company
    user = make.user()
    september = make.closed_month(contract, 2026, 9, 178 * 60)
    assert len(run(customer, month=9)) == 1
    make.adjustment(september, 2026, 9, contract, 4 * 60, user, apply=(2026, 10))
    make.closed_month(contract, 2026, 10, 160 * 60)
    (invoice,) = run(customer)
    lines = invoice_lines(invoice)
    assert [line.item_type for line in lines] == ["SETTLEMENT", "ADJUSTMENT"]
    # 178h → 182h crosses the upper bound by 2h: 2 x 4,440
    assert lines[1].amount == 8_880 and "勤怠調整" in lines[1].description
    assert lines[1].period_month == 9
    status = db.session.execute(text(
        "SELECT status, invoice_billing_item_id FROM timesheet_context.timesheet_adjustments")).one()
    assert tuple(status) == ("BILLED", lines[1].id)
    assert run(customer) == []


def test_extras_are_billed_once_with_their_tax_rate(system, make, company, admin_engine):
    customer, _, contract = company
    with admin_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO billing_context.invoice_extras (customer_id, contract_id, period_year, period_month,"
            " description, unit_price, amount, tax_rate_percent) VALUES"
            " (:c, :k, 2026, 10, '交通費（10月分）', 12340, 12340, 10)"), {"c": customer, "k": contract})
    make.closed_month(contract, 2026, 10, 160 * 60)
    (invoice,) = run(customer)
    assert [line.item_type for line in invoice_lines(invoice)] == ["SETTLEMENT", "EXPENSE"]
    assert invoice.subtotal_amount == 812_340 and invoice.tax_amount == 81_234
    assert run(customer) == []


def test_numbers_are_gap_free_per_issuer_and_year(system, make, company):
    customer, engineer, contract = company
    second = make.customer("二号システム株式会社")
    make.closed_month(contract, 2026, 10, 160 * 60)
    make.closed_month(make.contract(second, make.engineer()), 2026, 10, 160 * 60)
    make.closed_month(contract, 2027, 1, 160 * 60)
    numbers = [i.invoice_number for c, m, y in ((customer, 10, 2026), (second, 10, 2026), (customer, 1, 2027))
               for i in bill_customer(c, y, m, calendar=BusinessCalendar(), issue_date=date(y, m, 28))]
    assert numbers == ["INV-2026-000001", "INV-2026-000002", "INV-2027-000001"]


def test_issuing_records_the_event_and_a_balanced_journal_entry(system, make, company):
    customer, _, contract = company
    make.closed_month(contract, 2026, 10, 160 * 60)
    (invoice,) = run(customer)
    entries = db.session.execute(text(
        "SELECT side, account, amount FROM billing_context.accounting_entries WHERE source_id = :i"
        " ORDER BY line_no"), {"i": invoice.id}).all()
    assert [tuple(e) for e in entries] == [("DEBIT", "売掛金", 880_000), ("CREDIT", "売上高", 800_000),
                                           ("CREDIT", "仮受消費税", 80_000)]
    event = db.session.execute(text(
        "SELECT event_type, payload->>'invoice_number' FROM platform.domain_events WHERE aggregate_id = :i"),
        {"i": invoice.id}).one()
    assert tuple(event) == ("InvoiceIssued", "INV-2026-000001")


def test_a_run_without_an_issuer_says_so(system, make):
    from app.billing.issue import BillingError

    customer = make.customer()
    contract = make.contract(customer, make.engineer())
    make.closed_month(contract, 2026, 10, 160 * 60)
    with pytest.raises(BillingError, match="請求元"):
        run(customer)
