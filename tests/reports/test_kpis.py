"""KPI snapshots against figures worked out by hand on the April 2025 dataset (dataset.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from app.reports import kpis

APRIL = date(2025, 4, 1)


@pytest.fixture
def snapshot(april, app):
    with acting_as(SYSTEM):
        kpis.snapshot(APRIL)
        kpis.snapshot(date(2025, 3, 1))
        db.session.commit()
    return april


def _values(admin_engine, code: str, month: date = APRIL) -> dict:
    with admin_engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT v.dimension_type, v.dimension_id, v.value, v.details FROM report_context.kpi_values v"
            " JOIN report_context.kpi_definitions d ON d.id = v.kpi_definition_id"
            " WHERE d.code = :c AND v.period_start = :m"), {"c": code, "m": month}).all()
    return {(r.dimension_type, r.dimension_id): (r.value, r.details) for r in rows}


def test_utilization_and_bench_count_only_our_own_engineers(snapshot, admin_engine):
    d = snapshot
    # A and B have a SELL contract in April; C's ended in March; D has none; P is a partner's
    assert _values(admin_engine, "utilization")[("COMPANY", None)] == (
        Decimal("50.0"), {"assigned": 2, "headcount": 4})
    value, details = _values(admin_engine, "bench")[("COMPANY", None)]
    assert value == 2 and sorted(details["engineer_ids"]) == sorted([str(d.c), str(d.d)])


def test_revenue_by_service_month_with_the_credit_note_cancelling_its_invoice(snapshot, admin_engine):
    d = snapshot
    revenue = {k: v for k, (v, _) in _values(admin_engine, "revenue").items()}
    # 700,000 (A) + 846,620 (P) + 600,000 (B) + 50,000 − 50,000 (cancelled + credit note); the
    # draft's 999,999 and Z's March invoice are not April revenue
    assert revenue == {("COMPANY", None): 2146620, ("CUSTOMER", d.x): 1546620, ("CUSTOMER", d.y): 600000,
                       ("ENGINEER", d.a): 700000, ("ENGINEER", d.p): 846620, ("ENGINEER", d.b): 600000}
    assert _values(admin_engine, "revenue", date(2025, 3, 1))[("COMPANY", None)][0] == 300000


def test_gross_margin_and_rate_per_engineer_customer_and_company(snapshot, admin_engine):
    d = snapshot
    margin = {k: v for k, (v, _) in _values(admin_engine, "gross_margin").items()}
    assert margin[("COMPANY", None)] == 2146620 - 724625 == 1421995
    assert margin[("ENGINEER", d.p)] == 121995           # DOMAIN.md §1: 846,620 − 724,625
    assert margin[("CUSTOMER", d.x)] == 821995 and margin[("CUSTOMER", d.y)] == 600000
    rate = {k: v for k, (v, _) in _values(admin_engine, "margin_rate").items()}
    assert rate[("ENGINEER", d.p)] == Decimal("14.4")    # 121,995 / 846,620
    assert rate[("CUSTOMER", d.x)] == Decimal("53.1")    # 821,995 / 1,546,620
    assert rate[("COMPANY", None)] == Decimal("66.2")    # 1,421,995 / 2,146,620
    assert rate[("ENGINEER", d.a)] == Decimal("100.0")   # an employee: no purchase


def test_receivables_at_the_end_of_april(snapshot, admin_engine):
    d = snapshot
    outstanding = _values(admin_engine, "invoices_outstanding")
    # X 1,701,282 + Y 660,000 + Z 330,000 − 100,000 paid on 04-15 (the 05-10 payment is later)
    assert outstanding[("COMPANY", None)] == (Decimal(2591282), {"invoices": 3})
    assert outstanding[("CUSTOMER", d.z)][0] == 230000
    overdue = _values(admin_engine, "invoices_overdue")
    assert overdue[("COMPANY", None)] == (Decimal(230000), {"invoices": 1})   # Z was due 04-20
    assert ("CUSTOMER", d.x) not in overdue


def test_timesheet_submission_rate_and_contracts_ending_next_month(snapshot, admin_engine):
    d = snapshot
    # KA approved, KP submitted, KB still a draft
    assert _values(admin_engine, "timesheet_submission")[("COMPANY", None)] == (
        Decimal("66.7"), {"submitted": 2, "expected": 3})
    value, details = _values(admin_engine, "contracts_ending")[("COMPANY", None)]
    assert value == 1 and details["contract_ids"] == [str(d.kb)]       # KB ends 2025-05-31


def test_a_new_snapshot_replaces_the_month(snapshot, admin_engine):
    with acting_as(SYSTEM):
        kpis.snapshot(APRIL)
        db.session.commit()
    with admin_engine.connect() as conn:
        assert conn.execute(text(
            "SELECT count(*) FROM report_context.kpi_values v JOIN report_context.kpi_definitions d"
            " ON d.id = v.kpi_definition_id WHERE d.code = 'revenue' AND v.period_start = :m"),
            {"m": APRIL}).scalar() == 6


def test_readings_compare_with_the_previous_month_and_the_target(snapshot, app):
    with acting_as(SYSTEM):
        revenue = kpis.company_reading("revenue", APRIL)
        utilization = kpis.company_reading("utilization", APRIL)
    assert (revenue.value, revenue.previous, revenue.change) == (2146620, 300000, 1846620)
    assert utilization.target == 90 and utilization.on_target is False
