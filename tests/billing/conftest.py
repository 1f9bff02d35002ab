from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.billing.factories import Factory


@pytest.fixture
def make(admin_engine):
    """Insert billing test data as superuser; each statement commits at once."""
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield Factory(conn)


@pytest.fixture
def db_row(admin_engine):
    """Look at the database as superuser after a request (the test itself has no identity)."""
    def query(sql: str, **params):
        with admin_engine.connect() as conn:
            return conn.execute(text(sql), params).one()
    return query


@pytest.fixture
def sold(make):
    """Our company, a customer, an engineer and a SELL contract (800,000, 140-180h)."""
    from types import SimpleNamespace

    w = SimpleNamespace()
    w.issuer = make.issuer()
    w.customer = make.customer("株式会社さくら商事")
    w.engineer = make.engineer("山﨑 翔太")
    w.contract = make.contract(w.customer, w.engineer, monthly_price=800_000, lower=140, upper=180)
    w.finance = make.user("finance")
    return w


@pytest.fixture
def issued(app, make, sold):
    """An issued invoice of October 2026 for 160h: 800,000 + 80,000 tax (created as the system;
    a test that calls services itself asks for ``system`` too)."""
    from datetime import date

    from app.billing.run import bill_customer
    from app.core.calendar import BusinessCalendar
    from app.core.identity import SYSTEM, acting_as
    from app.extensions import db

    sold.timesheet = make.closed_month(sold.contract, 2026, 10, 160 * 60)
    with acting_as(SYSTEM):
        (invoice,) = bill_customer(sold.customer, 2026, 10, calendar=BusinessCalendar(),
                                   issue_date=date(2026, 10, 31))
        db.session.commit()
        db.session.refresh(invoice)
        db.session.expunge(invoice)       # a snapshot: reading it needs no identity
        db.session.rollback()             # and no transaction is left open as the system
    sold.invoice = invoice
    return sold
