"""More pages: payment notices and paying a partner, issuer set-up from scratch and its
optimistic lock, the seal on the PDF, receivables with credit."""

from __future__ import annotations

import struct
import subprocess
import zlib
from datetime import date

import pytest
from sqlalchemy import text

from app.billing.purchases import bill_partner
from app.core.calendar import BusinessCalendar
from app.core.identity import SYSTEM, acting_as
from app.extensions import db


def png(width: int = 8, height: int = 8) -> bytes:
    """A small red square, as a real PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xcc\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def notice(app, make):
    make.issuer()
    partner = make.partner(registration_number=None, subcontract_act_covered=True)
    customer = make.customer()
    engineer = make.engineer("髙橋 健一", partner_id=partner)
    sell = make.contract(customer, engineer)
    make.buy_contract(sell, partner, engineer, customer, monthly_price=680_000)
    make.closed_month(sell, 2026, 9, 160 * 60)
    with acting_as(SYSTEM):
        (statement,) = bill_partner(partner, 2026, 9, calendar=BusinessCalendar(), issue_date=date(2026, 9, 30))
        statement_id = statement.id
        db.session.commit()
    return statement_id


def test_payment_notices_list_detail_and_pdf(notice, login_as):
    finance = login_as("finance")
    listing = finance.get("/billing/purchases?month=2026-09")
    assert listing.status_code == 200 and "PN-2026-000001" in listing.text and "免税" in listing.text
    assert finance.get("/billing/purchases?month=bad").status_code == 422
    detail = finance.get(f"/billing/purchases/{notice}")
    assert detail.status_code == 200 and "¥748,000" in detail.text and "80%" in detail.text
    pdf = finance.get(f"/billing/purchases/{notice}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    content = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True).stdout.decode()
    assert "支払通知書" in content and "PN-2026-000001" in content and "髙橋 健一" in content


def test_paying_a_covered_partner_never_deducts_the_fee(notice, login_as, admin_engine):
    finance = login_as("finance")
    url = f"/billing/purchases/{notice}/payments"
    refused = finance.post(url, data={"paid_on": "2026-10-30", "amount": "747,560", "fee": "440",
                                      "fee_borne_by": "PARTNER", "idempotency_key": "pp"}, htmx=True)
    assert refused.status_code == 422 and "振込手数料を差し引くことはできません" in refused.text
    paid = finance.post(url, data={"paid_on": "2026-10-30", "amount": "748,000", "fee": "440",
                                   "fee_borne_by": "US", "idempotency_key": "pp"}, htmx=True)
    assert paid.status_code == 204
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM billing_context.purchase_statements")).scalar() == "PAID"


def test_the_issuer_is_set_up_from_scratch_and_an_old_form_is_refused(app, login_as, admin_engine):
    finance = login_as("finance")
    assert "会社名" in finance.get("/billing/settings").text
    form = {"name": "株式会社テストSES", "registration_number": "T4011001098993", "address": "東京都千代田区1-1",
            "bank_name": "みずほ銀行", "bank_branch": "東京営業部", "bank_account_type": "ORDINARY",
            "bank_account_number": "1234567", "bank_account_holder_kana": "カ）テスト", "tax_rounding": "HALF_UP",
            "invoice_number_prefix": "TS"}
    assert finance.post("/billing/settings", data=form, htmx=True).status_code == 204
    with admin_engine.connect() as conn:
        row = conn.execute(text("SELECT tax_rounding, version, is_default FROM billing_context.issuers")).one()
    assert (row.tax_rounding, row.is_default) == ("HALF_UP", True)
    stale = finance.post("/billing/settings", data={**form, "version": str(row.version - 1 or 99)}, htmx=True)
    assert stale.status_code == 409


def test_the_seal_is_printed_on_the_invoice(issued, admin_engine, tmp_path):
    from app.billing.models import Invoice
    from app.billing.pdfs import render_invoice_pdf

    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE billing_context.issuers SET seal_image = :p"), {"p": png()})
    with acting_as(SYSTEM):
        data = render_invoice_pdf(Invoice.get(issued.invoice.id))
        db.session.rollback()
    path = tmp_path / "seal.pdf"
    path.write_bytes(data)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    assert len(images.splitlines()) == 3        # header, rule, the seal


def test_receivables_show_credit_balances(issued, login_as):
    from app.billing.models import Invoice
    from app.billing.payments import record_payment

    with acting_as(SYSTEM):
        record_payment(Invoice.get(issued.invoice.id), paid_on=date(2026, 11, 20), received=890_000,
                       idempotency_key="over")
        db.session.commit()
    page = login_as("finance").get("/billing/receivables")
    assert "預り金（前受金）残高" in page.text and "¥10,000" in page.text
