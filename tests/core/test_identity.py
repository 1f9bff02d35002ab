"""The acting identity reaches PostgreSQL at every transaction's start; a savepoint re-applies it
only when it may differ from what is in force."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from app.core.identity import SYSTEM, Identity, acting_as
from app.extensions import db
from tests.querycount import count_queries

ENGINEER = Identity(role="engineer", user_id=uuid.uuid4(), engineer_id=uuid.uuid4())


def _who() -> tuple[str, str | None]:
    return tuple(db.session.execute(text("SELECT current_user, platform.current_user_id()")).one())


def test_a_savepoint_as_the_same_identity_runs_no_settings_again(app):
    with acting_as(ENGINEER):
        _who()                                    # the transaction begins: settings applied
        with count_queries() as statements, db.session.begin_nested():
            assert _who() == ("ses_engineer_role", ENGINEER.user_id)
    assert not [s for s in statements if "set_config" in s]
    assert len(statements) == 3                   # SAVEPOINT, the query, RELEASE


def test_a_savepoint_as_another_identity_switches_and_later_savepoints_switch_back(app):
    with acting_as(ENGINEER):
        assert _who() == ("ses_engineer_role", ENGINEER.user_id)
        with acting_as(SYSTEM), db.session.begin_nested():
            assert _who() == ("ses_admin_role", None)
        # RELEASE keeps the savepoint's settings: the next savepoint must apply the engineer again
        with db.session.begin_nested():
            assert _who() == ("ses_engineer_role", ENGINEER.user_id)


def test_a_rolled_back_savepoint_as_another_identity_is_followed_by_the_right_one(app):
    with acting_as(ENGINEER):
        _who()
        savepoint = db.session.begin_nested()
        with acting_as(SYSTEM):
            db.session.execute(text("SELECT 1"))
            assert _who() == ("ses_admin_role", None)
        savepoint.rollback()
        with acting_as(SYSTEM), db.session.begin_nested():
            assert _who() == ("ses_admin_role", None)
        with db.session.begin_nested():
            assert _who() == ("ses_engineer_role", ENGINEER.user_id)
