"""Login, logout, sessions, CSRF, throttling, navigation and error pages through the test client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.conftest import TEST_PASSWORD


def _login(client, email, password=TEST_PASSWORD, **kw):
    return client.post("/login", data={"email": email, "password": password}, **kw)


def test_login_page_renders_in_japanese(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "SES管理システムにログイン" in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_login_and_logout(client, make_user, admin_engine):
    make_user("finance", email="keiri@test.example")
    response = _login(client, "keiri@test.example")
    assert response.status_code == 303
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert "テスト finance" in home.text
    response = client.post("/logout")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert client.get("/").status_code == 302
    with admin_engine.connect() as conn:
        open_sessions = conn.execute(text(
            "SELECT count(*) FROM platform.user_sessions WHERE revoked_at IS NULL")).scalar()
    assert open_sessions == 0


def test_the_session_cookie_is_rotated_at_login(client, make_user):
    make_user("admin", email="a@test.example")
    client.get("/login")
    before = client.get_cookie("ses_session").value
    _login(client, "a@test.example")
    after = client.get_cookie("ses_session").value
    assert before != after
    cookie = client.get_cookie("ses_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_wrong_password_is_422_with_the_error_next_to_the_field(client, make_user):
    make_user("admin", email="a@test.example")
    response = _login(client, "a@test.example", "wrong-password")
    assert response.status_code == 422
    assert re.search(r'id="password-errors"[^>]*>\s*<div>メールアドレスまたはパスワードが正しくありません。', response.text)


def test_empty_form_is_422_with_field_errors(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "メールアドレスを入力してください。" in response.text
    assert "パスワードを入力してください。" in response.text


def test_unknown_email_gets_the_same_answer(client):
    response = _login(client, "nobody@test.example", "whatever-password")
    assert response.status_code == 422
    assert "メールアドレスまたはパスワードが正しくありません。" in response.text


def test_csrf_token_is_required(client, make_user):
    make_user("admin", email="a@test.example")
    response = client.post("/login", data={"email": "a@test.example", "password": TEST_PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "セキュリティトークン" in response.text


def test_logout_without_csrf_is_refused(login_as):
    client = login_as("admin")
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/").status_code in (200, 302)   # still logged in
    assert "ログアウト" in client.get("/", follow_redirects=True).text


def test_login_is_throttled_after_repeated_failures(client, make_user, app):
    make_user("admin", email="a@test.example")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert _login(client, "a@test.example", "wrong-password").status_code == 422
    response = _login(client, "a@test.example")     # even the right password
    assert response.status_code == 429
    assert "一時的にロック" in response.text


def test_throttling_per_address(client, app):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for i in range(limit):
        _login(client, f"user{i}@test.example", "wrong-password")
    assert _login(client, "another@test.example", "wrong-password").status_code == 429


def test_navigation_depends_on_the_role(login_as):
    admin_page = login_as("admin").get("/", follow_redirects=True).text
    assert 'href="/admin/users"' in admin_page
    finance_page = login_as("finance").get("/", follow_redirects=True).text
    assert 'href="/admin/users"' not in finance_page


def test_admin_pages_are_forbidden_to_other_roles(login_as):
    response = login_as("finance").get("/admin/users")
    assert response.status_code == 403
    assert "この操作を行う権限がありません。" in response.text


def test_anonymous_htmx_request_is_sent_to_the_login_page(client):
    response = client.get("/admin/users", htmx=True)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")
    assert "<form" not in response.text


def test_errors_are_fragments_for_htmx_and_pages_otherwise(login_as):
    client = login_as("admin")
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "<html" in page.text and "ページが見つかりません" in page.text
    fragment = client.get("/no/such/page", htmx=True)
    assert fragment.status_code == 404 and "<html" not in fragment.text
    assert fragment.headers["HX-Retarget"] == "#flash-messages"


def test_a_disabled_user_loses_their_session(login_as, admin_engine):
    client = login_as("finance")
    assert client.get("/", follow_redirects=True).status_code == 200
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE platform.users SET is_active = false WHERE id = :u"), {"u": client.user_id})
    assert client.get("/").status_code == 302


def test_idle_sessions_expire(login_as, admin_engine, app):
    client = login_as("finance")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE platform.user_sessions SET last_seen_at = now() - :idle - interval '1 minute'"),
                     {"idle": app.config["SESSION_IDLE_TIMEOUT"]})
    assert client.get("/").status_code == 302


def test_absolute_timeout_ends_even_an_active_session(login_as, admin_engine):
    client = login_as("finance")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE platform.user_sessions SET expires_at = now() - interval '1 second'"))
    assert client.get("/").status_code == 302


def test_next_parameter_cannot_redirect_off_site(client, make_user):
    make_user("admin", email="a@test.example")
    response = client.post("/login?next=https://evil.example/", data={"email": "a@test.example",
                                                                        "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_security_headers(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in headers["Strict-Transport-Security"]
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("locale, text_", [("en", "Log in to the SES management system"),
                                           ("ja", "SES管理システムにログイン")])
def test_language_switch(client, locale, text_):
    response = client.post("/locale", data={"locale": locale, "next": "/login"})
    assert response.status_code == 303
    assert text_ in client.get("/login").text


def test_unknown_language_is_refused(client):
    assert client.post("/locale", data={"locale": "fr"}).status_code == 400


def test_background_polling_does_not_keep_an_idle_session_alive(login_as, admin_engine):
    client = login_as("finance")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE platform.user_sessions SET last_seen_at = now() - interval '30 minutes'"))

    def minutes_idle():
        with admin_engine.connect() as conn:
            return conn.execute(text(
                "SELECT extract(epoch FROM now() - last_seen_at) / 60 FROM platform.user_sessions")).scalar()

    assert client.get("/", headers={"X-SES-Background": "1"}).status_code in (200, 302)
    assert minutes_idle() >= 29                    # the bell's poll is not activity
    client.get("/")
    assert minutes_idle() < 1                      # a page the user opened is



def test_a_request_within_a_minute_of_the_last_writes_nothing_and_switches_role_once(login_as, admin_engine):
    """The session lookup is read-only unless last_seen_at is more than a minute old, and the
    page's work goes on in the lookup's transaction: one role switch, no write, no second begin."""
    from tests.querycount import count_queries

    client = login_as("finance")

    def session_row():
        with admin_engine.connect() as conn:
            return conn.execute(text("SELECT last_seen_at, version, xmin::text FROM platform.user_sessions")).one()

    before = session_row()
    with count_queries() as statements:
        assert client.get("/billing/").status_code == 200
    assert session_row() == before
    assert sum("set_config('role'" in s for s in statements) == 1
    assert "resolve_session" in statements[0] and "set_config('role'" in statements[0]   # one statement
