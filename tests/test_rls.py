"""Row level security: each role, queried as that role through the app's own connection and
identity hook, sees exactly the rows the policies allow -- and none of another user's."""

from __future__ import annotations

import pytest
from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from app.core.identity import Identity, acting_as
from app.extensions import db
from tests.world import build_world


@pytest.fixture
def world(app, admin_engine, password_hash):
    with admin_engine.begin() as conn:
        return build_world(conn, password_hash)


def as_(w, who: str) -> Identity:
    """Identities of the world's users."""
    table = {
        "admin": Identity("admin", w.admin),
        "pm1": Identity("project_manager", w.pm1),
        "pm2": Identity("project_manager", w.pm2),
        "finance": Identity("finance", w.finance),
        "e1": Identity("engineer", w.user_e1, engineer_id=w.e1),
        "e2": Identity("engineer", w.user_e2, engineer_id=w.e2),
        "c1": Identity("customer", w.user_c1, customer_id=w.c1),
        "c2": Identity("customer", w.user_c2, customer_id=w.c2),
        "bp1": Identity("partner", w.user_bp1, partner_company_id=w.bp1),
    }
    return table[who]


def ids(identity: Identity, sql: str, **params) -> set:
    """The ids a query returns when run as ``identity`` (one transaction, rolled back)."""
    db.session.rollback()
    with acting_as(identity):
        try:
            return {row[0] for row in db.session.execute(text(sql), params)}
        finally:
            db.session.rollback()


def denied(identity: Identity, sql: str, **params) -> bool:
    db.session.rollback()
    with acting_as(identity):
        try:
            db.session.execute(text(sql), params).all()
        except ProgrammingError as error:
            return "permission denied" in str(error)
        finally:
            db.session.rollback()
    return False


PROJECTS = "SELECT id FROM project_context.projects"
CONTRACTS = "SELECT id FROM contract_context.contracts"
TIMESHEETS = "SELECT id FROM timesheet_context.timesheets"
INVOICES = "SELECT id FROM billing_context.invoices"
ENGINEERS = "SELECT id FROM engineer_context.engineers"
CUSTOMERS = "SELECT id FROM project_context.customers"
NOTIFICATIONS = "SELECT id FROM notification_context.notifications"
MATCHING = "SELECT id FROM matching_context.matching_requests"


def test_admin_sees_everything(world):
    admin = as_(world, "admin")
    assert ids(admin, PROJECTS) == {world.p1, world.p2}
    assert ids(admin, CONTRACTS) == {world.k1, world.k2, world.k2_buy}
    assert ids(admin, INVOICES) == {world.i1, world.i1_draft, world.i2}
    assert ids(admin, NOTIFICATIONS) == {world.n_e1, world.n_pm1}


def test_project_manager_sees_the_cases_they_manage(world):
    pm1 = as_(world, "pm1")
    assert ids(pm1, PROJECTS) == {world.p1}
    assert ids(pm1, CONTRACTS) == {world.k1}
    assert ids(pm1, TIMESHEETS) == {world.t1}
    assert ids(pm1, MATCHING) == {world.mr1}
    assert ids(pm1, "SELECT id FROM project_context.project_requirements") == ids(
        as_(world, "admin"), "SELECT id FROM project_context.project_requirements WHERE project_id = :p",
        p=world.p1)
    # the pool and the customer list are shared by all sales staff
    assert ids(pm1, ENGINEERS) == {world.e1, world.e2, world.e3}
    assert ids(pm1, CUSTOMERS) == {world.c1, world.c2}
    assert ids(pm1, INVOICES) == {world.i1, world.i2}      # issued only, never drafts
    assert ids(pm1, NOTIFICATIONS) == {world.n_pm1}
    assert ids(as_(world, "pm2"), PROJECTS) == {world.p2}


def test_project_manager_cannot_take_over_another_managers_case(world):
    db.session.rollback()
    with acting_as(as_(world, "pm2")):
        changed = db.session.execute(text(
            "UPDATE project_context.projects SET title = 'x' WHERE id = :p"), {"p": world.p1}).rowcount
        db.session.rollback()
    assert changed == 0


