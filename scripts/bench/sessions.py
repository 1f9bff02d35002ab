"""A logged-in test client without the login form (no Argon2 hash per benchmark user).

``client_for(app, email)`` opens a real server-side session for the user, as the login form
would, and gives the client the CSRF token a page would have carried (``client.csrf``).
"""

from __future__ import annotations

import secrets

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text


def client_for(app, email: str):
    from app.auth.services import open_session
    from app.extensions import db

    with app.app_context():
        user_id = db.session.execute(text("SELECT user_id FROM platform.login_lookup(:e)"), {"e": email}).scalar()
        token = open_session(user_id, "127.0.0.1", "bench")
        db.session.commit()
    client = app.test_client()
    raw = secrets.token_hex(20)           # the token a page would have put in the session
    with client.session_transaction() as session:
        session.update({"_user_id": token, "_fresh": True, "csrf_token": raw})
    client.csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return client
