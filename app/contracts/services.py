"""Contracts: create and edit them under the rules of validation.py, and price a month.

The area's API for other contexts:

* ``create_contract(values, created_by=None)`` -- register a contract (the billing area's CSV
  import uses it); ``values`` are column names with typed values or strings;
* ``update_contract(contract, values, seen_version)`` -- edit a draft (optimistic lock);
* ``settle_month(contract_id, year, month, billable_minutes)`` -- the month's amount of one side,
  with the terms in force that month and the partial-month share (日割り);
* ``proration(contract, year, month)`` and ``gross_margin(sell, buy)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ..core.calendar import BusinessCalendar, month_end
from ..core.db import check_version
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from . import fields, lookups, validation
from .models import Contract
from .settlement import Settlement, settle
from .terms import settlement_terms_for
from .validation import ContractInvalid, Problem

IMPORTABLE_STATUSES = ("DRAFT", "CONCLUDED", "ACTIVE", "ENDED")
EDITABLE_STATUSES = ("DRAFT",)


def prepare(raw: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> tuple[dict, list[Problem]]:
    """Typed, defaulted values of ``raw`` over ``base`` and every problem with them."""
    typed, errors = fields.convert(dict(raw))
    values = fields.with_defaults({**(base or {}), **typed})
    if values.get("settlement_method") == "NONE":
        values.update(lower_hours=None, upper_hours=None, excess_rate=None, deduction_rate=None)
    project = lookups.project(values.get("project_id"))
    if values.get("side") == "SELL" and values.get("customer_id") is None and project:
        values["customer_id"] = project["customer_id"]
    if not values.get("title") and project:
        values["title"] = project["title"]
    problems = [Problem(f, m) for f, m in errors.items()]
    checked = {k: v for k, v in values.items() if k not in errors}
    problems += validation.check(checked, values.get("id"))
    return values, problems


def _raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ContractInvalid(errors)


def create_contract(values: Mapping[str, Any], *, created_by: uuid.UUID | None = None) -> Contract:
    """Register a contract after checking every rule; a DRAFT unless ``status`` says it was
    already concluded on paper (CONCLUDED / ACTIVE / ENDED).  The number is generated when
    ``contract_number`` is empty.  Raises ContractInvalid with every error by field."""
    prepared, problems = prepare(values)
    if prepared.get("status") not in IMPORTABLE_STATUSES:
        problems.append(Problem("status", str(_l("新しい契約の状態は下書き・締結・稼働中・終了のいずれかです。"))))
    _raise_errors(problems)
    contract = Contract(**{k: v for k, v in prepared.items() if k in fields.ALL_FIELDS})
    contract.contract_number = contract.contract_number or _next_number(contract.side)
    contract.created_by = created_by or _current_user_id()
    contract.contract_terms = terms_snapshot(contract)
    _flush_new(contract)
    return contract


def update_contract(contract: Contract, values: Mapping[str, Any], seen_version) -> Contract:
    """Edit a draft contract.  ``seen_version`` is the version the user edited (409 if stale)."""
    check_version(contract, seen_version)
    if contract.status not in EDITABLE_STATUSES:
        raise ContractInvalid([Problem("status", str(_l(
            "編集できるのは下書きの契約だけです。締結後の条件変更は「契約変更」で登録してください。")))])
    base = {name: getattr(contract, name) for name in fields.ALL_FIELDS} | {"id": contract.id}
    prepared, problems = prepare(values, base)
    _raise_errors(problems)
    with db.session.no_autoflush:      # one UPDATE, one version step
        for name in fields.ALL_FIELDS:
            if name != "status":
                setattr(contract, name, prepared.get(name))
        contract.contract_terms = terms_snapshot(contract)
    _flush_existing(contract)
    return contract


def warnings_for(contract: Contract) -> list[Problem]:
    """The warnings (not errors) a saved contract still raises, to show on its page."""
    base = {name: getattr(contract, name) for name in fields.ALL_FIELDS}
    return [p for p in validation.check(base, contract.id) if p.warning]


def _current_user_id() -> uuid.UUID | None:
    identity = current_identity()
    return identity.user_id if identity else None


def _next_number(side: str) -> str:
    serial = db.session.execute(text("SELECT nextval('contract_context.contract_number_seq')")).scalar()
    return f"{'S' if side == 'SELL' else 'B'}{date.today().year}-{serial:05d}"


_CONSTRAINT_PROBLEMS = {
    "uq_contracts_number": ("contract_number", _l("この契約番号は既に使われています。")),
    "ex_contracts_engineer_period": ("start_date", _l("この技術者には期間が重なる契約があります。")),
}


def _flush_new(contract: Contract) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(contract)
            db.session.flush()
    except IntegrityError as error:
        raise _integrity_problem(error) from None


def _flush_existing(contract: Contract) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise _integrity_problem(error) from None


def _integrity_problem(error: IntegrityError) -> ContractInvalid:
    diag = getattr(error.orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    column = getattr(diag, "column_name", None)
    if constraint in _CONSTRAINT_PROBLEMS:
        field, message = _CONSTRAINT_PROBLEMS[constraint]
        return ContractInvalid([Problem(field, str(message))])
    if column:   # a cross-context reference that does not exist
        return ContractInvalid([Problem(column, str(_l("選択した項目が見つかりません。")))])
    raise error


def terms_snapshot(contract: Contract) -> dict:
    """The terms and parties as the document states them (JSON-safe: decimals as strings)."""
    def plain(value):
        return str(value) if isinstance(value, Decimal) else value

    settlement = {k: plain(getattr(contract, k)) for k in (
        "monthly_price", "settlement_method", "lower_hours", "upper_hours", "excess_rate",
        "deduction_rate", "rate_rounding_unit", "rate_rounding_mode", "rounding_target",
        "hours_rounding_minutes", "hours_rounding_scope", "hours_rounding_mode", "partial_month_rule")}
    payment = {k: getattr(contract, k) for k in (
        "closing_day", "payment_month_offset", "payment_day", "payment_holiday_rule")}
    return {"settlement": settlement, "payment": payment, "parties": parties(contract)}


def parties(contract: Contract) -> dict:
    """Names of everyone the contract mentions, kept with it: customers may not read engineers
    and the document must not change when a master record is renamed later."""
    project = lookups.project(contract.project_id) or {}
    engineer = lookups.engineer(contract.engineer_id) or {}
    customer = lookups.customer(contract.customer_id or project.get("customer_id")) or {}
    partner = lookups.partner(contract.partner_company_id) or {}
    return {"project_title": project.get("title"), "project_code": project.get("code"),
            "engineer_name": engineer.get("full_name"), "engineer_code": engineer.get("code"),
            "customer_name": customer.get("name"), "partner_name": partner.get("name"),
            "our_company_name": lookups.our_company()["name"]}


# --- pricing a month ------------------------------------------------------------------------

def proration(contract: Contract, year: int, month: int,
              calendar: BusinessCalendar | None = None) -> Fraction:
    """The share of the month the contract covers (日割り), by its partial-month rule."""
    first, last = date(year, month, 1), month_end(year, month)
    start, end = max(first, contract.start_date), min(last, contract.end_date)
    if end < start:
        return Fraction(0)
    if (start, end) == (first, last) or contract.partial_month_rule == "NONE":
        return Fraction(1)
    if contract.partial_month_rule == "CALENDAR_DAYS":
        return Fraction((end - start).days + 1, (last - first).days + 1)
    calendar = calendar or BusinessCalendar.load(first, last)
    in_month = calendar.business_days_between(first, last)
    return Fraction(calendar.business_days_between(start, end), in_month) if in_month else Fraction(1)


def settle_month(contract_id: uuid.UUID, year: int, month: int, billable_minutes: int) -> Settlement:
    """One side's amount for a month: terms in force that month, prorated for a partial month."""
    contract = db.session.get(Contract, contract_id)
    if contract is None:
        raise LookupError(f"contract {contract_id} not found")
    terms = settlement_terms_for(contract_id, year, month)
    return settle(terms, billable_minutes, proration(contract, year, month))


@dataclass(frozen=True)
class Margin:
    amount: int
    rate: Decimal | None     # percent, one decimal


def gross_margin(sell_amount: int, buy_amount: int) -> Margin:
    """粗利 = sell - buy; rate = 粗利 / sell (DOMAIN.md §1)."""
    amount = sell_amount - buy_amount
    if not sell_amount:
        return Margin(amount, None)
    rate = (Decimal(amount) * 100 / Decimal(sell_amount)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Margin(amount, rate)
