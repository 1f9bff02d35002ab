"""What a notification can say about an event: the facts of its aggregate, read with SQL.

The workflows of the other contexts record events with payloads of their own choosing; the
handlers do not depend on them.  They read the current state of the aggregate (project,
contract, timesheet, invoice, matching result, certification) from the database, over the
payload, so templates and recipient rules always see the same names.  Prices are never loaded:
notifications go to engineers too.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from ..core.events import DomainEvent
from ..extensions import db

_PROJECT_COLUMNS = ("p.code AS project_code, p.title AS project_title, p.project_manager_id,"
                    " p.sales_manager_id")

FACT_QUERIES: dict[str, str] = {
    "project": f"""
        SELECT p.id AS project_id, {_PROJECT_COLUMNS}, p.customer_id, c.name AS customer_name,
               p.start_date, p.end_date, p.status AS project_status
        FROM project_context.projects p JOIN project_context.customers c ON c.id = p.customer_id
        WHERE p.id = :id""",
    "contract": f"""
        SELECT k.id AS contract_id, k.contract_number, k.title AS contract_title, k.contract_type,
               k.side, k.status AS contract_status, k.start_date, k.end_date, k.closing_day,
               k.project_id, {_PROJECT_COLUMNS}, k.engineer_id, e.full_name AS engineer_name,
               k.customer_id, c.name AS customer_name, k.partner_company_id,
               pc.name AS partner_name
        FROM contract_context.contracts k
        JOIN project_context.projects p ON p.id = k.project_id
        JOIN engineer_context.engineers e ON e.id = k.engineer_id
        LEFT JOIN contract_context.contracts s ON s.id = k.sell_contract_id
        LEFT JOIN project_context.customers c ON c.id = coalesce(k.customer_id, s.customer_id)
        LEFT JOIN engineer_context.partner_companies pc ON pc.id = k.partner_company_id
        WHERE k.id = :id""",
    "timesheet": f"""
        SELECT t.id AS timesheet_id, t.period_year AS year, t.period_month AS month,
               t.status AS timesheet_status, t.contract_id, t.engineer_id,
               e.full_name AS engineer_name, t.project_id, {_PROJECT_COLUMNS}, t.customer_id,
               c.name AS customer_name, t.partner_company_id
        FROM timesheet_context.timesheets t
        JOIN project_context.projects p ON p.id = t.project_id
        JOIN project_context.customers c ON c.id = t.customer_id
        JOIN engineer_context.engineers e ON e.id = t.engineer_id
        WHERE t.id = :id""",
    "invoice": """
        SELECT i.id AS invoice_id, i.invoice_number, i.kind, i.customer_id,
               c.name AS customer_name, i.total_amount, i.paid_amount,
               i.total_amount - i.paid_amount AS open_amount, i.invoice_date, i.due_date,
               i.invoice_year AS year, i.invoice_month AS month, i.status AS invoice_status
        FROM billing_context.invoices i JOIN project_context.customers c ON c.id = i.customer_id
        WHERE i.id = :id""",
    "matching_result": f"""
        SELECT r.id AS matching_result_id, r.project_id, {_PROJECT_COLUMNS}, p.customer_id,
               c.name AS customer_name, r.engineer_id, e.full_name AS engineer_name,
               r.matching_score
        FROM matching_context.matching_results r
        JOIN project_context.projects p ON p.id = r.project_id
        JOIN project_context.customers c ON c.id = p.customer_id
        JOIN engineer_context.engineers e ON e.id = r.engineer_id
        WHERE r.id = :id""",
    "certification": """
        SELECT ce.id AS certification_id, ce.name AS certification_name, ce.expires_on,
               ce.engineer_id, e.full_name AS engineer_name, e.partner_company_id
        FROM engineer_context.certifications ce
        JOIN engineer_context.engineers e ON e.id = ce.engineer_id
        WHERE ce.id = :id""",
}
# a matching request names the case; the engineer comes from the payload
FACT_QUERIES["matching_request"] = f"""
        SELECT m.id AS matching_request_id, m.project_id, {_PROJECT_COLUMNS}, p.customer_id,
               c.name AS customer_name
        FROM matching_context.matching_requests m
        JOIN project_context.projects p ON p.id = m.project_id
        JOIN project_context.customers c ON c.id = p.customer_id
        WHERE m.id = :id"""


def load_facts(event: DomainEvent) -> dict:
    """The payload overlaid with the aggregate's current facts (the database wins)."""
    facts = dict(event.payload)
    query = FACT_QUERIES.get(event.aggregate_type)
    if query:
        row = db.session.execute(text(query), {"id": event.aggregate_id}).mappings().first()
        if row:
            facts.update(row)
    if event.aggregate_type == "matching_request" and facts.get("engineer_id"):
        facts.setdefault("engineer_name", _engineer_name(facts["engineer_id"]))
    facts.update(event_type=event.event_type, aggregate_type=event.aggregate_type,
                 aggregate_id=event.aggregate_id, occurred_at=event.occurred_at,
                 actor_user_id=event.actor_user_id)
    return facts


def _engineer_name(engineer_id) -> str | None:
    return db.session.execute(text("SELECT full_name FROM engineer_context.engineers WHERE id = :id"),
                              {"id": uuid.UUID(str(engineer_id))}).scalar()
