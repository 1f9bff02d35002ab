"""Unexpected errors: a clean page (or htmx fragment), never a stack trace; nothing is kept."""

import pytest
from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.extensions import db
from tests.conftest import Client, _config_for, dispose_engines


@pytest.fixture
def failing_app(pg_socket, database_name):
    from app import create_app

    bp = Blueprint("failing", __name__)

    @bp.post("/__boom")
    def boom():
        db.session.execute(text("INSERT INTO platform.company_closures (closure_date, name)"
                                " VALUES ('2026-08-13', '夏季休業')"))
        raise RuntimeError("secret detail that must not leak")

    @bp.get("/__db_down")
    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    app = create_app(_config_for(pg_socket, database_name))
    app.register_blueprint(bp)
    app.test_client_class = Client
    yield app
    dispose_engines(app)


def test_an_unexpected_error_is_a_500_page_and_rolls_back(failing_app, make_user, admin_engine):
    from app.auth.services import open_session

    with failing_app.app_context():
        token = open_session(make_user("admin"), "127.0.0.1", "pytest")
        db.session.commit()
    client = failing_app.test_client()
    client.set_session_values(_user_id=token)
    page = client.post("/__boom")
    assert page.status_code == 500
    assert "システムエラー" in page.text and "secret detail" not in page.text and "Traceback" not in page.text
    fragment = client.post("/__boom", htmx=True)
    assert fragment.status_code == 500 and "<html" not in fragment.text
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM platform.company_closures")).scalar() == 0


def test_a_database_outage_is_a_503(failing_app):
    response = failing_app.test_client().get("/__db_down")
    assert response.status_code == 503
    assert "データベースに接続できません" in response.text
