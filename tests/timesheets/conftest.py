from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from tests.contracts.factories import Sales, placement


@pytest.fixture
def sales(app, admin_engine, password_hash) -> Sales:
    return Sales(admin_engine, password_hash)


def people(sales: Sales, *, partner: bool = False, **contract_values) -> SimpleNamespace:
    """A placement with everyone who acts on its timesheets, as identities."""
    from app.core.identity import Identity

    pm = sales.user("project_manager")
    p = placement(sales, partner=partner, manager_id=pm, **contract_values)
    p.pm = Identity("project_manager", pm, display_name="担当 PM")
    p.engineer_user = Identity("engineer", sales.user("engineer", engineer_id=p.engineer),
                               engineer_id=p.engineer, display_name="技術者")
    p.customer_user = Identity("customer", sales.user("customer", customer_id=p.customer),
                               customer_id=p.customer, display_name="顧客 担当")
    if partner:
        p.partner_user = Identity("partner", sales.user("partner", partner_company_id=p.partner),
                                  partner_company_id=p.partner, display_name="BP 担当")
    return p


@pytest.fixture
def employee(sales):
    return people(sales)


@pytest.fixture
def bp(sales):
    return people(sales, partner=True)


@contextmanager
def as_(identity):
    """One transaction as ``identity``, committed at the end (rolled back on error)."""
    from app.core.identity import acting_as
    from app.extensions import db

    db.session.rollback()
    with acting_as(identity):
        try:
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


def sheet(timesheet_id):
    """The timesheet as the current identity sees it."""
    from sqlalchemy import select

    from app.extensions import db
    from app.timesheets.models import Timesheet

    return db.session.scalars(select(Timesheet).where(Timesheet.id == timesheet_id)).one()
