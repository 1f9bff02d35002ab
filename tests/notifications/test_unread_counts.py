"""The bell's unread count is a counter kept by triggers (revision 0012): after every kind of
change it equals the count over the notifications themselves."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from app.core.identity import Identity, acting_as
from app.extensions import db
from app.notifications import queries, services

TRUTH = ("SELECT count(*) FROM notification_context.notifications"
         " WHERE recipient_user_id = :u AND read_at IS NULL AND deleted_at IS NULL")


def _notify(conn, user_id, *, read=False, created_at="now()") -> uuid.UUID:
    return conn.execute(text(
        "INSERT INTO notification_context.notifications (recipient_user_id, event_type, title, body,"
        f" status, read_at, created_at) VALUES (:u, 'ProjectOrdered', 'お知らせ', '本文', 'SENT',"
        f" CASE WHEN :r THEN now() END, {created_at}) RETURNING id"), {"u": user_id, "r": read}).scalar()


def _counted_and_true(admin_engine, user_id) -> tuple[int, int]:
    with acting_as(Identity("project_manager", user_id)):
        counted = queries.unread_count(user_id)
        db.session.rollback()
    with admin_engine.connect() as conn:
        return counted, conn.execute(text(TRUTH), {"u": user_id}).scalar()


@pytest.fixture
def two_users(make_user):
    return make_user("project_manager"), make_user("project_manager")


def test_the_count_follows_creation_reading_and_reading_all(two_users, admin_engine):
    me, other = two_users
    with admin_engine.begin() as conn:
        first = _notify(conn, me)
        _notify(conn, me, created_at="now() - interval '13 months'")     # an older partition
        _notify(conn, me, read=True)
        _notify(conn, other)
    assert _counted_and_true(admin_engine, me) == (2, 2)
    assert _counted_and_true(admin_engine, other) == (1, 1)

    with acting_as(Identity("project_manager", me)):
        assert services.mark_read(first, me)
        assert not services.mark_read(first, me)           # already read: nothing changes twice
        db.session.commit()
    assert _counted_and_true(admin_engine, me) == (1, 1)

    with acting_as(Identity("project_manager", me)):
        assert services.mark_all_read(me) == 1
        db.session.commit()
    assert _counted_and_true(admin_engine, me) == (0, 0)
    assert _counted_and_true(admin_engine, other) == (1, 1)


def test_the_count_follows_many_rows_in_one_statement_and_deletion(two_users, admin_engine):
    me, other = two_users
    with admin_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO notification_context.notifications (recipient_user_id, event_type, title, body,"
            " status, created_at) SELECT u, 'ProjectOrdered', 't', 'b', 'SENT', now() - g * interval '20 days'"
            " FROM generate_series(0, 29) g, unnest(CAST(:users AS uuid[])) u"), {"users": [me, other]})
    assert _counted_and_true(admin_engine, me) == (30, 30)
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE notification_context.notifications SET deleted_at = now()"
                          " WHERE recipient_user_id = :u AND created_at < now() - interval '1 year'"), {"u": me})
        conn.execute(text("DELETE FROM notification_context.notifications WHERE recipient_user_id = :u"
                          " AND created_at > now() - interval '50 days'"), {"u": other})
        conn.execute(text("UPDATE notification_context.notifications SET read_at = NULL, status = 'SENT'"
                          " WHERE recipient_user_id = :u"), {"u": me})     # nothing unread changes
    assert _counted_and_true(admin_engine, me) == (19, 19)
    assert _counted_and_true(admin_engine, other) == (27, 27)


def test_a_recount_rebuilds_the_counters_after_a_load_without_triggers(two_users, admin_engine):
    me, _ = two_users
    with admin_engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        _notify(conn, me)
        _notify(conn, me)
    assert _counted_and_true(admin_engine, me) == (0, 2)
    with admin_engine.begin() as conn:
        conn.execute(text("SELECT notification_context.recount_unread()"))
    assert _counted_and_true(admin_engine, me) == (2, 2)


def test_a_user_reads_only_their_own_counter_and_writes_none(two_users, admin_engine):
    me, other = two_users
    with admin_engine.begin() as conn:
        _notify(conn, other)
    with acting_as(Identity("project_manager", me)):
        assert db.session.execute(text("SELECT count(*) FROM notification_context.unread_counts")).scalar() == 0
        assert queries.unread_count(other) == 0
        db.session.rollback()
