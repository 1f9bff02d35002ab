"""The buy side: 支払通知書 (payment notices) to partner companies.

The same closed hours that are sold are bought: for each SELL timesheet, every BUY contract
backing it (``sell_contract_id``) is settled with its own terms.  One notice per partner and
month (per payment terms).  A registered partner's tax is deducted in full; an unregistered
partner's only by the transitional share in force when the service was received (dated table
``input_tax_deduction_rates``).  Partners covered by the 取適法 / フリーランス法 must be paid
within 60 days of receiving the service: the notice says how many days it takes and flags more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import func, insert, text

from ..core.calendar import BusinessCalendar, month_end
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..core.money import round_to_unit
from ..core.registration import registration_number_problem
from ..extensions import db
from . import journal
from .issue import BillingError, default_issuer, due_date_for
from .lines import LineDraft, adjustment_line, settlement_line
from .models import (
    InputTaxDeductionRate,
    Issuer,
    PurchasePayment,
    PurchaseStatement,
    PurchaseStatementLine,
)
from .numbering import take_number
from .run import lock_month
from .sources import (
    MonthSources,
    approved_adjustments,
    billed_adjustment_minutes,
    month_sources,
    partners_with_unbilled,
    unbilled_purchases,
)
from .tax import deductible_tax, totals_by_rate

PAYMENT_LIMIT_DAYS = 60


@dataclass(frozen=True)
class Partner:
    id: uuid.UUID
    code: str
    name: str
    registration_number: str | None
    is_sole_proprietor: bool
    subcontract_act_covered: bool
    freelance_act_covered: bool

    @property
    def registered(self) -> bool:
        return registration_number_problem(self.registration_number,
                                           corporation=not self.is_sole_proprietor) is None


def partner(partner_id: uuid.UUID) -> Partner:
    fields = ", ".join(Partner.__dataclass_fields__)
    row = db.session.execute(text(f"SELECT {fields} FROM engineer_context.partner_companies WHERE id = :p"),
                             {"p": partner_id}).mappings().one()
    return Partner(**row)


def deduction_percent_on(day: date) -> int:
    """The deductible share (%) of tax paid to an unregistered partner for a service received
    on ``day``: 100 before the qualified-invoice system, 0 after the last transitional row."""
    rate = db.session.scalar(db.select(InputTaxDeductionRate.deductible_percent).where(
        InputTaxDeductionRate.valid_from <= day, InputTaxDeductionRate.valid_to >= day))
    if rate is not None:
        return rate
    first = db.session.scalar(db.select(func.min(InputTaxDeductionRate.valid_from)))
    return 100 if first is not None and day < first else 0


def payment_days(service_received: date, due: date) -> int:
    return (due - service_received).days


def partners_to_pay(year: int, month: int, sources: MonthSources | None = None) -> list[uuid.UUID]:
    ids = partners_with_unbilled(sources or month_sources(year, month))
    return sorted(ids, key=lambda i: partner(i).code)


def bill_partner(partner_id: uuid.UUID, year: int, month: int, *, issue_date: date,
                 calendar: BusinessCalendar, sources: MonthSources | None = None,
                 issuer: Issuer | None = None, run_id: uuid.UUID | None = None,
                 original: PurchaseStatement | None = None) -> list[PurchaseStatement]:
    """Issue the partner's payment notices for the month; [] if all is already on one.
    ``original``: the cancelled notice the new ones replace (再発行)."""
    lock_month("partner", partner_id, year, month)
    sources = sources or month_sources(year, month)
    issuer = issuer or default_issuer()
    groups: dict[tuple, list[LineDraft]] = {}
    for bought in unbilled_purchases(sources, partner_id):
        groups.setdefault(bought.contract.payment_terms, []).append(settlement_line(bought, calendar))
    for terms, lines in _adjustment_lines(partner_id, year, month, calendar).items():
        groups.setdefault(terms, []).extend(lines)
    who = partner(partner_id)
    statements = []
    for terms, lines in groups.items():
        due = due_date_for(year, month, terms, calendar)
        statement = create_statement(issuer, who, year, month, lines, due, run_id, original)
        statements.append(issue_statement(statement, issuer, issue_date))
    return statements


def _adjustment_lines(partner_id, year: int, month: int, calendar: BusinessCalendar) -> dict[tuple, list]:
    """Approved adjustments owed to the partner too, priced with the purchase contract."""
    groups: dict[tuple, list[LineDraft]] = {}
    adjusted: dict[uuid.UUID, int] = {}
    for adjustment in approved_adjustments(year, month, side="BUY"):
        contract = adjustment.timesheet.contract
        if contract.partner_company_id != partner_id:
            continue
        key = adjustment.timesheet.timesheet_id
        adjusted.setdefault(key, billed_adjustment_minutes(key, contract.contract_id, side="BUY"))
        groups.setdefault(contract.payment_terms, []).append(adjustment_line(adjustment, calendar, adjusted[key]))
        adjusted[key] += adjustment.minutes_delta
    return groups


def create_statement(issuer: Issuer, who: Partner, year: int, month: int, lines: list[LineDraft],
                     due: date, run_id: uuid.UUID | None,
                     original: PurchaseStatement | None = None) -> PurchaseStatement:
    received = month_end(year, month)
    by_rate = totals_by_rate(((line.amount, line.tax_rate_percent) for line in lines), issuer.tax_rounding)
    percent = 100 if who.registered else deduction_percent_on(received)
    deductible = {r.rate: deductible_tax(r.tax, percent) for r in by_rate}
    days = payment_days(received, due)
    statement = PurchaseStatement(
        id=uuid.uuid4(), statement_year=year, statement_month=month, issuer_id=issuer.id,
        partner_company_id=who.id, run_id=run_id, period_start=date(year, month, 1), period_end=received,
        due_date=due, partner_name=who.name, partner_registration_number=who.registration_number,
        partner_registered=who.registered, subcontract_act_covered=who.subcontract_act_covered,
        freelance_act_covered=who.freelance_act_covered, issuer_name=issuer.name, days_to_payment=days,
        exceeds_payment_limit=days > PAYMENT_LIMIT_DAYS and (who.subcontract_act_covered
                                                             or who.freelance_act_covered),
        subtotal_amount=sum(r.subtotal for r in by_rate), tax_amount=sum(r.tax for r in by_rate),
        total_amount=sum(r.total for r in by_rate), deduction_percent=percent,
        deductible_tax_amount=sum(deductible.values()), original_statement_id=original.id if original else None,
        details={"by_rate": {str(r.rate): {"subtotal": r.subtotal, "tax": r.tax, "deductible": deductible[r.rate]}
                             for r in by_rate},
                 "partner_code": who.code, "issuer": _issuer_block(issuer),
                 "replaces": original.statement_number if original else None})
    db.session.add(statement)
    db.session.flush()
    db.session.execute(insert(PurchaseStatementLine), [
        {"statement_id": statement.id, "line_no": n, **_purchase_fields(line)} for n, line in enumerate(lines, start=1)])
    return statement


_LINE_FIELDS = set(PurchaseStatementLine.__table__.columns.keys())


def _purchase_fields(line: LineDraft) -> dict:
    return {k: v for k, v in line.values().items() if k in _LINE_FIELDS}


def _issuer_block(issuer: Issuer) -> dict:
    return {"name": issuer.name, "registration_number": issuer.registration_number,
            "postal_code": issuer.postal_code, "address": issuer.address, "phone": issuer.phone}


def issue_statement(statement: PurchaseStatement, issuer: Issuer, issue_date: date) -> PurchaseStatement:
    identity = current_identity()
    statement.statement_number = take_number(issuer.id, statement.statement_year, "PN", "PAYMENT_NOTICE")
    statement.statement_date = issue_date
    statement.issued_at = func.now()
    statement.issued_by = identity.user_id if identity else None
    statement.status = "ISSUED"
    db.session.flush()
    post_purchase_entry(statement)
    return statement


def post_purchase_entry(statement: PurchaseStatement, *, reversed_on: date | None = None) -> None:
    """外注費 (+ the tax that may not be deducted) and 仮払消費税 / 買掛金 (DOMAIN.md §6); with
    ``reversed_on``, the same entry with debit and credit swapped, dated that day (取消)."""
    sign = -1 if reversed_on else 1
    entry = journal.Entry(reversed_on or statement.statement_date,
                          "PARTNER_PURCHASE_CANCELLED" if reversed_on else "PARTNER_PURCHASE",
                          "purchase_statement", statement.id, counterparty=statement.partner_name,
                          description=f"{statement.statement_number} {statement.statement_year}年"
                                      f"{statement.statement_month}月分" + (" 取消" if reversed_on else ""))
    for rate, values in statement.details["by_rate"].items():
        category = journal.purchase_tax_category(int(rate), statement.deduction_percent)
        not_deductible = values["tax"] - values["deductible"]
        entry.debit(journal.OUTSOURCING, sign * (values["subtotal"] + not_deductible), tax_category=category)
        entry.debit(journal.INPUT_TAX, sign * values["deductible"], tax_category=category)
    entry.credit(journal.ACCOUNTS_PAYABLE, sign * statement.total_amount, sub_account=statement.partner_name)
    entry.post()


def statement_lines(statement: PurchaseStatement) -> list[PurchaseStatementLine]:
    return list(db.session.scalars(db.select(PurchaseStatementLine).where(
        PurchaseStatementLine.statement_id == statement.id).order_by(PurchaseStatementLine.line_no)))


def fee_parts(fee_with_tax: int, rate: int = 10) -> tuple[int, int]:
    """A bank fee with tax (440) as (fee, tax) = (400, 40)."""
    tax = fee_with_tax - round_to_unit(Fraction(fee_with_tax * 100, 100 + rate), 1, "CEIL")
    return fee_with_tax - tax, tax


def record_purchase_payment(statement: PurchaseStatement, *, paid_on: date, amount: int, fee: int = 0,
                            fee_borne_by: str = "US", idempotency_key: str,
                            reference: str | None = None) -> PurchasePayment:
    """Pay (part of) a payment notice.  A 取適法-covered partner's fee is always ours."""
    existing = db.session.scalar(db.select(PurchasePayment).where(
        PurchasePayment.idempotency_key == idempotency_key))
    if existing is not None:
        return existing
    if statement.status not in ("ISSUED", "PARTIALLY_PAID"):
        raise BillingError(None, _l("この支払通知書は支払を記録できる状態ではありません。"))
    if amount <= 0 or amount > statement.open_amount:
        raise BillingError("amount", _l("支払額は1円以上、未払額以下で入力してください。"))
    if fee < 0:
        raise BillingError("fee", _l("手数料は0円以上で入力してください。"))
    if fee_borne_by == "PARTNER" and (statement.subcontract_act_covered or statement.freelance_act_covered):
        raise BillingError("fee_borne_by", _l("取適法・フリーランス法の対象先から振込手数料を差し引くことはできません。"))
    identity = current_identity()
    payment = PurchasePayment(statement_id=statement.id, paid_on=paid_on, amount=amount, fee_amount=fee,
                              fee_borne_by=fee_borne_by, reference=reference, idempotency_key=idempotency_key,
                              recorded_by=identity.user_id if identity else None)
    db.session.add(payment)
    statement.paid_amount += amount
    statement.status = "PAID" if statement.paid_amount == statement.total_amount else "PARTIALLY_PAID"
    db.session.flush()
    post_partner_payment_entry(statement, payment)
    return payment


def post_partner_payment_entry(statement: PurchaseStatement, payment: PurchasePayment) -> None:
    """買掛金 (+ 支払手数料 and its 仮払消費税 when we bear the fee) / 普通預金."""
    entry = journal.Entry(payment.paid_on, "PARTNER_PAYMENT", "purchase_payment", payment.id,
                          counterparty=statement.partner_name, description=f"{statement.statement_number} 支払")
    entry.debit(journal.ACCOUNTS_PAYABLE, payment.amount, sub_account=statement.partner_name)
    if payment.fee_borne_by == "US":
        fee, tax = fee_parts(payment.fee_amount)
        entry.debit(journal.BANK_FEES, fee, tax_category="課対仕入10%", tax_amount=tax)
        entry.debit(journal.INPUT_TAX, tax, tax_category="課対仕入10%")
        entry.credit(journal.BANK, payment.amount + payment.fee_amount)
    else:   # the partner bears it: we transfer less, the bank takes the fee
        entry.credit(journal.BANK, payment.amount)
    entry.post()
