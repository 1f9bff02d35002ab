"""Running a statement as an application role to see what the database itself refuses."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.identity import acting_as
from app.extensions import db


def attempt(identity, sql, **params):
    """Run ``sql`` as ``identity`` and commit; return the error or None."""
    db.session.rollback()
    with acting_as(identity):
        try:
            db.session.execute(text(sql), params)
            db.session.commit()
        except DBAPIError as error:
            db.session.rollback()
            return error
    return None
