"""Billing in a browser: finance runs October (the background job runs meanwhile), opens the
invoice and its PDF, records a partial payment; the customer then downloads the invoice from
its portal, on a phone-sized screen."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.billing.factories import Factory
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.e2e.test_timesheet_journey import open_page


def test_finance_runs_the_month_and_the_customer_downloads_the_invoice(
        page, browser, live_server, admin_engine, make_user, run_jobs):
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        make = Factory(conn)
        make.issuer(name="株式会社テストSES")
        customer = make.customer("株式会社さくら商事")
        contract = make.contract(customer, make.engineer("山﨑 翔太"))
        make.closed_month(contract, 2026, 10, 190 * 60 + 30)
    make_user("finance", email="finance@journey.test", display_name="経理 美咲")
    make_user("customer", email="customer@journey.test", display_name="顧客 一郎", customer_id=customer)

    log_in(page, "finance@journey.test", TEST_PASSWORD)
    page.get_by_role("link", name="月次請求処理").click()
    page.wait_for_load_state()      # htmx hooks the form up at DOMContentLoaded
    page.fill("#preview-month", "2026-10")
    page.locator("#preview-month").dispatch_event("change")
    expect(page.locator("#preview-table")).to_contain_text("¥846,620")
    page.fill("#run-form #month", "2026-10")
    page.get_by_role("button", name="請求処理を実行").click()
    expect(page.locator("#run-status")).to_have_text("待機中")
    run_jobs(["billing"])                         # the worker picks the run up
    expect(page.locator("#run-status")).to_have_text("完了", timeout=15_000)   # the page polls
    expect(page.locator("#invoices-created")).to_have_text("1")

    page.get_by_role("link", name="発行した請求書を見る").click()
    page.get_by_role("link", name="INV-2026-000001").click()
    expect(page.locator("h1")).to_contain_text("INV-2026-000001")
    pdf_url = page.get_by_role("link", name="PDFを表示").get_attribute("href")
    pdf = page.request.get(pdf_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    page.fill("#payment-form #received", "500,000")
    page.get_by_role("button", name="入金を記録").click()
    expect(page.locator("#invoice-status")).to_have_text("一部入金")
    expect(page.locator("#open-amount")).to_have_text("¥431,282")

    errors: list[str] = []
    phone, customer_page = open_page(browser, live_server, errors, viewport={"width": 390, "height": 844})
    log_in(customer_page, "customer@journey.test", TEST_PASSWORD)
    customer_page.goto("/billing/portal")
    row = customer_page.locator("#portal-invoices tbody tr").first
    expect(row).to_contain_text("INV-2026-000001")
    expect(row).to_contain_text("一部入金")
    with customer_page.expect_download() as download:
        row.get_by_role("link", name="ダウンロード").click()
    assert download.value.suggested_filename.endswith(".pdf")
    phone.close()
    assert not errors, errors
