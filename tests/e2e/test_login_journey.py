"""The shell: log in, see the role's navigation, switch to English, log out."""

from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_in


def test_admin_logs_in_switches_language_and_logs_out(page, make_user):
    make_user("admin", email="boss@test.example", display_name="管理 花子")
    log_in(page, "boss@test.example", TEST_PASSWORD)
    expect(page.locator(".user-badge")).to_contain_text("管理 花子")
    expect(page.get_by_role("link", name="ユーザー管理")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="User administration")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("h1")).to_have_text("Log in to the SES management system")


def test_wrong_password_shows_the_error_next_to_the_field(page, make_user):
    make_user("admin", email="boss@test.example")
    page.goto("/login")
    page.fill("#email", "boss@test.example")
    page.fill("#password", "wrong password")
    page.click("main button[type=submit]")
    expect(page.locator("#password-errors")).to_contain_text("正しくありません")
