"""Journal entries (会計仕訳, tax-exclusive bookkeeping) for the billing events (DOMAIN.md §6).

An entry is a list of debit and credit lines that must balance; the database checks the balance
at commit (deferred constraint trigger) and refuses any later change.  Each document is posted
once per event (unique index on event, source).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, text

from ..extensions import db
from .models import AccountingEntry

# 勘定科目
ACCOUNTS_RECEIVABLE = "売掛金"
SALES = "売上高"
OUTPUT_TAX = "仮受消費税"
BANK = "普通預金"
SALES_DISCOUNT = "売上値引"
ADVANCES_RECEIVED = "前受金"
OUTSOURCING = "外注費"
INPUT_TAX = "仮払消費税"
ACCOUNTS_PAYABLE = "買掛金"
BANK_FEES = "支払手数料"


def sales_tax_category(rate: int) -> str:
    return {10: "課税売上10%", 8: "課税売上8%(軽)"}.get(rate, "対象外")


def purchase_tax_category(rate: int, deductible_percent: int = 100) -> str:
    if rate == 0:
        return "対象外"
    reduced = "(軽)" if rate == 8 else ""
    if deductible_percent == 100:
        return f"課対仕入{rate}%{reduced}"
    return f"課対仕入(控{deductible_percent}){rate}%{reduced}"


@dataclass
class Entry:
    """A journal entry being built: add lines, then ``post`` it."""

    entry_date: date
    event_type: str
    source_type: str
    source_id: uuid.UUID
    counterparty: str | None = None
    description: str | None = None
    lines: list[dict] = field(default_factory=list)

    def debit(self, account: str, amount: int, *, tax_category: str | None = None,
              tax_amount: int = 0, sub_account: str | None = None) -> Entry:
        return self._add("DEBIT", account, amount, tax_category, tax_amount, sub_account)

    def credit(self, account: str, amount: int, *, tax_category: str | None = None,
               tax_amount: int = 0, sub_account: str | None = None) -> Entry:
        return self._add("CREDIT", account, amount, tax_category, tax_amount, sub_account)

    def _add(self, side, account, amount, tax_category, tax_amount, sub_account) -> Entry:
        if amount < 0:   # a negative debit is a credit (credit notes reverse their invoice)
            side, amount = ("CREDIT" if side == "DEBIT" else "DEBIT"), -amount
        if amount:
            self.lines.append({"side": side, "account": account, "amount": amount,
                               "tax_category": tax_category, "tax_amount": abs(tax_amount),
                               "sub_account": sub_account})
        return self

    @property
    def balanced(self) -> bool:
        debit = sum(line["amount"] for line in self.lines if line["side"] == "DEBIT")
        credit = sum(line["amount"] for line in self.lines if line["side"] == "CREDIT")
        return debit == credit and debit > 0

    def post(self) -> uuid.UUID | None:
        """Write the entry (debits first) and return its entry_id; nothing for a zero amount."""
        if not self.lines:
            return None
        if not self.balanced:
            raise ValueError(f"unbalanced journal entry for {self.source_type} {self.source_id}")
        entry_id = uuid.uuid4()
        number = db.session.execute(text(
            "SELECT nextval('billing_context.accounting_entry_number_seq')")).scalar_one()
        ordered = sorted(self.lines, key=lambda line: line["side"] != "DEBIT")
        db.session.execute(insert(AccountingEntry), [dict(
            entry_id=entry_id, entry_number=number, entry_date=self.entry_date,
            event_type=self.event_type, line_no=n, counterparty=self.counterparty,
            description=self.description, source_type=self.source_type, source_id=self.source_id,
            **line) for n, line in enumerate(ordered, start=1)])
        return entry_id


def entries_for(source_type: str, source_id: uuid.UUID) -> list[AccountingEntry]:
    return list(db.session.scalars(
        db.select(AccountingEntry).where(AccountingEntry.source_type == source_type,
                                         AccountingEntry.source_id == source_id)
        .order_by(AccountingEntry.entry_number, AccountingEntry.line_no)))
