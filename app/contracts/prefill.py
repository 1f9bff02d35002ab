"""What the contract form starts from -- a concluded match (``?matching_result_id=``), the sale a
purchase backs (``?sell_contract_id=``), an existing draft -- and the live previews' inputs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from flask import request
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from wtforms import SelectChoice

from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import fields, lookups
from .forms import ContractForm
from .models import Contract, ContractTemplate
from .settlement import Settlement, SettlementTerms, billable_minutes, settle
from .terms import TERM_FIELDS

STANDARD_MINUTES = 160 * 60


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _text(values: Mapping) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in values.items()}


def from_match(matching_result_id: uuid.UUID | None) -> dict:
    """A draft sale from a concluded match: the case, the engineer, dates, rate and range."""
    match = lookups.concluded_match(matching_result_id) if matching_result_id else None
    if match is None:
        return {}
    project = lookups.project(match["project_id"]) or {}
    return {"matching_result_id": match["id"], "project_id": match["project_id"],
            "engineer_id": match["engineer_id"], "side": "SELL", "contract_type": "QUASI_MANDATE",
            "start_date": match["start_date"] or project.get("start_date"),
            "end_date": match["end_date"] or project.get("end_date"),
            "monthly_price": match["rate_max"] or project.get("rate_max"),
            "lower_hours": project.get("settlement_lower_hours"),
            "upper_hours": project.get("settlement_upper_hours"),
            "work_site": match["location"] or project.get("location"),
            "chain_restriction": project.get("chain_restriction") or "NONE",
            "title": project.get("title"), "work_description": match["request_title"]}


def from_sale(sell_contract_id: uuid.UUID | None) -> dict:
    """The purchase side of a sale: same engineer, case, period and range; the engineer's partner."""
    sale = db.session.get(Contract, sell_contract_id) if sell_contract_id else None
    if sale is None or not sale.is_sell:
        return {}
    engineer = lookups.engineer(sale.engineer_id) or {}
    keep = ("contract_type", "project_id", "engineer_id", "start_date", "end_date", "settlement_method",
            "lower_hours", "upper_hours", "hours_rounding_minutes", "hours_rounding_scope",
            "hours_rounding_mode", "work_site", "work_description")
    return {**{k: getattr(sale, k) for k in keep}, "side": "BUY", "sell_contract_id": sale.id,
            "partner_company_id": engineer.get("partner_company_id"), "title": f"{sale.title}（仕入）",
            "rate_rounding_unit": 1}


def contract_form(args: Mapping, contract: Contract | None = None) -> ContractForm:
    if request.method == "POST":
        form = ContractForm()
    elif contract is not None:
        form = ContractForm(data=_text({n: getattr(contract, n) for n in fields.ALL_FIELDS})
                            | {"version": str(contract.version)})
    else:
        start = from_match(_uuid(args.get("matching_result_id"))) or from_sale(_uuid(args.get("sell_contract_id")))
        form = ContractForm(data=_text({**fields.DEFAULTS, **start}))
    _choices(form)
    return form


def _choices(form: ContractForm) -> None:
    def options(pairs, blank="—"):
        return [SelectChoice("", blank)] + [SelectChoice(value, label) for value, label in pairs]

    form.project_id.choices = options(lookups.project_choices())
    form.engineer_id.choices = options(lookups.engineer_choices())
    form.partner_company_id.choices = options(lookups.partner_choices())
    templates = db.session.execute(select(ContractTemplate.id, ContractTemplate.name, ContractTemplate.template_version)
                                   .where(ContractTemplate.is_active).order_by(ContractTemplate.code))
    form.template_id.choices = options(((str(i), f"{name} v{v}") for i, name, v in templates),
                                       str(_l("契約形態の標準テンプレート")))


def link_match(contract: Contract) -> None:
    """Tell the concluded match which contract it became (best effort: the matching area owns
    the row; without access to it the contract still stands)."""
    if not contract.matching_result_id:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(text(
                "UPDATE matching_context.matching_results SET contract_id = :c WHERE id = :m"
                " AND contract_id IS NULL"), {"c": contract.id, "m": contract.matching_result_id})
    except DBAPIError:   # no access to the match: nothing to undo here
        pass


# --- previews -------------------------------------------------------------------------------

def preview_month(contract: Contract, today: date) -> tuple[int, int]:
    """The month a preview shows first: this month inside the period, else the nearest end."""
    day = min(max(today, contract.start_date), contract.end_date)
    return day.year, day.month


def month_arg(value: str | None, default: tuple[int, int]) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return default
    return year, month


def default_minutes(contract: Contract, year: int, month: int) -> int:
    """Hours to show before anyone types: the middle of the settlement range, or 160 h."""
    if contract.lower_hours is None or contract.upper_hours is None:
        return STANDARD_MINUTES
    return int((contract.lower_hours + contract.upper_hours) / 2 * 60)


def terms_from_form(args: Mapping) -> tuple[SettlementTerms | None, str | None]:
    typed, errors = fields.convert({k: args.get(k) for k in TERM_FIELDS if k in args})
    if errors:
        return None, next(iter(errors.values()))
    values = {**fields.DEFAULTS, **{k: v for k, v in typed.items() if v is not None}}
    if values.get("monthly_price") is None:
        return None, str(_l("月額単価を入力するとシミュレーションを表示します。"))
    try:
        return SettlementTerms.from_mapping(values), None
    except ValueError:
        return None, str(_l("精算幅（下限・上限）を正しく入力するとシミュレーションを表示します。"))


def simulate(terms: SettlementTerms | None, minutes: int | None) -> Settlement | None:
    if terms is None:
        return None
    worked = STANDARD_MINUTES if minutes is None else minutes
    if minutes is None and terms.lower_hours is not None:
        worked = int((terms.lower_hours + terms.upper_hours) / 2 * 60)
    return settle(terms, billable_minutes([worked], terms))


def hours_text(minutes: int) -> str:
    return f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")
