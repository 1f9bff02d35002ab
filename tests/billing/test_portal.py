"""The customer portal: a customer sees its own issued invoices and their PDFs, and another
customer's invoice answers 404 -- row level security decides, not the route."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from app.billing.pdfs import store_invoice_pdf
from app.billing.run import bill_customer
from app.core.calendar import BusinessCalendar
from app.core.identity import SYSTEM, acting_as
from app.extensions import db


@pytest.fixture
def two_customers(app, make):
    make.issuer()
    ids = {}
    for name in ("株式会社さくら商事", "二号システム株式会社"):
        customer = make.customer(name)
        make.closed_month(make.contract(customer, make.engineer()), 2026, 10, 160 * 60)
        with acting_as(SYSTEM):
            (invoice,) = bill_customer(customer, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))
            store_invoice_pdf(invoice)
            ids[name] = (customer, invoice.id)
            db.session.commit()
    return ids


@pytest.fixture
def sakura(two_customers, login_as):
    customer, _ = two_customers["株式会社さくら商事"]
    return login_as("customer", customer_id=customer)


def test_the_customer_lists_its_own_invoices(sakura, two_customers):
    page = sakura.get("/billing/portal")
    assert page.status_code == 200
    assert "INV-2026-000001" in page.text and "INV-2026-000002" not in page.text
    assert "請求書" in page.text and "¥880,000" in page.text


def test_the_customer_opens_and_downloads_its_invoice(sakura, two_customers):
    _, own = two_customers["株式会社さくら商事"]
    assert sakura.get(f"/billing/portal/invoices/{own}").status_code == 200
    pdf = sakura.get(f"/billing/portal/invoices/{own}/pdf?download=1")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment")


def test_another_customers_invoice_is_not_found(sakura, two_customers):
    _, other = two_customers["二号システム株式会社"]
    for url in (f"/billing/portal/invoices/{other}", f"/billing/portal/invoices/{other}/pdf"):
        response = sakura.get(url)
        assert response.status_code == 404, url
        assert "二号システム" not in response.text


def test_the_month_zip_holds_only_the_customers_own_pdfs(sakura, two_customers):
    response = sakura.get("/billing/portal/invoices.zip?month=2026-10")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names == ["請求書_INV-2026-000001_株式会社さくら商事.pdf"]


def test_a_month_without_invoices_has_no_zip(sakura, two_customers):
    assert sakura.get("/billing/portal/invoices.zip?month=2026-09").status_code == 404
    assert sakura.get("/billing/portal/invoices.zip?month=bad").status_code == 400


def test_a_customer_has_no_finance_page_and_the_portal_is_its_menu(sakura):
    assert sakura.get("/billing/").status_code == 403
    home = sakura.get("/billing/portal").text
    assert 'href="/billing/portal"' in home


def test_the_partner_sees_its_payment_notices(app, make, login_as):
    from app.billing.purchases import bill_partner

    make.issuer()
    partner = make.partner(registration_number="T7123456789012")
    other = make.partner("別パートナー")
    customer = make.customer()
    for p in (partner, other):
        engineer = make.engineer(partner_id=p)
        sell = make.contract(customer, engineer)
        make.buy_contract(sell, p, engineer, customer, monthly_price=600_000)
        make.closed_month(sell, 2026, 10, 160 * 60)
    with acting_as(SYSTEM):
        statements = {p: bill_partner(p, 2026, 10, calendar=BusinessCalendar(), issue_date=date(2026, 10, 31))[0]
                      for p in (partner, other)}
        numbers = {p: s.statement_number for p, s in statements.items()}
        ids = {p: s.id for p, s in statements.items()}
        db.session.commit()
    client = login_as("partner", partner_company_id=partner)
    page = client.get("/billing/partner")
    assert numbers[partner] in page.text and numbers[other] not in page.text
    assert client.get(f"/billing/partner/statements/{ids[other]}/pdf").status_code == 404


@pytest.fixture
def busy_customer(app, make, login_as):
    """A customer billed per contract: 26 invoices for October, one for September."""
    make.issuer()
    customer = make.customer("株式会社たくさん商事", invoice_grouping="PER_CONTRACT")
    contracts = [make.contract(customer, make.engineer(f"技術者 {n:02d}")) for n in range(26)]
    for contract in contracts:
        make.closed_month(contract, 2026, 10, 160 * 60)
    make.closed_month(contracts[0], 2026, 9, 160 * 60)
    with acting_as(SYSTEM):
        for month in (9, 10):
            bill_customer(customer, 2026, month, calendar=BusinessCalendar(), issue_date=date(2026, month, 28))
        db.session.commit()
    return login_as("customer", customer_id=customer)


def test_the_portal_lists_25_invoices_a_page_newest_first(busy_customer):
    first = busy_customer.get("/billing/portal")
    assert first.status_code == 200
    assert first.text.count("年10月分") == 25 and "年9月分" not in first.text
    assert "27件中 1–25件" in first.text
    second = busy_customer.get("/billing/portal?page=2", htmx=True)
    assert second.status_code == 200 and "<html" not in second.text
    assert second.text.count("年10月分") == 1 and second.text.count("年9月分") == 1


def test_the_zip_links_are_the_months_of_every_page(busy_customer):
    page = busy_customer.get("/billing/portal").text       # September is only on page 2
    assert "month=2026-10" in page and "month=2026-09" in page
