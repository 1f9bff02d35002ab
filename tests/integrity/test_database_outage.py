"""While the database is unreachable the app answers a clean 503 page in Japanese -- even though
its layout normally asks the database for the user and the menu -- and serves again as soon as
the database is back (the pool's pre-ping replaces dead connections).  The drill
scripts/drills/pg_restart.py does the same with a real PostgreSQL restart under load."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError


def _down(*args, **kwargs):
    raise OperationalError("SELECT 1", {}, Exception("connection to server failed"))


def test_a_logged_in_user_gets_a_clean_503_while_the_database_is_down(login_as, monkeypatch):
    client = login_as("finance")
    monkeypatch.setattr("app.auth.services.resolve_session", _down)
    from app.extensions import login_manager
    monkeypatch.setattr(login_manager, "_user_callback", _down)
    page = client.get("/")
    assert page.status_code == 503
    assert "データベースに接続できません" in page.text and "Traceback" not in page.text
    fragment = client.get("/", htmx=True)
    assert fragment.status_code == 503 and fragment.headers["HX-Retarget"] == "#flash-messages"
    monkeypatch.undo()
    assert client.get("/").status_code in (200, 302)


def test_a_commit_that_fails_because_the_database_went_away_is_a_503(login_as, monkeypatch):
    from app.extensions import db

    client = login_as("admin")
    real_commit = db.session.commit
    calls = []

    def commit_once_down():
        calls.append(1)
        if len(calls) == 1:          # the page's commit: the fresh session's lookup wrote nothing
            raise OperationalError("COMMIT", {}, Exception("terminating connection due to administrator command"))
        return real_commit()

    monkeypatch.setattr(db.session, "commit", commit_once_down, raising=False)
    response = client.get("/admin/users")
    assert response.status_code == 503
    assert "データベースに接続できません" in response.text
