"""Querying as a role, for the row level security tests: each statement in its own transaction,
rolled back, under the identity's SET LOCAL ROLE and settings."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.identity import acting_as
from app.extensions import db


def rows_as(identity, sql: str, **params) -> list:
    db.session.rollback()
    with acting_as(identity):
        try:
            return db.session.execute(text(sql), params).all()
        finally:
            db.session.rollback()


def refused_to(identity, sql: str, **params) -> bool:
    """True when PostgreSQL refuses the statement to the role (no privilege, or a policy)."""
    try:
        rows_as(identity, sql, **params)
    except DBAPIError as error:
        db.session.rollback()
        return "permission denied" in str(error) or "row-level security" in str(error)
    return False
