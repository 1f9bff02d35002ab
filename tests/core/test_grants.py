"""rows_if_granted: another context's rows, or none when the role lacks the grant -- a savepoint
only on a role's first attempt at a statement."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.core.grants import rows_if_granted
from app.core.identity import SYSTEM, Identity, acting_as
from app.extensions import db
from tests.querycount import count_queries

CUSTOMER = Identity(role="customer", user_id=uuid.uuid4(), customer_id=uuid.uuid4())


def _unique(sql: str) -> str:
    """A statement no other test has run in this process, so its first attempt is this one."""
    return f"{sql} /* {uuid.uuid4()} */"


def test_a_role_without_the_grant_gets_no_rows_and_the_transaction_goes_on(app):
    sql = _unique("SELECT full_name FROM engineer_context.engineers")
    with acting_as(CUSTOMER):
        with count_queries() as first:
            assert rows_if_granted(sql) == []
        assert db.session.execute(text("SELECT 1")).scalar() == 1      # not aborted
        with count_queries() as second:
            assert rows_if_granted(sql) == []
    assert any(s.startswith("SAVEPOINT") for s in first)
    assert second == []                                                # remembered: not even tried


def test_a_granted_role_reads_directly_after_its_first_attempt(app):
    sql = _unique("SELECT count(*) AS n FROM engineer_context.engineers")
    with acting_as(SYSTEM):
        with count_queries() as first:
            assert rows_if_granted(sql) == [{"n": 0}]
        with count_queries() as second:
            assert rows_if_granted(sql) == [{"n": 0}]
    assert any(s.startswith("SAVEPOINT") for s in first)
    assert [s for s in second if "SAVEPOINT" in s] == [] and len(second) == 1


def test_the_outcome_is_remembered_per_role(app):
    sql = _unique("SELECT count(*) AS n FROM engineer_context.engineers")
    with acting_as(SYSTEM):
        assert rows_if_granted(sql) == [{"n": 0}]
    db.session.rollback()
    with acting_as(CUSTOMER):
        assert rows_if_granted(sql) == []


def test_other_errors_are_not_taken_for_a_missing_grant(app):
    with acting_as(SYSTEM), pytest.raises(ProgrammingError):
        rows_if_granted(_unique("SELECT no_such_column FROM engineer_context.engineers"))
