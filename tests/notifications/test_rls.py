"""Row level security of the notification context, queried as each role."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.core.identity import Identity, acting_as
from app.extensions import db


def _run(identity, sql, **params):
    db.session.rollback()
    with acting_as(identity):
        try:
            return db.session.execute(text(sql), params).all()
        finally:
            db.session.rollback()


def _denied(identity, sql, **params) -> bool:
    try:
        _run(identity, sql, **params)
    except ProgrammingError as error:
        db.session.rollback()
        return "permission denied" in str(error) or "row-level security" in str(error)
    return False


def test_each_user_sees_only_their_own_notifications(world):
    sql = "SELECT id FROM notification_context.notifications"
    assert {r.id for r in _run(Identity("engineer", world.user_e1, engineer_id=world.e1), sql)} == {world.n_e1}
    assert {r.id for r in _run(Identity("project_manager", world.pm1), sql)} == {world.n_pm1}
    assert _run(Identity("customer", world.user_c1, customer_id=world.c1), sql) == []


def test_a_user_only_marks_read_and_never_rewrites_or_creates(world):
    engineer = Identity("engineer", world.user_e1, engineer_id=world.e1)
    db.session.rollback()
    with acting_as(engineer):
        changed = db.session.execute(text(
            "UPDATE notification_context.notifications SET read_at = now() WHERE id IN (:a, :b)"),
            {"a": world.n_e1, "b": world.n_pm1}).rowcount
        db.session.rollback()
    assert changed == 1                                  # their own only
    assert _denied(engineer, "UPDATE notification_context.notifications SET title = 'x'")
    assert _denied(engineer, "INSERT INTO notification_context.notifications (recipient_user_id,"
                             " event_type, title, body) VALUES (:u, 'X', 't', 'b')", u=world.user_e1)


def test_subscriptions_are_private(world):
    pm1 = Identity("project_manager", world.pm1)
    assert _denied(pm1, "INSERT INTO notification_context.notification_subscriptions (user_id, event_type,"
                        " channel_code, is_subscribed) VALUES (:u, 'ProjectOrdered', 'EMAIL', false)",
                   u=world.pm2)
    db.session.rollback()
    with acting_as(pm1):
        db.session.execute(text(
            "INSERT INTO notification_context.notification_subscriptions (user_id, event_type,"
            " channel_code, is_subscribed) VALUES (:u, 'ProjectOrdered', 'EMAIL', false)"), {"u": world.pm1})
        db.session.commit()
    sql = "SELECT user_id FROM notification_context.notification_subscriptions"
    assert [r.user_id for r in _run(pm1, sql)] == [world.pm1]
    assert _run(Identity("project_manager", world.pm2), sql) == []


def test_deliveries_templates_and_rule_details_are_for_administrators(world):
    finance = Identity("finance", world.finance)
    assert _denied(finance, "SELECT id FROM notification_context.notification_deliveries")
    assert _denied(finance, "SELECT body_template FROM notification_context.notification_templates")
    assert _denied(finance, "SELECT recipients FROM notification_context.notification_rules")
    assert _run(finance, "SELECT DISTINCT event_type FROM notification_context.notification_rules")
    assert _denied(finance, "UPDATE notification_context.notification_channels SET is_active = false")
    admin = Identity("admin", world.admin)
    assert _run(admin, "SELECT recipients FROM notification_context.notification_rules")
