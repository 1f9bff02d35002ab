"""The month in a browser: the engineer fills the month (one row, then the standard pattern) and
submits; the project manager approves; the customer confirms the work report in its portal.
The engineer does it on a phone-sized screen."""

import os
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import text

from tests.conftest import TEST_PASSWORD
from tests.contracts.factories import Sales, placement
from tests.e2e.conftest import ARTIFACTS, _is_page_error, log_in


def open_page(browser, live_server, errors, **context):
    """A page in a new browser context that records script errors and CSP refusals."""
    ctx = browser.new_context(base_url=live_server, locale="ja-JP", **context)
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_page_error(msg) else None)
    return ctx, page


def snapshot(page, name):
    if os.environ.get("SES_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_engineer_fills_and_submits_manager_approves_customer_confirms(browser, live_server, admin_engine,
                                                                      password_hash, make_user):
    sales = Sales(admin_engine, password_hash)
    pm = make_user("project_manager", email="pm@journey.test", display_name="髙橋 健一")
    today = date.today()
    p = placement(sales, manager_id=pm, start_date=date(today.year, today.month, 1).replace(day=1),
                  end_date=date(today.year + 1, 12, 31), rate_rounding_unit=10)
    make_user("engineer", email="engineer@journey.test", display_name="山﨑 翔太", engineer_id=p.engineer)
    make_user("customer", email="customer@journey.test", display_name="顧客 一郎", customer_id=p.customer)

    errors: list[str] = []
    phone, page = open_page(browser, live_server, errors, viewport={"width": 390, "height": 844})
    page.goto("/login")
    page.fill("#email", "engineer@journey.test")
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    # on a phone the menu starts folded: open it, then the timesheet
    page.locator("label.navbar-toggler").click()
    page.get_by_role("link", name="勤務表").first.click()
    expect(page.locator("h1")).to_contain_text(f"{today.year}年{today.month}月の勤務表")
    # the month's sheet is created by the button (a POST), never by opening a page
    page.get_by_role("button", name="この月の勤務表を作成").click()
    expect(page.locator("#day-1")).to_be_visible()
    # a full page load: htmx (deferred) hooks the rows up at DOMContentLoaded, and a change made
    # before that would never be sent
    page.wait_for_load_state()

    # one row by hand: across midnight, saved on change, totals follow without a reload
    row = page.locator("#day-1")
    row.locator("select[name=kind]").select_option("HOLIDAY_WORK" if not _business(today.replace(day=1)) else "NORMAL")
    row.locator("input[name=start_time]").fill("22:00")
    row.locator("input[name=end_time]").fill("07:00")
    row.locator("input[name=break_minutes]").fill("60")
    row.locator("input[name=break_minutes]").dispatch_event("change")
    expect(page.locator("#day-1 .day-worked")).to_contain_text("8:00")
    expect(page.locator("#total-late")).to_have_text("7:00")

    # then the standard pattern for every business day
    page.locator("summary", has_text="標準の勤務パターン").click()
    page.get_by_role("button", name="営業日にコピー").click()
    expect(page.locator(".alert-success")).to_contain_text("標準の勤務パターンを入力しました")
    snapshot(page, "timesheet-phone")
    page.get_by_role("button", name="提出する").click()
    expect(page.locator("#sheet-status")).to_have_text("提出済み")
    phone.close()

    desk, page = open_page(browser, live_server, errors)
    log_in(page, "pm@journey.test", TEST_PASSWORD)
    page.goto("/timesheets/staff?queue=waiting")
    page.get_by_role("link", name="山﨑 テスト").click()
    page.get_by_role("button", name="承認する").click()
    expect(page.locator("#sheet-status")).to_have_text("当社承認済み")
    snapshot(page, "timesheet-desktop")
    desk.close()

    desk, page = open_page(browser, live_server, errors)
    log_in(page, "customer@journey.test", TEST_PASSWORD)
    page.get_by_role("link", name="作業実績確認").click()
    page.get_by_text("確認をお願いします").click()
    page.get_by_role("button", name="作業実績を確認する").click()
    expect(page.locator(".alert-success")).to_contain_text("作業実績を確認する")
    desk.close()
    with admin_engine.begin() as conn:
        status = conn.execute(text("SELECT status FROM timesheet_context.timesheets WHERE contract_id = :c"),
                              {"c": p.sell}).scalar()
    assert status == "APPROVED"
    assert not errors, errors


def _business(day: date) -> bool:
    from app.core.calendar import is_business_day

    return is_business_day(day)
