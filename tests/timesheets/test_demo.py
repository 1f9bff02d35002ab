"""The demo company's contracts and timesheets: what each demo login finds on a weekday."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from app.contracts.models import Contract, ContractSignature
from app.core import demo
from app.core.identity import Identity, acting_as
from app.extensions import db
from app.timesheets import billing, queries
from app.timesheets.models import Timesheet

TODAY = date(2026, 11, 27)


def one(sql, **params):
    return db.session.execute(text(sql), params).scalar()


def test_demo_contracts_and_timesheets(system):
    assert demo.load(today=TODAY, echo=lambda *_: None)
    e1 = one("SELECT id FROM engineer_context.engineers WHERE code = 'E0001'")
    c001 = one("SELECT id FROM project_context.customers WHERE code = 'C001'")
    sale = db.session.scalar(select(Contract).where(Contract.engineer_id == e1, Contract.status == "ACTIVE"))
    assert (sale.customer_id, sale.side) == (c001, "SELL")
    assert {s.party for s in db.session.scalars(select(ContractSignature).where(
        ContractSignature.contract_id == sale.id))} == {"OUR_COMPANY", "CUSTOMER"}
    renewal = db.session.scalar(select(Contract).where(Contract.renewed_from_id == sale.id))
    assert renewal.status == "PENDING_APPROVAL" and renewal.start_date == date(2027, 1, 1)
    assert db.session.scalar(select(func.count()).where(Contract.side == "BUY")) == 3
    # four closed months behind, this month in progress
    statuses = dict(db.session.execute(select(Timesheet.period_month, Timesheet.status).where(
        Timesheet.contract_id == sale.id)).all())
    assert statuses == {7: "APPROVED", 8: "APPROVED", 9: "APPROVED", 10: "MANAGER_APPROVED", 11: "DRAFT"}
    closed = billing.closed_month(2026, 9)
    assert len(closed.timesheets) >= 6 and all(t.billable_minutes > 0 for t in closed.timesheets)
    # the approved adjustment (the billing demo may already have billed it)
    assert one("SELECT count(*) FROM timesheet_context.timesheet_adjustments"
               " WHERE status IN ('APPROVED', 'BILLED') AND minutes_delta = 90") == 1
    # the 36協定 average of 90, 75, 80 hours for E0005
    e5 = one("SELECT id FROM engineer_context.engineers WHERE code = 'E0005'")
    october = db.session.scalar(select(Timesheet).where(Timesheet.engineer_id == e5, Timesheet.period_month == 10))
    assert any(f.code == "AVERAGE_80" and f.violation for f in queries.overtime_findings(october, "EMPLOYEE"))
    db.session.commit()
    assert not demo.load(today=TODAY, echo=lambda *_: None)


def test_each_demo_login_has_something_to_do(system):
    demo.load(today=TODAY, echo=lambda *_: None)
    db.session.commit()
    users = dict(db.session.execute(text("SELECT email, id FROM platform.users")).all())
    ids = {code: one(f"SELECT id FROM {table} WHERE code = :c", c=code) for table, code in (
        ("project_context.customers", "C001"), ("engineer_context.partner_companies", "P001"))}
    customer = Identity("customer", users["customer@demo.ses.example"], customer_id=ids["C001"])
    partner = Identity("partner", users["partner@demo.ses.example"], partner_company_id=ids["P001"])
    with acting_as(customer):
        db.session.rollback()
        waiting = db.session.scalar(select(func.count()).where(Timesheet.status == "MANAGER_APPROVED"))
        to_sign = db.session.scalar(select(func.count()).where(Contract.status == "PENDING_APPROVAL"))
        db.session.rollback()
    with acting_as(partner):
        confirm = db.session.scalar(select(func.count()).where(Timesheet.status == "SUBMITTED"))
        sign = db.session.scalar(select(func.count()).where(Contract.status == "PENDING_APPROVAL"))
        db.session.rollback()
    assert (waiting, to_sign, confirm, sign) == (1, 1, 1, 1)
