"""The finance pages through the test client: full page vs htmx fragment, 422 with field
errors, payments, corrections, the run page with its background job, settings and exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import text


@pytest.fixture
def finance(issued, login_as):
    return login_as("finance")


def test_the_list_is_a_page_or_a_fragment(finance, issued):
    page = finance.get("/billing/")
    assert page.status_code == 200 and b"<html" in page.data and "INV-2026-000001" in page.text
    fragment = finance.get("/billing/?q=INV", htmx=True)
    assert fragment.status_code == 200 and b"<html" not in fragment.data and "INV-2026-000001" in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_list_counts_only_up_to_its_limit(finance, issued, monkeypatch):
    from dataclasses import replace

    from app.billing import queries

    assert "1件中 1–1件" in finance.get("/billing/", htmx=True).text
    search = queries.search_invoices
    monkeypatch.setattr(queries, "search_invoices", lambda f, s: replace(search(f, s), total=1000, more=True))
    text = finance.get("/billing/", htmx=True).text
    assert "1,000件以上のうち 1–25件" in text and "INV-2026-000001" in text and "…" in text


@pytest.mark.parametrize("query, found", [
    ("q=さくら", True), ("q=他社", False), ("amount_min=880000&amount_max=880000", True),
    ("amount_min=880001", False), ("date_from=2026-10-31&date_to=2026-10-31", True),
    ("date_from=2026-11-01", False), ("q=さくら&amount_max=1,000,000&date_to=2026-12-31", True),
    ("q=さくら&amount_max=800000", False), ("month=2026-10", True), ("status=PAID", False)])
def test_search_by_date_amount_and_counterparty_combined(finance, issued, query, found):
    response = finance.get(f"/billing/?{query}", htmx=True)
    assert response.status_code == 200
    assert ("INV-2026-000001" in response.text) is found


@pytest.mark.parametrize("query, message", [
    ("amount_min=abc", "金額は半角数字"), ("date_from=2026-13-01", "日付はYYYY-MM-DD"),
    ("amount_min=2&amount_max=1", "上限が下限より小さく"), ("month=2026/10", "YYYY-MM")])
def test_bad_search_input_answers_422_with_the_message(finance, issued, query, message):
    response = finance.get(f"/billing/?{query}")
    assert response.status_code == 422 and message in response.text


def test_detail_and_pdf(finance, issued, db_row):
    detail = finance.get(f"/billing/invoices/{issued.invoice.id}")
    assert detail.status_code == 200 and "山﨑 翔太" in detail.text and "¥880,000" in detail.text
    pdf = finance.get(f"/billing/invoices/{issued.invoice.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    (stored,) = db_row("SELECT pdf_sha256 FROM billing_context.invoices")
    assert stored and stored in finance.get(f"/billing/invoices/{issued.invoice.id}").text


def test_a_partial_payment_through_the_form_once(finance, issued, db_row):
    url = f"/billing/invoices/{issued.invoice.id}/payments"
    form = {"paid_on": "2026-11-20", "received": "500,000", "fee": "0", "method": "BANK_TRANSFER",
            "idempotency_key": "form-1"}
    first = finance.post(url, data=form, htmx=True)
    assert first.status_code == 204 and first.headers["HX-Redirect"].endswith(str(issued.invoice.id))
    again = finance.post(url, data=form, htmx=True)
    assert again.status_code == 204
    assert tuple(db_row("SELECT status, paid_amount FROM billing_context.invoices")) == ("PARTIALLY_PAID", 500_000)
    assert db_row("SELECT count(*) FROM billing_context.invoice_payments")[0] == 1


@pytest.mark.parametrize("form, message", [
    ({"paid_on": "", "received": "1000"}, "入金日を入力してください"),
    ({"paid_on": "2026-11-20", "received": "abc"}, "金額は半角数字"),
    ({"paid_on": "2026-11-31", "received": "1000"}, "日付はYYYY-MM-DD"),
    ({"paid_on": "2026-10-01", "received": "1000"}, "入金日が請求日より前"),
    ({"paid_on": "2026-11-20", "received": "1000", "fee": "880001"}, "手数料が未入金額を超えて")])
def test_bad_payments_answer_422_next_to_the_field(finance, issued, form, message, db_row):
    response = finance.post(f"/billing/invoices/{issued.invoice.id}/payments",
                            data={"method": "BANK_TRANSFER", "idempotency_key": "k", **form}, htmx=True)
    assert response.status_code == 422 and message in response.text and b"<html" not in response.data
    assert db_row("SELECT count(*) FROM billing_context.invoice_payments")[0] == 0


def test_cancel_with_a_credit_note_from_the_form(finance, issued, db_row):
    url = f"/billing/invoices/{issued.invoice.id}/correct"
    assert finance.get(url).status_code == 200
    missing = finance.post(url, data={"action": "cancel", "reason": "", "issue_date": "2026-11-26"}, htmx=True)
    assert missing.status_code == 422 and "理由を入力してください" in missing.text
    done = finance.post(url, data={"action": "cancel", "reason": "宛先誤り", "issue_date": "2026-11-26"}, htmx=True)
    assert done.status_code == 204
    assert db_row("SELECT status FROM billing_context.invoices WHERE id = :i", i=issued.invoice.id)[0] == "CANCELLED"


def test_the_run_page_previews_then_runs_in_the_background(sold, make, login_as, run_jobs, db_row):
    finance = login_as("finance")
    make.closed_month(sold.contract, 2026, 10, 190 * 60 + 30)
    preview = finance.get("/billing/runs?month=2026-10", htmx=True)
    assert preview.status_code == 200 and "¥846,620" in preview.text and b"<html" not in preview.data
    started = finance.post("/billing/runs", data={"month": "2026-10", "issue_date": ""}, htmx=True)
    assert started.status_code == 204
    run_url = started.headers["HX-Redirect"]
    waiting = finance.get(run_url, htmx=True)
    assert 'hx-trigger="every 1s"' in waiting.text and "待機中" in waiting.text
    run_jobs(["billing"])
    finished = finance.get(run_url, htmx=True)
    assert "完了" in finished.text and "every 1s" not in finished.text
    run = db_row("SELECT status, invoices_created, pdfs_done, requested_by FROM billing_context.invoice_runs")
    assert tuple(run) == ("SUCCEEDED", 1, 1, finance.user_id)


def test_a_bad_month_cannot_be_run(finance, issued):
    response = finance.post("/billing/runs", data={"month": "2026-13"}, htmx=True)
    assert response.status_code == 422 and "YYYY-MM" in response.text


def test_extras_are_registered_for_a_month(finance, issued):
    bad = finance.post("/billing/extras", data={"contract_id": "", "month": "2026-11", "description": "交通費",
                                                "amount": "12,340", "tax_rate_percent": "10"}, htmx=True)
    assert bad.status_code == 422 and "契約を選択してください" in bad.text
    good = finance.post("/billing/extras", data={"contract_id": str(issued.contract), "month": "2026-11",
                                                 "description": "交通費", "amount": "12,340",
                                                 "tax_rate_percent": "10"}, htmx=True)
    assert good.status_code == 204
    assert "交通費" in finance.get("/billing/runs?month=2026-11").text


@pytest.mark.parametrize("number, message", [
    ("T1123456789012", "チェックデジット"), ("7123456789012x", "13桁")])
def test_settings_check_the_registration_number(finance, issued, number, message):
    response = finance.post("/billing/settings", data=_issuer_form(registration_number=number), htmx=True)
    assert response.status_code == 422 and message in response.text


def test_settings_save_and_a_seal_must_be_png(finance, issued, db_row):
    (version,) = db_row("SELECT version FROM billing_context.issuers")
    form = _issuer_form(version=str(version), registration_number="ｔ7123456789012")
    bad = finance.post("/billing/settings", data={**form, "seal": (io.BytesIO(b"GIF89a"), "seal.gif")},
                       content_type="multipart/form-data", htmx=True)
    assert bad.status_code == 422 and "PNG" in bad.text
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    ok = finance.post("/billing/settings", data={**form, "seal": (io.BytesIO(png), "seal.png")},
                      content_type="multipart/form-data", htmx=True)
    assert ok.status_code == 204
    row = db_row("SELECT registration_number, seal_image FROM billing_context.issuers")
    assert row.registration_number == "T7123456789012" and bytes(row.seal_image) == png


def _issuer_form(**values) -> dict:
    return {"name": "株式会社テストSES", "registration_number": "T4011001098993", "postal_code": "100-0001",
            "address": "東京都千代田区1-1", "bank_name": "みずほ銀行", "bank_branch": "東京営業部",
            "bank_account_type": "ORDINARY", "bank_account_number": "1234567",
            "bank_account_holder_kana": "カ）テストエスイーエス", "tax_rounding": "FLOOR",
            "invoice_number_prefix": "INV", **values}


def _csv(response, encoding="cp932"):
    return list(csv.reader(io.StringIO(response.data.decode(encoding).lstrip("\ufeff"))))


def test_exports(finance, issued):
    yayoi = finance.get("/billing/exports?month=2026-10&format=yayoi&encoding=cp932")
    rows = _csv(yayoi)
    assert yayoi.status_code == 200 and "shift_jis" in yayoi.headers["Content-Type"]
    assert [r[0] for r in rows] == ["2110", "2101"] and len(rows[0]) == 25
    assert rows[0][4:9] == ["売掛金", "株式会社さくら商事", "", "", "880000"]
    assert rows[0][10] == "売上高" and rows[1][10] == "仮受消費税" and rows[1][8] == "0"
    mf = _csv(finance.get("/billing/exports?month=2026-10&format=moneyforward&encoding=utf-8"), "utf-8")
    assert mf[0][:2] == ["取引No", "取引日"] and mf[1][1] == "2026/10/31" and mf[1][2] == "売掛金"
    freee = _csv(finance.get("/billing/exports?month=2026-10&format=freee"))
    assert freee[0][:3] == ["収支区分", "管理番号", "発生日"]
    assert freee[1][:8] == ["収入", "INV-2026-000001", "2026/10/31", "2026/11/30", "株式会社さくら商事", "売上高",
                            "課税売上10%", "880000"]
    invoices = _csv(finance.get("/billing/exports?month=2026-10&format=invoices"))
    assert invoices[1][0] == "INV-2026-000001" and invoices[1][8:10] == ["800000", "80000"]
    lines = _csv(finance.get("/billing/exports?month=2026-10&format=lines"))
    assert lines[1][5] == "山﨑 翔太" and lines[1][9] == "160.00" and lines[1][12] == "800000"
    bad = finance.get("/billing/exports?month=10-2026&format=yayoi&encoding=cp932")
    assert bad.status_code == 422


def test_receivables_show_open_and_overdue(finance, issued, admin_engine):
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE billing_context.invoices SET status = 'OVERDUE'"))
    page = finance.get("/billing/receivables")
    assert page.status_code == 200 and "INV-2026-000001" in page.text and "延滞" in page.text


@pytest.mark.parametrize("role", ["customer", "engineer", "project_manager", "partner"])
def test_finance_pages_are_not_for_other_roles(issued, login_as, make, role):
    links = {"customer": {"customer_id": issued.customer}, "engineer": {"engineer_id": issued.engineer},
             "partner": {"partner_company_id": make.partner()}}.get(role, {})
    client = login_as(role, **links)
    for url in ("/billing/", "/billing/runs", "/billing/settings", f"/billing/invoices/{issued.invoice.id}"):
        assert client.get(url).status_code == 403, url


def test_navigation_has_the_billing_entries(finance):
    page = finance.get("/billing/").text
    for label in ("請求書", "月次請求処理", "入金消込", "支払通知書", "会計連携", "請求元設定"):
        assert re.search(rf">\s*{label}\s*<", page), label

