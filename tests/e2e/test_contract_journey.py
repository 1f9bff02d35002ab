"""A contract in a browser: the manager checks the settlement of both sides as they type hours,
issues the document and signs for us; the customer signs in its portal; it is concluded."""

from playwright.sync_api import expect
from sqlalchemy import text

from tests.conftest import TEST_PASSWORD
from tests.contracts.factories import Sales, placement
from tests.e2e.conftest import log_in
from tests.e2e.test_timesheet_journey import open_page, snapshot


def test_manager_previews_issues_and_signs_then_the_customer_signs(browser, live_server, admin_engine,
                                                                   password_hash, make_user):
    sales = Sales(admin_engine, password_hash)
    pm = make_user("project_manager", email="pm@contract.test", display_name="営業 花子")
    p = placement(sales, partner=True, manager_id=pm, status="DRAFT", responsible_person="営業 花子")
    make_user("customer", email="customer@contract.test", display_name="顧客 一郎", customer_id=p.customer)
    errors: list[str] = []

    desk, page = open_page(browser, live_server, errors)
    log_in(page, "pm@contract.test", TEST_PASSWORD)
    page.goto(f"/contracts/{p.sell}")
    page.fill("#preview-hours", "190.5")
    expect(page.locator("#settlement-table")).to_contain_text("¥846,620")
    expect(page.locator("#preview-margin")).to_contain_text("¥121,995")
    page.fill("#preview-hours", "130")
    expect(page.locator("#settlement-table")).to_contain_text("¥742,900")
    snapshot(page, "contract-detail")
    page.get_by_role("button", name="契約書を確定して署名依頼").click()
    expect(page.locator(".alert-success")).to_contain_text("署名依頼")
    page.fill("#signer_title", "営業部長")
    page.get_by_role("button", name="契約書の内容を確認し、当社として署名する").click()
    expect(page.locator(".alert-success")).to_contain_text("相手方の署名をお待ちください")
    desk.close()

    desk, page = open_page(browser, live_server, errors)
    log_in(page, "customer@contract.test", TEST_PASSWORD)
    page.get_by_role("link", name="契約・電子署名").click()
    page.get_by_text("署名をお願いします").click()
    page.fill("#signer_title", "情報システム部 部長")
    page.get_by_role("button", name="契約書の内容に同意して署名する").click()
    expect(page.locator(".alert-success")).to_contain_text("契約が締結されました")
    page.get_by_role("button", name="ハッシュ値を検証").click()
    expect(page.locator("#verification")).to_contain_text("一致し")
    desk.close()
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT status FROM contract_context.contracts WHERE id = :c"),
                            {"c": p.sell}).scalar() == "CONCLUDED"
    assert not errors, errors
