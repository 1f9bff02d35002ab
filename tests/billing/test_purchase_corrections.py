"""Cancelling and reissuing a payment notice (支払通知書): what the database allows, the service
(released hours owed again exactly once, the purchase entry reversed) and the notice page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.billing.issue import BillingError
from app.billing.purchase_corrections import cancel_statement, reissue_statement, related_statements
from app.billing.purchases import bill_partner, record_purchase_payment
from app.core.calendar import BusinessCalendar
from app.core.identity import SYSTEM, Identity, acting_as
from app.extensions import db

from .dbcheck import attempt
from .test_purchases import journal, notice

DAY = date(2026, 11, 5)


def active_lines(statement_id) -> int:
    return db.session.execute(text(
        "SELECT count(*) FROM billing_context.purchase_statement_lines WHERE statement_id = :s"
        " AND released_at IS NULL"), {"s": statement_id}).scalar_one()


# --- the database ----------------------------------------------------------------------------

CANCEL = ("UPDATE billing_context.purchase_statements SET status = 'CANCELLED', cancelled_at = now(),"
          " cancellation_reason = :r WHERE id = :s")


@pytest.fixture
def committed(app, make):
    """An issued notice of October 2026 (680,000 + 68,000), committed; no identity is left."""
    with acting_as(SYSTEM):
        (statement,) = notice(make)
        db.session.commit()
        statement_id = statement.id
    db.session.rollback()
    return statement_id


@pytest.mark.parametrize("who", [Identity("finance"), Identity("admin")])
def test_the_database_cancels_an_unpaid_notice_and_releases_its_lines(committed, who):
    assert attempt(who, CANCEL, r="単価の誤り", s=committed) is None
    with acting_as(SYSTEM):
        assert active_lines(committed) == 0
        assert db.session.execute(text("SELECT status FROM billing_context.purchase_statements WHERE id = :s"),
                                  {"s": committed}).scalar_one() == "CANCELLED"


@pytest.mark.parametrize("sql, message", [
    ("UPDATE billing_context.purchase_statements SET status = 'CANCELLED', cancelled_at = now() WHERE id = :s",
     "ck_purchase_statements_cancelled"),
    ("UPDATE billing_context.purchase_statements SET status = 'CANCELLED', cancellation_reason = 'x' WHERE id = :s",
     "ck_purchase_statements_cancelled"),
    ("UPDATE billing_context.purchase_statements SET cancellation_reason = 'x' WHERE id = :s", "cannot be changed"),
    ("UPDATE billing_context.purchase_statement_lines SET released_at = now() WHERE statement_id = :s",
     "lines of an issued payment notice"),
])
def test_a_cancellation_needs_its_reason_and_only_the_status_releases_lines(committed, sql, message):
    error = attempt(Identity("finance"), sql, s=committed)
    assert isinstance(error, IntegrityError) and message in str(error)


def test_a_notice_with_a_payment_cannot_be_cancelled_in_the_database(committed):
    assert attempt(Identity("finance"), "INSERT INTO billing_context.purchase_payments (statement_id, paid_on,"
                   " amount, idempotency_key) VALUES (:s, '2026-11-30', 100000, 'p1')", s=committed) is None
    assert attempt(Identity("finance"), "UPDATE billing_context.purchase_statements SET"
                   " status = 'PARTIALLY_PAID', paid_amount = 100000 WHERE id = :s", s=committed) is None
    error = attempt(Identity("finance"), CANCEL, r="誤り", s=committed)
    assert isinstance(error, IntegrityError) and "cannot change from PARTIALLY_PAID to CANCELLED" in str(error)


def test_a_cancelled_notice_stays_cancelled(committed):
    assert attempt(Identity("finance"), CANCEL, r="誤り", s=committed) is None
    for sql in ("UPDATE billing_context.purchase_statements SET status = 'ISSUED', cancelled_at = NULL,"
                " cancellation_reason = NULL WHERE id = :s",
                "UPDATE billing_context.purchase_statements SET cancellation_reason = '別の理由' WHERE id = :s"):
        assert isinstance(attempt(Identity("finance"), sql, s=committed), IntegrityError), sql


# --- the service -----------------------------------------------------------------------------

def test_cancelling_releases_the_hours_and_reverses_the_purchase_entry(system, make):
    (statement,) = notice(make)
    cancel_statement(statement, "  単価の誤り ", DAY)
    assert (statement.status, statement.cancellation_reason, statement.cancelled_by) == (
        "CANCELLED", "単価の誤り", None)
    assert statement.cancelled_at is not None and active_lines(statement.id) == 0
    assert journal(statement.id) == [
        ("DEBIT", "外注費", 680_000), ("DEBIT", "仮払消費税", 68_000), ("CREDIT", "買掛金", 748_000),
        ("DEBIT", "買掛金", 748_000), ("CREDIT", "外注費", 680_000), ("CREDIT", "仮払消費税", 68_000)]
    reversal = db.session.execute(text(
        "SELECT DISTINCT entry_date, event_type FROM billing_context.accounting_entries WHERE source_id = :s"
        " AND event_type = 'PARTNER_PURCHASE_CANCELLED'"), {"s": statement.id}).one()
    assert tuple(reversal) == (DAY, "PARTNER_PURCHASE_CANCELLED")


def test_an_unregistered_partners_notice_is_reversed_with_its_own_deduction(system, make):
    (statement,) = notice(make, registration=None, month=9)       # 80 %: 693,600 + 54,400
    cancel_statement(statement, "重複発行", DAY)
    assert journal(statement.id)[3:] == [("DEBIT", "買掛金", 748_000), ("CREDIT", "外注費", 693_600),
                                         ("CREDIT", "仮払消費税", 54_400)]


def test_the_next_run_owes_the_cancelled_hours_once(system, make):
    (statement,) = notice(make)
    cancel_statement(statement, "取消", DAY)
    calendar = BusinessCalendar()
    (again,) = bill_partner(statement.partner_company_id, 2026, 10, calendar=calendar, issue_date=DAY)
    assert (again.statement_number, again.total_amount, again.original_statement_id) == (
        "PN-2026-000002", 748_000, None)
    assert bill_partner(statement.partner_company_id, 2026, 10, calendar=calendar, issue_date=DAY) == []


def test_reissuing_owes_the_same_hours_on_one_new_linked_notice(system, make):
    (statement,) = notice(make, minutes=190 * 60 + 30)
    (new,) = reissue_statement(statement, "支払条件の訂正", DAY)
    assert statement.status == "CANCELLED"
    assert (new.status, new.statement_number, new.statement_date, new.subtotal_amount) == (
        "ISSUED", "PN-2026-000002", DAY, 724_625)
    assert new.original_statement_id == statement.id and new.details["replaces"] == "PN-2026-000001"
    assert related_statements(statement) == [new] and related_statements(new) == [statement]
    assert journal(new.id) == [("DEBIT", "外注費", 724_625), ("DEBIT", "仮払消費税", 72_462),
                               ("CREDIT", "買掛金", 797_087)]
    assert bill_partner(statement.partner_company_id, 2026, 10, calendar=BusinessCalendar(), issue_date=DAY) == []
    owed = db.session.execute(text(
        "SELECT count(*) FROM billing_context.purchase_statement_lines WHERE released_at IS NULL")).scalar_one()
    assert owed == 1


def test_the_reissued_pdf_names_the_notice_it_replaces(system, make):
    from app.billing.pdfs import render_statement_pdf

    from .test_pdf import pdf_text

    (statement,) = notice(make)
    (new,) = reissue_statement(statement, "誤り", DAY)
    text_of = pdf_text(render_statement_pdf(new))
    assert "PN-2026-000002" in text_of and "PN-2026-000001 に代わる通知書" in text_of


def test_an_adjustment_on_a_cancelled_notice_is_owed_again(system, make):
    (statement,) = notice(make)
    timesheet = db.session.execute(text(
        "SELECT timesheet_id FROM billing_context.purchase_statement_lines WHERE statement_id = :s"),
        {"s": statement.id}).scalar_one()
    sell = db.session.execute(text("SELECT contract_id FROM timesheet_context.timesheets WHERE id = :t"),
                              {"t": timesheet}).scalar_one()
    make.adjustment(timesheet, 2026, 10, sell, 30 * 60, make.user(), apply=(2026, 11))
    (november,) = bill_partner(statement.partner_company_id, 2026, 11, calendar=BusinessCalendar(),
                               issue_date=date(2026, 11, 30))
    (new,) = reissue_statement(november, "調整の誤り", date(2026, 11, 30))
    kinds = db.session.execute(text(
        "SELECT item_type FROM billing_context.purchase_statement_lines WHERE statement_id = :s"),
        {"s": new.id}).scalars().all()
    assert kinds == ["ADJUSTMENT"] and new.total_amount == november.total_amount


def test_the_freee_export_takes_the_cancelled_purchase_back(system, make):
    from app.billing.exports import freee_rows, month_entries, yayoi_rows

    (statement,) = notice(make)
    reissue_statement(statement, "誤り", DAY)
    assert [row[:8] for row in freee_rows(2026, 10)] == [
        ["支出", "PN-2026-000001", "2026/10/28", "2026/11/30", "株式会社ブルーテック", "外注費", "課対仕入10%", 748_000],
        ["収入", "PN-2026-000001", "2026/11/05", "2026/11/05", "株式会社ブルーテック", "外注費", "課対仕入10%", 748_000],
        ["支出", "PN-2026-000002", "2026/11/05", "2026/11/30", "株式会社ブルーテック", "外注費", "課対仕入10%", 748_000]]
    november = yayoi_rows(month_entries(2026, 11))
    assert [row[4] for row in november] == ["買掛金", "", "外注費", "仮払消費税"]
    assert [row[10] for row in november] == ["外注費", "仮払消費税", "買掛金", ""]


@pytest.mark.parametrize("reason, day, field", [("", DAY, "reason"), ("   ", DAY, "reason"),
                                                ("誤り", date(2026, 10, 27), "issue_date")])
def test_a_cancellation_needs_a_reason_and_a_date_after_the_notice(system, make, reason, day, field):
    (statement,) = notice(make)
    with pytest.raises(BillingError) as error:
        cancel_statement(statement, reason, day)
    assert error.value.field == field and statement.status == "ISSUED"


def test_a_paid_or_partly_paid_notice_cannot_be_cancelled(system, make):
    (statement,) = notice(make)
    record_purchase_payment(statement, paid_on=date(2026, 11, 30), amount=100_000, idempotency_key="p1")
    with pytest.raises(BillingError, match="支払を記録した"):
        cancel_statement(statement, "誤り", DAY)
    record_purchase_payment(statement, paid_on=date(2026, 11, 30), amount=648_000, idempotency_key="p2")
    with pytest.raises(BillingError, match="支払を記録した"):
        reissue_statement(statement, "誤り", DAY)
    assert statement.status == "PAID" and active_lines(statement.id) == 1


def test_a_notice_is_cancelled_once(system, make):
    (statement,) = notice(make)
    cancel_statement(statement, "誤り", DAY)
    with pytest.raises(BillingError, match="すでに取り消されて"):
        cancel_statement(statement, "誤り", DAY)
    assert len(journal(statement.id)) == 6


# --- the notice page -------------------------------------------------------------------------

@pytest.fixture
def finance(committed, login_as):
    return login_as("finance")


@pytest.fixture
def notice_status(db_row):
    return lambda statement_id: tuple(db_row(
        "SELECT status, cancellation_reason, cancelled_by FROM billing_context.purchase_statements WHERE id = :s",
        s=statement_id))


def test_the_notice_page_offers_cancellation_with_a_confirmation(finance, committed):
    page = finance.get(f"/billing/purchases/{committed}")
    assert page.status_code == 200 and 'id="statement-correction-form"' in page.text
    assert "hx-confirm=" in page.text and f"/billing/purchases/{committed}/cancel" in page.text


def test_cancel_and_reissue_from_the_page(finance, committed, notice_status, db_row):
    url = f"/billing/purchases/{committed}/cancel"
    missing = finance.post(url, data={"action": "reissue", "reason": "", "issue_date": "2026-11-05"}, htmx=True)
    assert missing.status_code == 422 and b"<html" not in missing.data
    assert "理由を入力してください" in missing.text and "HX-Request" in missing.headers["Vary"]
    assert notice_status(committed)[0] == "ISSUED"
    early = finance.post(url, data={"action": "reissue", "reason": "誤り", "issue_date": "2026-10-01"}, htmx=True)
    assert early.status_code == 422 and "発行日より前" in early.text
    done = finance.post(url, data={"action": "reissue", "reason": "単価の誤り", "issue_date": "2026-11-05"},
                        htmx=True)
    assert done.status_code == 204
    assert notice_status(committed) == ("CANCELLED", "単価の誤り", finance.user_id)
    (new_id,) = db_row("SELECT id FROM billing_context.purchase_statements WHERE original_statement_id = :s",
                       s=committed)
    assert done.headers["HX-Redirect"].endswith(str(new_id))
    old_page = finance.get(f"/billing/purchases/{committed}")
    assert "単価の誤り" in old_page.text and "PN-2026-000002" in old_page.text
    assert 'id="statement-correction-form"' not in old_page.text
    assert "PN-2026-000001" in finance.get(f"/billing/purchases/{new_id}").text


def test_cancel_without_reissue_and_without_javascript(finance, committed, notice_status):
    done = finance.post(f"/billing/purchases/{committed}/cancel",
                        data={"action": "cancel", "reason": "発行先の誤り", "issue_date": "2026-11-05"})
    assert done.status_code == 303 and done.headers["Location"].endswith(str(committed))
    assert notice_status(committed)[0] == "CANCELLED"


def test_a_paid_notice_offers_no_cancellation_and_refuses_one(finance, committed, admin_engine, notice_status):
    with admin_engine.begin() as conn:
        conn.execute(text("INSERT INTO billing_context.purchase_payments (statement_id, paid_on, amount,"
                          " idempotency_key) VALUES (:s, '2026-11-30', 748000, 'paid')"), {"s": committed})
        conn.execute(text("UPDATE billing_context.purchase_statements SET status = 'PAID', paid_amount = 748000"
                          " WHERE id = :s"), {"s": committed})
    assert 'id="statement-correction-form"' not in finance.get(f"/billing/purchases/{committed}").text
    refused = finance.post(f"/billing/purchases/{committed}/cancel",
                           data={"action": "cancel", "reason": "誤り", "issue_date": "2026-12-01"}, htmx=True)
    assert refused.status_code == 422 and "支払を記録した支払通知書は取り消せません" in refused.text
    assert notice_status(committed)[0] == "PAID"


@pytest.mark.parametrize("role", ["project_manager", "customer", "partner"])
def test_only_finance_cancels(committed, make, login_as, role, notice_status):
    links = {"customer": {"customer_id": make.customer("他社")},
             "partner": {"partner_company_id": make.partner("他社パートナー")}}.get(role, {})
    response = login_as(role, **links).post(f"/billing/purchases/{committed}/cancel",
                                            data={"action": "cancel", "reason": "誤り", "issue_date": "2026-11-05"})
    assert response.status_code in (403, 404)
    assert notice_status(committed)[0] == "ISSUED"
