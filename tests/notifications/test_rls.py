"""Row level security of the notification context, queried as each role."""

from __future__ import annotations

from sqlalchemy import text

from app.core.identity import Identity, acting_as
from app.extensions import db
from tests.rls import refused_to, rows_as


def test_each_user_sees_only_their_own_notifications(world):
    sql = "SELECT id FROM notification_context.notifications"
    assert {r.id for r in rows_as(Identity("engineer", world.user_e1, engineer_id=world.e1), sql)} == {world.n_e1}
    assert {r.id for r in rows_as(Identity("project_manager", world.pm1), sql)} == {world.n_pm1}
    assert rows_as(Identity("customer", world.user_c1, customer_id=world.c1), sql) == []


def test_a_user_only_marks_read_and_never_rewrites_or_creates(world):
    engineer = Identity("engineer", world.user_e1, engineer_id=world.e1)
    db.session.rollback()
    with acting_as(engineer):
        changed = db.session.execute(text(
            "UPDATE notification_context.notifications SET read_at = now() WHERE id IN (:a, :b)"),
            {"a": world.n_e1, "b": world.n_pm1}).rowcount
        db.session.rollback()
    assert changed == 1                                  # their own only
    assert refused_to(engineer, "UPDATE notification_context.notifications SET title = 'x'")
    assert refused_to(engineer, "INSERT INTO notification_context.notifications (recipient_user_id,"
                             " event_type, title, body) VALUES (:u, 'X', 't', 'b')", u=world.user_e1)


def test_subscriptions_are_private(world):
    pm1 = Identity("project_manager", world.pm1)
    assert refused_to(pm1, "INSERT INTO notification_context.notification_subscriptions (user_id, event_type,"
                        " channel_code, is_subscribed) VALUES (:u, 'ProjectOrdered', 'EMAIL', false)",
                   u=world.pm2)
    db.session.rollback()
    with acting_as(pm1):
        db.session.execute(text(
            "INSERT INTO notification_context.notification_subscriptions (user_id, event_type,"
            " channel_code, is_subscribed) VALUES (:u, 'ProjectOrdered', 'EMAIL', false)"), {"u": world.pm1})
        db.session.commit()
    sql = "SELECT user_id FROM notification_context.notification_subscriptions"
    assert [r.user_id for r in rows_as(pm1, sql)] == [world.pm1]
    assert rows_as(Identity("project_manager", world.pm2), sql) == []


def test_deliveries_templates_and_rule_details_are_for_administrators(world):
    finance = Identity("finance", world.finance)
    assert refused_to(finance, "SELECT id FROM notification_context.notification_deliveries")
    assert refused_to(finance, "SELECT body_template FROM notification_context.notification_templates")
    assert refused_to(finance, "SELECT recipients FROM notification_context.notification_rules")
    assert rows_as(finance, "SELECT DISTINCT event_type FROM notification_context.notification_rules")
    assert refused_to(finance, "UPDATE notification_context.notification_channels SET is_active = false")
    admin = Identity("admin", world.admin)
    assert rows_as(admin, "SELECT recipients FROM notification_context.notification_rules")