def test_engineer_sees_only_their_own_rows(world):
    e1 = as_(world, "e1")
    assert ids(e1, ENGINEERS) == {world.e1}
    assert ids(e1, TIMESHEETS) == {world.t1}
    assert ids(e1, "SELECT id FROM timesheet_context.daily_attendances") == ids(
        as_(world, "admin"), "SELECT id FROM timesheet_context.daily_attendances WHERE timesheet_id = :t",
        t=world.t1)
    assert ids(e1, CONTRACTS) == {world.k1}
    assert ids(e1, PROJECTS) == {world.p1}
    assert ids(e1, NOTIFICATIONS) == {world.n_e1}
    assert ids(e1, "SELECT engineer_id FROM engineer_context.skill_assessments") == {world.e1}
    # never what we charge, never billing, never matching
    assert denied(e1, "SELECT monthly_price FROM contract_context.contracts")
    assert denied(e1, INVOICES)
    assert denied(e1, MATCHING)
    assert ids(as_(world, "e2"), TIMESHEETS) == {world.t2}


def test_engineer_edits_only_an_open_month_of_their_own(world):
    db.session.rollback()
    e1 = as_(world, "e1")
    with acting_as(e1):
        own = db.session.execute(text(
            "UPDATE timesheet_context.timesheets SET status = 'SUBMITTED' WHERE id = :t"), {"t": world.t1}).rowcount
        other = db.session.execute(text(
            "UPDATE timesheet_context.timesheets SET worked_minutes = 1 WHERE id = :t"), {"t": world.t2}).rowcount
        db.session.commit()
    assert (own, other) == (1, 0)
    with acting_as(e1):   # submitted: locked by the database for the engineer
        again = db.session.execute(text(
            "UPDATE timesheet_context.timesheets SET worked_minutes = 1 WHERE id = :t"), {"t": world.t1}).rowcount
        rows = db.session.execute(text(
            "UPDATE timesheet_context.daily_attendances SET worked_minutes = 1 WHERE timesheet_id = :t"),
            {"t": world.t1}).rowcount
        db.session.rollback()
    assert (again, rows) == (0, 0)


def test_engineer_cannot_create_a_timesheet_for_someone_else(world):
    db.session.rollback()
    with acting_as(as_(world, "e1")), pytest.raises(ProgrammingError, match="row-level security"):
        db.session.execute(text(
            "INSERT INTO timesheet_context.timesheets (contract_id, engineer_id, project_id, customer_id,"
            " period_year, period_month) VALUES (:k, :e, :p, :c, 2026, 11)"),
            {"k": world.k2, "e": world.e2, "p": world.p2, "c": world.c2})
    db.session.rollback()


def test_customer_sees_only_its_own_company(world):
    c1, c2 = as_(world, "c1"), as_(world, "c2")
    assert ids(c1, CUSTOMERS) == {world.c1}
    assert ids(c1, PROJECTS) == {world.p1}
    assert ids(c1, CONTRACTS) == {world.k1}            # never our purchase side
    assert ids(c2, CONTRACTS) == {world.k2}
    assert ids(c1, INVOICES) == {world.i1}             # issued, own company, no drafts
    assert ids(c2, INVOICES) == {world.i2}
    assert ids(c1, "SELECT invoice_id FROM billing_context.invoice_billing_items") == {world.i1}
    # timesheets only from the confirmation step on
    assert ids(c1, TIMESHEETS) == set()                # T1 is still a draft
    assert ids(c2, TIMESHEETS) == {world.t2}
    assert denied(c1, ENGINEERS)                       # no engineer at all
    assert denied(c1, MATCHING)
    assert denied(c1, "SELECT decrypt_personal_data('x')")


def test_partner_sees_its_engineers_and_its_purchase_contracts(world):
    bp1 = as_(world, "bp1")
    assert ids(bp1, ENGINEERS) == {world.e2}
    assert ids(bp1, CONTRACTS) == {world.k2_buy}
    assert ids(bp1, TIMESHEETS) == {world.t2}
    assert ids(bp1, CUSTOMERS) == set()
    assert denied(bp1, INVOICES)


