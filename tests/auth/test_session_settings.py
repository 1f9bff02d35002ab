"""The session lookup of every request switches its own transaction to the user in the same
statement (auth.services.enter_session): the settings it leaves must be exactly those that
core.identity.apply_identity sets for the same identity, for every role -- the database role,
each policy setting, and the encryption key only for the roles that may read personal data."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.auth.services import enter_session, open_session, resolve_session
from app.core.identity import DB_ROLES, PERSONAL_DATA_ROLES, acting_as
from app.extensions import db
from tests.contracts.factories import Sales

SETTINGS = ("app.current_role", "app.current_user_id", "app.current_engineer_id", "app.current_customer_id",
            "app.current_partner_id", "app.current_session", "app.encryption_key")


def _in_force() -> dict:
    columns = ", ".join(f"current_setting('{s}', true) AS \"{s}\"" for s in SETTINGS)
    return dict(db.session.execute(text(f"SELECT current_user AS role, {columns}")).mappings().one())


def _token(role: str, make_user, admin_engine, password_hash) -> str:
    sales = Sales(admin_engine, password_hash)
    links = {"engineer": lambda: {"engineer_id": sales.engineer()},
             "customer": lambda: {"customer_id": sales.customer()},
             "partner": lambda: {"partner_company_id": sales.partner()}}.get(role, dict)()
    token = open_session(make_user(role, **links), "127.0.0.1", "pytest")
    db.session.commit()
    return token


@pytest.mark.parametrize("role", sorted(DB_ROLES))
def test_the_lookup_leaves_the_settings_apply_identity_would(app, role, make_user, admin_engine, password_hash):
    token = _token(role, make_user, admin_engine, password_hash)
    user = enter_session(token)
    assert user.entered and not user.touched
    switched = _in_force()
    db.session.rollback()
    with acting_as(user.identity):                   # a new transaction: apply_identity as it begins
        applied = _in_force()
    db.session.rollback()
    assert switched == applied
    assert switched["role"] == DB_ROLES[role] and switched["app.current_user_id"] == str(user.user_id)
    assert bool(switched["app.encryption_key"]) == (role in PERSONAL_DATA_ROLES)


def test_a_plain_lookup_switches_nothing(app, make_user, admin_engine, password_hash):
    token = _token("finance", make_user, admin_engine, password_hash)
    bare = _in_force()["role"]
    user = resolve_session(token)
    assert not user.entered and _in_force()["role"] == bare
    db.session.rollback()


def test_an_unknown_token_switches_nothing(app):
    bare = _in_force()["role"]
    assert enter_session("no-such-token") is None
    assert _in_force()["role"] == bare
    db.session.rollback()
