"""After signing: amendments (契約変更), renewals (更新), termination (解約) and the daily move
from 締結 to 稼働中 to 終了.

An amendment never edits the signed contract: it records what changes, from which month and
why; earlier months keep earlier terms (terms.terms_in_force).  A renewal is a new, linked
contract that goes through signing again.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ..core.calendar import add_months
from ..core.db import check_version
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from . import fields, validation
from .models import Contract, ContractAmendment
from .services import create_contract
from .settlement import SettlementTerms
from .terms import TERM_FIELDS, terms_in_force
from .validation import ContractInvalid, Problem

TOKYO = ZoneInfo("Asia/Tokyo")
SIGNED = ("CONCLUDED", "ACTIVE")
RENEWABLE = ("CONCLUDED", "ACTIVE", "ENDED")
OPTIONAL_TERMS = ("lower_hours", "upper_hours", "excess_rate", "deduction_rate")


def _invalid(field: str, message) -> ContractInvalid:
    return ContractInvalid([Problem(field, str(message))])


def amendments_of(contract: Contract) -> list[ContractAmendment]:
    return list(db.session.scalars(select(ContractAmendment).where(
        ContractAmendment.contract_id == contract.id).order_by(ContractAmendment.effective_from)))


def _as_mapping(amendment: ContractAmendment) -> dict:
    return {"effective_from": amendment.effective_from, "status": amendment.status, "terms": amendment.terms}


def terms_at(contract: Contract, year: int, month: int) -> dict:
    """The term values in force for a month (contract, then approved amendments)."""
    row = {name: getattr(contract, name) for name in TERM_FIELDS}
    return terms_in_force(row, [_as_mapping(a) for a in amendments_of(contract)], year, month)


def _json(value):
    return str(value) if isinstance(value, Decimal) else value


def _check_effective(contract: Contract, effective_from: date | None) -> None:
    if effective_from is None or effective_from.day != 1:
        raise _invalid("effective_from", _l("適用開始月を選択してください。"))
    if effective_from <= contract.start_date.replace(day=1) or effective_from > contract.end_date:
        raise _invalid("effective_from", _l("適用開始月は契約期間の2か月目以降、終了日までにしてください。"))
    if any(a.effective_from == effective_from and a.status != "CANCELLED" for a in amendments_of(contract)):
        raise _invalid("effective_from", _l("この月から適用する契約変更は既に登録されています。"))


def amend_contract(contract: Contract, *, effective_from: date | None, reason: str,
                   values: dict) -> ContractAmendment:
    """Record new price/settlement terms from ``effective_from`` (the first of a month)."""
    if contract.status not in SIGNED:
        raise _invalid("effective_from", _l("契約変更は締結済み・稼働中の契約に登録します。下書きは直接編集してください。"))
    _check_effective(contract, effective_from)
    if not (reason or "").strip():
        raise _invalid("reason", _l("変更理由を入力してください。"))
    typed, errors = fields.convert({k: v for k, v in values.items() if k in TERM_FIELDS})
    if errors:
        raise ContractInvalid([Problem(f, m) for f, m in errors.items()])
    before = terms_at(contract, effective_from.year, effective_from.month)
    # A blank choice keeps the current value; blank hours or rates are checked as missing.
    after = {**before, **{k: v for k, v in typed.items() if v is not None or k in OPTIONAL_TERMS}}
    if after.get("settlement_method") == "NONE":
        after.update(lower_hours=None, upper_hours=None, excess_rate=None, deduction_rate=None)
    problems = validation.check_settlement(after)
    if after.get("monthly_price") is None:
        problems.append(Problem("monthly_price", str(_l("月額単価を入力してください。"))))
    if problems:
        raise ContractInvalid(problems)
    try:
        SettlementTerms.from_mapping(after)
    except ValueError:
        raise _invalid("lower_hours", _l("精算条件を確認してください。")) from None
    changes = {k: {"old": _json(before[k]), "new": _json(after[k])} for k in TERM_FIELDS
               if _json(before[k]) != _json(after[k]) and str(before[k]) != str(after[k])}
    if not changes:
        raise _invalid("monthly_price", _l("変更される項目がありません。"))
    amendment = ContractAmendment(
        contract_id=contract.id, effective_from=effective_from, reason=reason.strip(), changes=changes,
        terms={k: _json(v) for k, v in after.items() if k in TERM_FIELDS}, status="APPROVED",
        approved_by=current_identity().user_id, approved_at=datetime.now(TOKYO))
    db.session.add(amendment)
    db.session.flush()
    return amendment


# --- renewal --------------------------------------------------------------------------------

def _months_between(start: date, end: date) -> int:
    return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)


def renewal_values(contract: Contract, months: int | None = None) -> dict:
    """A draft for the next period: same parties and conditions, the terms in force at the end."""
    start = date.fromordinal(contract.end_date.toordinal() + 1)
    months = months or _months_between(contract.start_date, contract.end_date)
    year, month = add_months(start.year, start.month, months - 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    values = {name: getattr(contract, name) for name in fields.ALL_FIELDS}
    values.update(terms_at(contract, contract.end_date.year, contract.end_date.month))
    values.update(start_date=start, end_date=end, contract_number=None, status="DRAFT",
                  renewed_from_id=contract.id, acceptance_date=None)
    return values


def renew_contract(contract: Contract, months: int | None = None) -> Contract:
    """Create the renewal (a linked draft); a sale's purchase side is renewed with it."""
    if contract.status not in RENEWABLE:
        raise _invalid("status", _l("更新できるのは締結済み・稼働中・終了の契約です。"))
    if db.session.scalar(select(Contract.id).where(Contract.renewed_from_id == contract.id)):
        raise _invalid("status", _l("この契約の更新契約は既に作成されています。"))
    renewal = create_contract(renewal_values(contract, months))
    for buy in purchases_of(contract, at=contract.end_date):
        create_contract({**renewal_values(buy, months), "sell_contract_id": renewal.id,
                         "start_date": renewal.start_date, "end_date": renewal.end_date})
    return renewal


