"""Customers see only their own company's cases; sales staff only the cases they work on."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.core.identity import Identity, acting_as
from app.extensions import db
from tests.world import build_world


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


def visible(identity: Identity, sql: str) -> set:
    db.session.rollback()
    with acting_as(identity):
        try:
            return set(db.session.execute(text(sql)).scalars())
        finally:
            db.session.rollback()


def test_a_customer_sees_its_own_cases_requirements_and_contacts_only(world):
    c1 = Identity("customer", world.user_c1, customer_id=world.c1)
    assert visible(c1, "SELECT id FROM project_context.projects") == {world.p1}
    assert visible(c1, "SELECT project_id FROM project_context.project_requirements") == {world.p1}
    assert visible(c1, "SELECT customer_id FROM project_context.customer_contacts") == {world.c1}


def test_a_customer_cannot_change_a_case(world):
    db.session.rollback()
    with acting_as(Identity("customer", world.user_c1, customer_id=world.c1)), \
            pytest.raises(Exception, match="permission denied"):
        db.session.execute(text("UPDATE project_context.projects SET title = 'x' WHERE id = :p"), {"p": world.p1})
    db.session.rollback()


def test_sales_staff_share_customers_but_not_each_others_cases(world):
    pm2 = Identity("project_manager", world.pm2)
    assert visible(pm2, "SELECT id FROM project_context.customers") == {world.c1, world.c2}
    assert visible(pm2, "SELECT project_id FROM project_context.project_requirements") == {world.p2}
