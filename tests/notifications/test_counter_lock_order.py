"""Unread counters are taken in user_id order (revision 0016), so transactions that change
several users' counters cannot deadlock: another transaction holds the lower counter; the one
under test must then wait for it *before* taking the higher one -- which the other can still
take at once.  Had it taken the higher first, the two would wait for each other."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from app.core.events import PROJECT_ORDERED
from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from app.notifications import dispatching

LOCK = "SELECT 1 FROM notification_context.unread_counts WHERE user_id = :u FOR UPDATE"


def _notify(conn, user_id) -> None:
    conn.execute(text("INSERT INTO notification_context.notifications (recipient_user_id, event_type,"
                      " title, body, status) VALUES (:u, 'ProjectOrdered', 'お知らせ', '本文', 'SENT')"),
                 {"u": user_id})


def _wait_until_someone_waits_for_a_lock(admin_engine, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    with admin_engine.connect() as conn:
        while time.monotonic() < deadline:
            if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                 " AND wait_event_type = 'Lock'")).scalar():
                return
            time.sleep(0.02)
    raise AssertionError("nothing came to wait for the lower counter")


def _waits_for_the_lower_counter_first(admin_engine, users, work) -> None:
    """Run ``work`` in a thread while another transaction holds the lower user's counter: it must
    come to wait for that one while the higher is still free to the other transaction."""
    low, high = sorted(users)
    errors: list[BaseException] = []

    def run():
        try:
            work()
        except BaseException as error:   # noqa: BLE001 -- reported below
            errors.append(error)

    with admin_engine.connect() as other:
        other.begin()
        other.execute(text(LOCK), {"u": low})
        thread = threading.Thread(target=run)
        thread.start()
        _wait_until_someone_waits_for_a_lock(admin_engine)
        other.execute(text("SET LOCAL lock_timeout = '100ms'"))
        other.execute(text(LOCK), {"u": high})          # fails if work had taken it already
        other.commit()
    thread.join(30)
    assert not errors, errors


def test_counters_are_taken_in_user_order_whatever_order_they_are_asked_in(make_user, admin_engine):
    users = [make_user("project_manager"), make_user("project_manager")]
    with admin_engine.begin() as conn:
        for user in users:
            _notify(conn, user)

    def lock_highest_first():
        with admin_engine.begin() as conn:
            conn.execute(text("SELECT notification_context.lock_unread_counts(CAST(:u AS uuid[]))"),
                         {"u": sorted(users, reverse=True)})

    _waits_for_the_lower_counter_first(admin_engine, users, lock_highest_first)


def test_an_event_takes_all_its_recipients_counters_before_notifying_anyone(app, world, emit, run_jobs,
                                                                            admin_engine, monkeypatch):
    resolve = dispatching.resolve_recipients
    # The recipients in descending user_id order: written in that order, they would deadlock.
    monkeypatch.setattr(dispatching, "resolve_recipients", lambda spec, facts: sorted(
        resolve(spec, facts), key=lambda person: person.user_id, reverse=True))
    event_id = emit(PROJECT_ORDERED, "project", world.p1, run=False)   # the sales manager and admin
    users = [world.pm1, world.admin]
    with admin_engine.begin() as conn:
        for user in users:
            _notify(conn, user)

    def dispatch():
        with app.app_context():
            run_jobs(["events"])

    _waits_for_the_lower_counter_first(admin_engine, users, dispatch)
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notification_context.notifications WHERE event_id = :e"),
                            {"e": event_id}).scalar() == 2


def test_the_archive_takes_the_counters_of_what_it_archives_before_archiving(app, make_user, admin_engine):
    users = [make_user("project_manager"), make_user("project_manager")]
    with admin_engine.begin() as conn:
        for user in sorted(users, reverse=True):   # updated in this order, they would deadlock
            _notify(conn, user)
            _notify(conn, user)
    results = []

    def archive():
        with app.app_context(), acting_as(SYSTEM):
            results.extend(db.session.execute(text(
                "SELECT table_name, archived_count, archive_status FROM public.archive_old_data(current_date + 1)")))
            db.session.commit()

    _waits_for_the_lower_counter_first(admin_engine, users, archive)
    assert ("notifications", 4, "SUCCESS") in [tuple(r) for r in results]
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT coalesce(sum(unread), 0) FROM notification_context.unread_counts"
                                 " WHERE user_id = ANY(:u)"), {"u": users}).scalar() == 0