def purchases_of(sale: Contract, at: date | None = None) -> list[Contract]:
    statement = select(Contract).where(Contract.sell_contract_id == sale.id, Contract.side == "BUY")
    if at is not None:
        statement = statement.where(Contract.start_date <= at, Contract.end_date >= at)
    return list(db.session.scalars(statement.order_by(Contract.start_date)))


# --- termination and the daily status move --------------------------------------------------

def terminate_contract(contract: Contract, *, terminated_on: date | None, reason: str,
                       seen_version) -> Contract:
    """解約 from a date, with the reason; the purchase side backing a sale ends with it."""
    check_version(contract, seen_version)
    if contract.status not in SIGNED:
        raise _invalid("status", _l("解約できるのは締結済み・稼働中の契約です。"))
    if terminated_on is None or not contract.start_date <= terminated_on <= contract.end_date:
        raise _invalid("terminated_on", _l("解約日は契約期間内の日付を入力してください。"))
    if not (reason or "").strip():
        raise _invalid("reason", _l("解約理由を入力してください。"))
    for linked in [contract, *[b for b in purchases_of(contract) if b.status in SIGNED]]:
        linked.status = "TERMINATED"
        linked.terminated_at = datetime.combine(terminated_on, time(23, 59), TOKYO)
        linked.termination_reason = reason.strip()
    db.session.flush()
    return contract


def advance_statuses(today: date) -> tuple[int, int]:
    """締結 -> 稼働中 once started; 締結/稼働中 -> 終了 once past the end.  (A daily job.)"""
    ended = db.session.execute(update(Contract).where(
        Contract.status.in_(SIGNED), Contract.end_date < today).values(status="ENDED")).rowcount
    started = db.session.execute(update(Contract).where(
        Contract.status == "CONCLUDED", Contract.start_date <= today).values(status="ACTIVE")).rowcount
    return started, ended
