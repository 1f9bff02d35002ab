"""Sessions beyond tests/auth/test_login.py: a stolen cookie is worthless after logout or a
change to the user, the CSRF token belongs to its session, cookies carry their flags."""

from __future__ import annotations

import re

from sqlalchemy import text

from tests.conftest import TEST_PASSWORD


def _login(client, email):
    return client.post("/login", data={"email": email, "password": TEST_PASSWORD})


def _logged_in(client) -> bool:
    response = client.get("/admin/users")
    return response.status_code != 302


def test_a_cookie_copied_before_logout_is_dead_afterwards(client, make_user, app):
    make_user("admin", email="a@test.example")
    _login(client, "a@test.example")
    stolen = client.get_cookie("ses_session").value
    assert client.post("/logout").status_code == 303
    thief = app.test_client()
    thief.set_cookie("ses_session", stolen)
    assert thief.get("/admin/users").status_code == 302


def test_changing_the_role_ends_the_users_sessions(login_as, admin_engine):
    client = login_as("admin")
    assert _logged_in(client)
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE platform.users SET role = 'finance' WHERE id = :u"), {"u": client.user_id})
    assert client.get("/admin/users").status_code == 302


def test_an_administrator_resetting_the_password_ends_the_users_sessions(login_as, admin_engine):
    victim = login_as("finance")
    admin = login_as("admin")
    with admin_engine.connect() as conn:
        email = conn.execute(text("SELECT email FROM platform.users WHERE id = :u"), {"u": victim.user_id}).scalar()
    response = admin.post(f"/admin/users/{victim.user_id}/edit", data={
        "email": email, "display_name": "テスト finance", "role": "finance", "locale": "ja", "is_active": "y",
        "engineer_id": "", "customer_id": "", "partner_company_id": "", "password": "a-brand-new-password"})
    assert response.status_code == 303, response.text
    assert victim.get("/").status_code == 302


def test_the_csrf_token_of_one_session_does_not_work_in_another(client, make_user, app):
    make_user("admin", email="a@test.example")
    other = app.test_client()
    token = other.ensure_csrf_token()          # a valid token, of someone else's session
    response = client.post("/login", data={"email": "a@test.example", "password": TEST_PASSWORD},
                           headers={"X-CSRFToken": token}, csrf=False)
    assert response.status_code == 400


def test_session_cookie_flags(client, make_user, app):
    make_user("admin", email="a@test.example")
    _login(client, "a@test.example")
    cookie = client.get_cookie("ses_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert app.config["REMEMBER_COOKIE_DURATION"].total_seconds() == 0
    assert client.get_cookie("remember_token") is None


def test_the_session_expiry_is_stored_server_side(login_as, admin_engine, app):
    client = login_as("finance")
    with admin_engine.connect() as conn:
        lifetime = conn.execute(text(
            "SELECT expires_at - created_at FROM platform.user_sessions WHERE user_id = :u"),
            {"u": client.user_id}).scalar()
    assert lifetime == app.config["SESSION_ABSOLUTE_TIMEOUT"]


def test_login_answers_the_same_for_unknown_and_disabled_accounts(client, make_user):
    make_user("admin", email="off@test.example", is_active=False)
    disabled = client.post("/login", data={"email": "off@test.example", "password": TEST_PASSWORD})
    unknown = client.post("/login", data={"email": "nobody@test.example", "password": TEST_PASSWORD})
    assert disabled.status_code == unknown.status_code == 422
    def page(response, email):   # the same page, but for the e-mail typed and the CSRF token
        return re.sub(r"[\w-]{20,}\.[\w-]+\.[\w-]+", "TOKEN", response.text.replace(email, "X"))

    assert page(disabled, "off@test.example") == page(unknown, "nobody@test.example")


def test_throttling_survives_a_new_cookie(client, make_user, app):
    """The count is kept in the database per account: a fresh session does not reset it."""
    make_user("admin", email="a@test.example")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        client.post("/login", data={"email": "a@test.example", "password": "wrong-password"})
    fresh = app.test_client()
    response = fresh.post("/login", data={"email": "A@Test.Example", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers or "一時的にロック" in response.text


def test_any_web_host_serves_a_session_and_a_logout_on_one_ends_it_on_all(client, make_user, pg_socket,
                                                                         database_name):
    """Two application processes, as two gunicorn hosts behind a load balancer without sticky
    sessions: the session lives in PostgreSQL, not in a process."""
    from app import create_app
    from tests.conftest import Client, _config_for, dispose_engines

    other_host = create_app(_config_for(pg_socket, database_name))
    other_host.test_client_class = Client
    try:
        make_user("admin", email="hosts@test.example")
        _login(client, "hosts@test.example")
        there = other_host.test_client()
        there.set_cookie("ses_session", client.get_cookie("ses_session").value)
        assert there.get("/admin/users").status_code == 200
        assert client.post("/logout").status_code == 303
        assert there.get("/admin/users").status_code == 302
    finally:
        dispose_engines(other_host)
