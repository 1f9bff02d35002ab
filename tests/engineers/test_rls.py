"""Who sees and edits which engineer rows -- enforced by PostgreSQL, queried as each role."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.core.identity import Identity, acting_as
from app.engineers.models import Engineer
from app.engineers.services import set_skill, update_own_profile
from app.extensions import db
from tests.world import build_world


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


def engineer_identity(w, n: int) -> Identity:
    return Identity("engineer", getattr(w, f"user_e{n}"), engineer_id=getattr(w, f"e{n}"))


def run(identity: Identity, work):
    db.session.rollback()
    with acting_as(identity):
        try:
            result = work()
            db.session.commit()
            return result
        finally:
            db.session.rollback()


def test_an_engineer_edits_their_own_profile_and_skills(world):
    me = engineer_identity(world, 1)

    def edit():
        engineer = db.session.get(Engineer, world.e1)
        update_own_profile(engineer, engineer.version, desired_rate=720000, phone="090-0000-1111",
                           summary="Java が得意です")
        set_skill(engineer, skill_name="Go", skill_category="LANGUAGE", years_experience=Decimal(1),
                  skill_level=2, assessed_by=world.user_e1)
        return engineer.desired_rate, [s["key"] for s in engineer.skills]

    assert run(me, edit) == (720000, ["java", "go"])
    assert run(me, lambda: db.session.get(Engineer, world.e1).phone) == "090-0000-1111"


def test_an_engineer_cannot_change_their_placement_data(world):
    db.session.rollback()
    with acting_as(engineer_identity(world, 1)), pytest.raises(ProgrammingError, match="permission denied"):
        db.session.execute(text("UPDATE engineer_context.engineers SET employment_type = 'FREELANCE'"
                                " WHERE id = :e"), {"e": world.e1})
    db.session.rollback()


def test_an_engineer_never_reaches_another_engineers_rows(world):
    me = engineer_identity(world, 1)
    assert run(me, lambda: db.session.get(Engineer, world.e2)) is None
    changed = run(me, lambda: db.session.execute(text(
        "UPDATE engineer_context.engineers SET summary = 'x' WHERE id = :e"), {"e": world.e2}).rowcount)
    assert changed == 0
    skills = run(me, lambda: set(db.session.execute(text(
        "SELECT engineer_id FROM engineer_context.skill_assessments")).scalars()))
    assert skills == {world.e1}
    db.session.rollback()
    with acting_as(me), pytest.raises(ProgrammingError, match="row-level security"):
        db.session.execute(text(
            "INSERT INTO engineer_context.skill_assessments (engineer_id, skill_category, skill_name, skill_level)"
            " VALUES (:e, 'LANGUAGE', 'COBOL', 5)"), {"e": world.e2})
    db.session.rollback()


@pytest.mark.parametrize("table", ["engineers", "partner_companies", "skill_assessments", "certifications",
                                   "work_histories", "availability_periods"])
def test_a_customer_sees_no_engineer_data_at_all(world, table):
    db.session.rollback()
    with acting_as(Identity("customer", world.user_c1, customer_id=world.c1)), \
            pytest.raises(ProgrammingError, match="permission denied"):
        db.session.execute(text(f"SELECT * FROM engineer_context.{table}")).all()
    db.session.rollback()


def test_a_partner_sees_only_its_own_engineers_and_their_skills(world):
    partner = Identity("partner", world.user_bp1, partner_company_id=world.bp1)
    assert run(partner, lambda: set(db.session.execute(text(
        "SELECT engineer_id FROM engineer_context.skill_assessments")).scalars())) == {world.e2}
    assert run(partner, lambda: set(db.session.execute(text(
        "SELECT id FROM engineer_context.engineers")).scalars())) == {world.e2}