def test_finance_reads_billing_contracts_and_timesheets(world):
    finance = as_(world, "finance")
    assert ids(finance, INVOICES) == {world.i1, world.i1_draft, world.i2}
    assert ids(finance, CONTRACTS) == {world.k1, world.k2, world.k2_buy}
    assert ids(finance, TIMESHEETS) == {world.t1, world.t2}
    assert ids(finance, NOTIFICATIONS) == set()
    assert denied(finance, MATCHING)


def test_nobody_reads_password_hashes_or_sessions(world):
    for who in ("admin", "pm1", "e1", "c1", "finance", "bp1"):
        assert denied(as_(world, who), "SELECT password_hash FROM platform.users"), who
    for who in ("pm1", "e1", "c1", "finance", "bp1"):
        assert denied(as_(world, who), "SELECT id FROM platform.user_sessions"), who
    # staff are visible by name to everyone; other users only to themselves
    assert ids(as_(world, "c1"), "SELECT id FROM platform.users") == {
        world.admin, world.pm1, world.pm2, world.finance, world.user_c1}


def test_settings_do_not_leak_to_the_next_transaction(world):
    db.session.rollback()
    with acting_as(as_(world, "e1")):
        assert db.session.execute(text("SELECT current_user")).scalar() == "ses_engineer_role"
        db.session.commit()
    with acting_as(None):
        row = db.session.execute(text(
            "SELECT current_user, current_setting('app.current_engineer_id', true),"
            " current_setting('app.encryption_key', true)")).one()
        db.session.rollback()
    assert tuple(row) == ("ses_app", "", "")


def test_the_bare_login_role_reads_nothing(world):
    db.session.rollback()
    with acting_as(None), pytest.raises(ProgrammingError, match="permission denied"):
        db.session.execute(text(TIMESHEETS)).all()
    db.session.rollback()


def test_personal_data_is_encrypted_and_readable_only_by_allowed_roles(world):
    db.session.rollback()
    with acting_as(as_(world, "e1")):
        db.session.execute(text(
            "UPDATE engineer_context.engineers SET phone_encrypted = encrypt_personal_data('090-1234-5678')"
            " WHERE id = :e"), {"e": world.e1})
        db.session.commit()
    with acting_as(as_(world, "pm1")):
        stored, plain = db.session.execute(text(
            "SELECT phone_encrypted, decrypt_personal_data(phone_encrypted) FROM engineer_context.engineers"
            " WHERE id = :e"), {"e": world.e1}).one()
        db.session.rollback()
    assert "090" not in stored and plain == "090-1234-5678"
    with acting_as(as_(world, "e2")):
        visible = db.session.execute(text(
            "SELECT count(*) FROM engineer_context.engineers WHERE id = :e"), {"e": world.e1}).scalar()
        db.session.rollback()
    assert visible == 0


@pytest.fixture
def sql_app(pg_socket, database_name):
    """An app with a route that runs hand-written SQL through the app's own connection."""
    from app import create_app
    from app.core.access import roles_required
    from tests.conftest import Client, _config_for, dispose_engines

    raw = Blueprint("raw_sql", __name__)

    @raw.get("/__raw_sql")
    @roles_required("engineer", "customer", "admin")
    def run_sql():
        rows = db.session.execute(text(
            "SELECT id, engineer_id FROM timesheet_context.timesheets")).all()
        return jsonify([str(r.id) for r in rows])

    app = create_app(_config_for(pg_socket, database_name))
    app.register_blueprint(raw)
    app.test_client_class = Client
    yield app
    dispose_engines(app)


def test_through_the_request_path_an_engineer_reads_only_their_own_timesheets(
        world, sql_app, admin_engine):
    from app.auth.services import open_session

    with sql_app.app_context():
        tokens = {who: open_session(getattr(world, who), "127.0.0.1", "pytest")
                  for who in ("user_e1", "user_e2", "user_c2")}
        db.session.commit()
    seen = {}
    for who, token in tokens.items():
        client = sql_app.test_client()
        client.set_session_values(_user_id=token)
        response = client.get("/__raw_sql")
        assert response.status_code == 200
        seen[who] = set(response.json)
    assert seen == {"user_e1": {str(world.t1)}, "user_e2": {str(world.t2)},
                    "user_c2": {str(world.t2)}}
