"""Who is acting, and how that reaches PostgreSQL's row level security.

Every transaction the ORM session begins first runs, transaction-locally::

    set_config('role', '<database role>', true)          -- SET LOCAL ROLE
    set_config('app.current_user_id', '<uuid>', true)    -- and the other policy settings

from the identity of the current request or job.  Settings die with the transaction, so
nothing leaks to the next user of a pooled connection.  With no identity (before login) the
transaction runs as the bare login role, which can read no table at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

# application role -> database role (the five of the design, plus partner companies)
DB_ROLES: dict[str, str] = {
    "admin": "ses_admin_role",
    "project_manager": "ses_project_manager_role",
    "engineer": "ses_engineer_role",
    "customer": "ses_customer_role",
    "finance": "ses_finance_role",
    "partner": "ses_partner_role",
}

# Roles allowed to read and write encrypted personal data: the key is set only for them.
PERSONAL_DATA_ROLES = frozenset({"admin", "project_manager", "engineer", "finance"})


@dataclass(frozen=True)
class Identity:
    role: str
    user_id: uuid.UUID | None = None
    engineer_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    partner_company_id: uuid.UUID | None = None
    display_name: str = ""
    locale: str = "ja"
    session_token_sha256: str | None = None

    def __post_init__(self) -> None:
        if self.role not in DB_ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def db_role(self) -> str:
        return DB_ROLES[self.role]


# Scheduled jobs, the worker and CLI commands act as the system administrator.
SYSTEM = Identity(role="admin", display_name="system")

_current: ContextVar[Identity | None] = ContextVar("ses_identity", default=None)


def current_identity() -> Identity | None:
    return _current.get()


@contextmanager
def acting_as(identity: Identity | None) -> Iterator[Identity | None]:
    """Run the enclosed database work as ``identity`` (jobs, CLI, tests)."""
    token = _current.set(identity)
    try:
        yield identity
    finally:
        _current.reset(token)


def set_current_identity(identity: Identity | None):
    return _current.set(identity)


def reset_current_identity(token) -> None:
    _current.reset(token)


# (setting, parameter) of every transaction: the database role and what the policies read.
_SETTINGS = (("role", "role"), ("app.current_role", "app_role"), ("app.current_user_id", "user_id"),
             ("app.current_engineer_id", "engineer_id"), ("app.current_customer_id", "customer_id"),
             ("app.current_partner_id", "partner_id"), ("app.current_session", "session"),
             ("app.encryption_key", "key"))


def _set_configs(values: dict[str, str]) -> str:
    return ", ".join(f"set_config('{setting}', {values[parameter]}, true)" for setting, parameter in _SETTINGS)


_SETTINGS_SQL = "SELECT " + _set_configs({parameter: f"%({parameter})s" for _, parameter in _SETTINGS})


# The same settings over ``r``, a row of platform.resolve_session: the session lookup switches its
# own transaction to the user in the same statement, one round trip less per request.  The same
# values as ``apply_identity`` of that identity (tests/auth/test_session_settings.py compares
# them); ``:t`` is the session's token hash, a parameter of the lookup, and the others are
# ``session_settings_params()``.
SESSION_SETTINGS_SQL = _set_configs({
    "role": "CAST(:db_roles AS jsonb) ->> r.role", "app_role": "r.role", "user_id": "r.user_id::text",
    "engineer_id": "coalesce(r.engineer_id::text, '')", "customer_id": "coalesce(r.customer_id::text, '')",
    "partner_id": "coalesce(r.partner_company_id::text, '')", "session": ":t",
    "key": "CASE WHEN r.role = ANY(:personal_roles) THEN :key ELSE '' END"})
_DB_ROLES_JSON = json.dumps(DB_ROLES)
_PERSONAL_DATA_ROLES = sorted(PERSONAL_DATA_ROLES)


def session_settings_params() -> dict:
    return {"db_roles": _DB_ROLES_JSON, "personal_roles": _PERSONAL_DATA_ROLES,
            "key": current_app.config["ENCRYPTION_KEY"]}


def _text(value) -> str:
    return "" if value is None else str(value)


def apply_identity(connection: Connection, identity: Identity) -> None:
    """Switch the connection's current transaction to ``identity`` (SET LOCAL ROLE ...)."""
    key = ""
    if identity.role in PERSONAL_DATA_ROLES and has_app_context():
        key = current_app.config["ENCRYPTION_KEY"]
    connection.exec_driver_sql(_SETTINGS_SQL, {
        "role": identity.db_role,
        "app_role": identity.role,
        "user_id": _text(identity.user_id),
        "engineer_id": _text(identity.engineer_id),
        "customer_id": _text(identity.customer_id),
        "partner_id": _text(identity.partner_company_id),
        "session": _text(identity.session_token_sha256),
        "key": key,
    })


_APPLIED = "ses_identity_applied"     # connection.info: the identity this transaction runs as


def apply_to_open_transaction(session: Session, applied: bool = False) -> None:
    """Switch the session's open transaction, if there is one, to the current identity;
    ``applied``: it already runs as that identity (the session lookup switched it)."""
    identity = _current.get()
    if identity is not None and session.in_transaction():
        connection = session.connection()
        if not applied:
            apply_identity(connection, identity)
        connection.info[_APPLIED] = identity


@event.listens_for(Session, "after_begin")
def _apply_identity_on_begin(session: Session, transaction, connection: Connection) -> None:
    """Apply the acting identity when a transaction begins.  A savepoint inside a transaction
    that still runs as the same identity needs nothing: its settings are the transaction's.
    Once a savepoint has switched to another identity (``acting_as`` inside an open transaction),
    what is in force is no longer known for sure, and every later savepoint applies again."""
    identity = _current.get()
    if transaction.nested and identity is not None and connection.info.get(_APPLIED) == identity:
        return
    if identity is not None:
        apply_identity(connection, identity)
    connection.info[_APPLIED] = None if transaction.nested else identity
