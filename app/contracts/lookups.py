"""Read-only lookups of the records a contract refers to in other contexts: cases and customers
(project_context), engineers and partner companies (engineer_context), concluded matches
(matching_context) and our company profile (billing_context's default issuer).

Plain SQL by id, under the caller's role: row level security decides what is visible (a
project manager sees only the cases they manage).  These stay here, read-only, so the contract
area does not depend on the other areas' models.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import text

from ..core.grants import granted_rows, rows_if_granted
from ..extensions import db

OUR_COMPANY_FALLBACK = {"name": "当社", "address": "", "registration_number": ""}
ISSUER_READERS = ("admin", "project_manager", "finance")      # billing_context.issuers policies


def _one(sql: str, **params) -> Mapping | None:
    return db.session.execute(text(sql), params).mappings().first()


def project(project_id: uuid.UUID | None) -> Mapping | None:
    if project_id is None:
        return None
    return _one("SELECT id, code, title, customer_id, status, start_date, end_date, location,"
                " work_style, rate_min, rate_max, settlement_lower_hours, settlement_upper_hours,"
                " chain_position, chain_restriction, project_manager_id, sales_manager_id, description"
                " FROM project_context.projects WHERE id = :id AND deleted_at IS NULL", id=project_id)


def customer(customer_id: uuid.UUID | None) -> Mapping | None:
    if customer_id is None:
        return None
    return _one("SELECT id, code, name, honorific, address, closing_day, payment_month_offset,"
                " payment_day, payment_holiday_rule FROM project_context.customers"
                " WHERE id = :id AND deleted_at IS NULL", id=customer_id)


def engineer(engineer_id: uuid.UUID | None) -> Mapping | None:
    if engineer_id is None:
        return None
    return _one("SELECT id, code, full_name, employment_type, partner_company_id,"
                " received_under_dispatch FROM engineer_context.engineers"
                " WHERE id = :id AND deleted_at IS NULL", id=engineer_id)


def partner(partner_id: uuid.UUID | None) -> Mapping | None:
    if partner_id is None:
        return None
    return _one("SELECT id, code, name, address, is_sole_proprietor, subcontract_act_covered,"
                " freelance_act_covered, closing_day, payment_month_offset, payment_day,"
                " payment_holiday_rule FROM engineer_context.partner_companies"
                " WHERE id = :id AND deleted_at IS NULL", id=partner_id)


def concluded_match(matching_result_id: uuid.UUID) -> Mapping | None:
    """A concluded matching result with what its request and case say about the placement."""
    return _one(
        "SELECT r.id, r.project_id, r.engineer_id, r.contract_id, q.title AS request_title,"
        " q.start_date, q.end_date, q.rate_min, q.rate_max, q.location, q.chain_restriction,"
        " q.conditions FROM matching_context.matching_results r"
        " JOIN matching_context.matching_requests q ON q.id = r.matching_request_id"
        " WHERE r.id = :id AND r.status = 'CONCLUDED' AND r.deleted_at IS NULL",
        id=matching_result_id)


def our_company() -> Mapping:
    """Our company as it appears on contracts: the default issuer, if one is set up."""
    from ..core.identity import current_identity

    identity = current_identity()
    if identity is None or identity.role not in ISSUER_READERS:
        return OUR_COMPANY_FALLBACK
    # No savepoint here: it would flush a contract being edited (one UPDATE per edit).
    row = _one("SELECT name, address, registration_number FROM billing_context.issuers"
               " WHERE is_default AND deleted_at IS NULL")
    return row or OUR_COMPANY_FALLBACK


def project_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(text(
        "SELECT p.id, p.code || ' ' || p.title || '（' || c.name || '）'"
        " FROM project_context.projects p JOIN project_context.customers c ON c.id = p.customer_id"
        " WHERE p.deleted_at IS NULL AND p.status NOT IN ('LOST', 'CANCELLED')"
        " ORDER BY p.code"))
    return [(str(i), label) for i, label in rows]


def engineer_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(text(
        "SELECT id, code || ' ' || full_name FROM engineer_context.engineers"
        " WHERE deleted_at IS NULL ORDER BY code"))
    return [(str(i), label) for i, label in rows]


def partner_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(text(
        "SELECT id, code || ' ' || name FROM engineer_context.partner_companies"
        " WHERE deleted_at IS NULL ORDER BY code"))
    return [(str(i), label) for i, label in rows]


_NAME_SOURCES = {"project": ("project_context.projects", "title"), "customer": ("project_context.customers", "name"),
                 "engineer": ("engineer_context.engineers", "full_name"),
                 "partner": ("engineer_context.partner_companies", "name")}


def _names_of(kind: str, parameter: str) -> str:
    table, column = _NAME_SOURCES[kind]
    return f"SELECT id, {column} AS name FROM {table} WHERE id = ANY(:{parameter})"


def names(ids: Mapping[str, set]) -> dict[uuid.UUID, str]:
    """Display names for sets of ids by kind (project, customer, engineer, partner), in one
    statement for a list -- never one query per row.  A kind whose table the role may not read
    at all (customers never read engineer_context) is left out: for such a role the kinds are
    read one statement each, the refused ones not at all."""
    wanted = {kind: [i for i in values if i] for kind, values in ids.items()}
    wanted = {kind: values for kind, values in wanted.items() if values}
    if not wanted:
        return {}
    rows = granted_rows(" UNION ALL ".join(_names_of(kind, kind) for kind in wanted), **wanted)
    if rows is None:
        rows = [row for kind, values in wanted.items() for row in rows_if_granted(_names_of(kind, "ids"), ids=values)]
    return {row["id"]: row["name"] for row in rows}
