"""The invoice PDF carries every field of a qualified invoice (checked through pdftotext), its
names in the shipped font, and is stored once with its SHA-256."""

from __future__ import annotations

import hashlib
import io
import subprocess
import zipfile
from datetime import date

import pytest
from sqlalchemy import text

from app.billing.models import Invoice
from app.billing.pdfs import render_invoice_pdf, store_invoice_pdf, zip_of
from app.billing.run import bill_customer
from app.core.calendar import BusinessCalendar
from app.extensions import db


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def test_every_qualified_invoice_field_is_printed(system, issued, tmp_path):
    data = render_invoice_pdf(issued.invoice)
    content = pdf_text(data)
    for expected in ("請求書", "INV-2026-000001", "株式会社テストSES", "登録番号: T4011001098993",
                     "株式会社さくら商事", "御中", "2026年10月分", "2026年10月1日〜2026年10月31日",
                     "発行日", "2026年10月31日", "お支払期限", "2026年11月30日",
                     "10%対象", "¥800,000", "消費税（10%）", "¥80,000", "¥880,000",
                     "山﨑 翔太", "160.00h", "精算幅 140.00h〜180.00h",
                     "みずほ銀行 東京営業部 普通 1234567", "カ）テストエスイーエス", "切り捨て"):
        assert expected in content, expected
    fonts = pdf_fonts(data, tmp_path)
    embedded = fonts.splitlines()[2:]
    assert embedded and all("Noto-Sans-JP" in line for line in embedded), fonts   # no fallback font


def test_names_with_rare_kanji_come_out_right(system, make, tmp_path):
    make.issuer(name="髙﨑システム株式会社")
    customer = make.customer("株式会社髙島屋商事")
    contract = make.contract(customer, make.engineer("髙橋 﨑太郎"))
    make.closed_month(contract, 2026, 10, 160 * 60)
    (invoice,) = bill_customer(customer, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))
    content = pdf_text(render_invoice_pdf(invoice))
    for name in ("髙﨑システム株式会社", "株式会社髙島屋商事", "髙橋 﨑太郎"):
        assert name in content


def test_the_work_report_is_attached_when_the_customer_wants_it(system, make):
    make.issuer()
    customer = make.customer(attach_work_report=True)
    contract = make.contract(customer, make.engineer("山田 花子"))
    make.closed_month(contract, 2026, 10, 3 * 480, daily={1: 480, 2: 480, 5: 480})
    (invoice,) = bill_customer(customer, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))
    content = pdf_text(render_invoice_pdf(invoice))
    assert "作業実績報告書（2026年10月分）" in content
    assert "2026/10/05（月）" in content and "8:00" in content
    assert content.count("\f") >= 2     # a second part on its own page


def test_the_pdf_is_stored_with_its_hash_once(system, issued):
    invoice = Invoice.get(issued.invoice.id)
    data = store_invoice_pdf(invoice)
    db.session.commit()
    stored = db.session.execute(text(
        "SELECT pdf_sha256, encode(sha256(pdf), 'hex') FROM billing_context.invoices WHERE id = :i"),
        {"i": invoice.id}).one()
    assert stored[0] == stored[1] == hashlib.sha256(data).hexdigest()
    assert store_invoice_pdf(invoice) == data        # kept as it is, not rendered again


def test_a_month_of_pdfs_as_one_zip(system, issued):
    invoice = Invoice.get(issued.invoice.id)
    archive = zipfile.ZipFile(io.BytesIO(zip_of([invoice])))
    (name,) = archive.namelist()
    assert name == "請求書_INV-2026-000001_株式会社さくら商事.pdf"
    assert archive.read(name).startswith(b"%PDF")


@pytest.mark.parametrize("honorific", ["様"])
def test_a_person_is_addressed_with_sama(system, make, honorific):
    make.issuer()
    customer = make.customer("佐藤 一郎", honorific=honorific)
    contract = make.contract(customer, make.engineer())
    make.closed_month(contract, 2026, 10, 160 * 60)
    (invoice,) = bill_customer(customer, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))
    content = pdf_text(render_invoice_pdf(invoice))
    assert "佐藤 一郎 様" in content and "御中" not in content
