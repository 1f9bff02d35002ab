"""User administration: admin creates users and links engineers, customers and partners."""

import re
import subprocess

from sqlalchemy import text


def test_admin_creates_an_engineer_login_linked_to_the_engineer(login_as, admin_engine):
    with admin_engine.begin() as conn:
        engineer = conn.execute(text(
            "INSERT INTO engineer_context.engineers (code, employment_type, full_name)"
            " VALUES ('E9', 'EMPLOYEE', '山﨑 花子') RETURNING id")).scalar()
    client = login_as("admin")
    form = client.get("/admin/users/new")
    assert form.status_code == 200 and "E9 山﨑 花子" in form.text
    response = client.post("/admin/users/new", data={
        "email": "Hanako@Test.Example", "display_name": "山﨑 花子", "role": "engineer",
        "engineer_id": str(engineer), "customer_id": "", "partner_company_id": "", "locale": "ja",
        "password": "a-long-password"}, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/admin/users"
    with admin_engine.connect() as conn:
        row = conn.execute(text(
            "SELECT email, role, engineer_id, password_hash FROM platform.users WHERE email = 'hanako@test.example'")).one()
    assert (row.role, row.engineer_id) == ("engineer", engineer)
    assert row.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_an_engineer_login_without_its_engineer_is_422_next_to_the_field(login_as, admin_engine):
    client = login_as("admin")
    response = client.post("/admin/users/new", data={
        "email": "x@test.example", "display_name": "x", "role": "engineer", "engineer_id": "",
        "customer_id": "", "partner_company_id": "", "locale": "ja", "password": "a-long-password"}, htmx=True)
    assert response.status_code == 422
    assert "<html" not in response.text                      # the form fragment only
    assert re.search(r'id="engineer_id-errors"[^>]*>\s*<div>技術者を選択してください。', response.text)
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM platform.users WHERE email = 'x@test.example'")).scalar() == 0


def test_invalid_choices_and_short_passwords_are_refused(login_as):
    client = login_as("admin")
    base = {"email": "y@test.example", "display_name": "y", "role": "customer", "engineer_id": "",
            "partner_company_id": "", "locale": "ja"}
    bad_choice = client.post("/admin/users/new", data={**base, "customer_id": "not-a-uuid",
                                                        "password": "a-long-password"})
    assert bad_choice.status_code == 422
    assert re.search(r'id="customer_id-errors"[^>]*>\s*<div>選択肢が正しくありません。', bad_choice.text)
    short = client.post("/admin/users/new", data={**base, "role": "admin", "customer_id": "", "password": "short"})
    assert short.status_code == 422 and "10文字以上" in short.text


def test_duplicate_email_is_refused(login_as, make_user):
    make_user("finance", email="dup@test.example")
    client = login_as("admin")
    response = client.post("/admin/users/new", data={
        "email": "dup@test.example", "display_name": "d", "role": "finance", "engineer_id": "",
        "customer_id": "", "partner_company_id": "", "locale": "ja", "password": "a-long-password"})
    assert response.status_code == 422 and "既に登録されています" in response.text


def test_disabling_a_user_from_the_admin_page(login_as, make_user, admin_engine):
    user_id = make_user("finance", email="f@test.example")
    victim = login_as("finance", user_id=user_id)
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{user_id}/edit", data={
        "display_name": "経理", "role": "finance", "engineer_id": "", "customer_id": "",
        "partner_company_id": "", "locale": "ja", "password": ""})     # is_active unchecked
    assert response.status_code == 303
    assert victim.get("/").status_code == 302


def test_the_user_list_pdf_renders_japanese(login_as, make_user, tmp_path):
    make_user("project_manager", display_name="髙橋 﨑子")
    response = login_as("admin").get("/admin/users.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "users.pdf"
    pdf.write_bytes(response.data)
    text_ = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "ユーザー一覧" in text_ and "髙橋 﨑子" in text_ and "営業・PM" in text_
