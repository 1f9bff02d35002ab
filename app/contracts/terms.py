"""Which terms apply to a month: the contract's own, or those of the latest approved amendment
effective on or before the first day of that month (earlier months keep earlier terms).

An amendment's ``terms`` JSON uses the contract's column names (monthly_price,
settlement_method, lower_hours, upper_hours, excess_rate, deduction_rate, rate_rounding_unit,
rate_rounding_mode, rounding_target, hours_rounding_minutes, hours_rounding_scope,
hours_rounding_mode); keys it leaves out keep the contract's values.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import text

from ..extensions import db
from .settlement import SettlementTerms

TERM_FIELDS = ("monthly_price", "settlement_method", "lower_hours", "upper_hours", "excess_rate",
               "deduction_rate", "rate_rounding_unit", "rate_rounding_mode", "rounding_target",
               "hours_rounding_minutes", "hours_rounding_scope", "hours_rounding_mode")


def terms_in_force(contract: Mapping, amendments: Sequence[Mapping], year: int, month: int) -> dict:
    """The term values for (year, month) as a dict of TERM_FIELDS."""
    first_day = date(year, month, 1)
    values = {field: contract[field] for field in TERM_FIELDS}
    applicable = sorted((a for a in amendments
                         if a["status"] == "APPROVED" and a["effective_from"] <= first_day),
                        key=lambda a: a["effective_from"])
    for amendment in applicable:
        values.update({k: v for k, v in amendment["terms"].items() if k in TERM_FIELDS})
    return values


def settlement_terms_for(contract_id: uuid.UUID, year: int, month: int) -> SettlementTerms:
    """Load a contract and its amendments and return the settlement terms of the month."""
    contract = db.session.execute(text(
        f"SELECT {', '.join(TERM_FIELDS)} FROM contract_context.contracts WHERE id = :id"),
        {"id": contract_id}).mappings().one()
    amendments = db.session.execute(text(
        "SELECT effective_from, status, terms FROM contract_context.contract_amendments"
        " WHERE contract_id = :id AND deleted_at IS NULL"), {"id": contract_id}).mappings().all()
    return SettlementTerms.from_mapping(terms_in_force(contract, amendments, year, month))


def settlement_terms_many(contract_ids, year: int, month: int) -> dict[uuid.UUID, SettlementTerms]:
    """The month's settlement terms of many contracts in two queries (billing runs, lists)."""
    ids = list(set(contract_ids))
    if not ids:
        return {}
    contracts = db.session.execute(text(
        f"SELECT id, {', '.join(TERM_FIELDS)} FROM contract_context.contracts WHERE id = ANY(:ids)"),
        {"ids": ids}).mappings().all()
    amendments: dict[uuid.UUID, list] = {}
    for row in db.session.execute(text(
            "SELECT contract_id, effective_from, status, terms FROM contract_context.contract_amendments"
            " WHERE contract_id = ANY(:ids) AND deleted_at IS NULL"), {"ids": ids}).mappings():
        amendments.setdefault(row["contract_id"], []).append(row)
    return {c["id"]: SettlementTerms.from_mapping(terms_in_force(c, amendments.get(c["id"], []), year, month))
            for c in contracts}
