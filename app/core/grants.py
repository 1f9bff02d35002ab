"""Reading another context's table that the acting role may not be granted at all.

``rows_if_granted(sql, **params)`` returns the rows of a plain SELECT, or none when the role lacks
the privilege (customers never read engineer_context); ``granted_rows`` tells the two apart (None
when refused).  The outcome of each statement for each database role is remembered by the
process: grants change only with a migration, and the application is restarted after one.  So only a role's first attempt pays for a savepoint (which
contains the permission error); later ones run the statement directly, or not at all.
"""

from __future__ import annotations

from psycopg import errors
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from ..extensions import db
from .identity import current_identity

_granted: dict[tuple[str | None, str | None, str], bool] = {}


def rows_if_granted(sql: str, **params) -> list:
    return granted_rows(sql, **params) or []


def granted_rows(sql: str, **params) -> list | None:
    """The rows of ``sql``, or None when the acting role may not read one of its tables."""
    identity = current_identity()
    key = (db.engine.url.database, identity.db_role if identity else None, sql)
    known = _granted.get(key)
    if known is False:
        return None
    if known:
        return list(db.session.execute(text(sql), params).mappings())
    try:
        with db.session.begin_nested():
            rows = list(db.session.execute(text(sql), params).mappings())
    except ProgrammingError as error:
        if not isinstance(error.orig, errors.InsufficientPrivilege):
            raise
        _granted[key] = False
        return None
    _granted[key] = True
    return rows
