"""Malformed input is refused at the door: a NUL byte (PostgreSQL text cannot hold one) in any
query or form value or URL part is a 400 before any view or database work runs."""

from __future__ import annotations

from sqlalchemy import text


def _attempts(admin_engine) -> int:
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM platform.login_attempts")).scalar()


def test_a_nul_byte_in_a_form_is_refused_before_anything_is_written(client, admin_engine):
    before = _attempts(admin_engine)
    response = client.post("/login", data={"email": "a\x00@test.example", "password": "x"})
    assert response.status_code == 400
    assert "リクエストの内容が正しくありません" in response.text
    assert _attempts(admin_engine) == before


def test_a_nul_byte_in_a_form_field_name_or_query_is_refused(login_as):
    admin = login_as("admin")
    assert admin.get("/admin/users?q=%00").status_code == 400
    assert admin.post("/admin/users/new", data={"display\x00name": "x"}).status_code == 400
    assert admin.get("/admin/users/%00/edit").status_code == 404     # not a uuid: no route at all
