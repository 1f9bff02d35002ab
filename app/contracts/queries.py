"""Read models of the contract pages: the list with its views (ending this month / next month,
unsigned), a contract's chain and margin, and the preview of a month's settlement."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, and_, func, or_, select

from ..core.calendar import add_months, month_end
from ..core.listing import ListState, Page, paginate
from ..extensions import db
from . import lookups
from .lifecycle import purchases_of, terms_at
from .models import Contract
from .services import gross_margin, proration
from .settlement import Settlement, SettlementTerms, billable_minutes, settle

SORTS = {"number": Contract.contract_number, "start": Contract.start_date, "end": Contract.end_date,
         "price": Contract.monthly_price, "updated": Contract.updated_at}
VIEWS = ("all", "ending_this_month", "ending_next_month", "unsigned", "active")
# What the list shows of a contract: rows of these, not whole contracts (their terms, documents
# and settlement columns would be loaded into objects for nothing).
LIST_COLUMNS = (Contract.id, Contract.contract_number, Contract.side, Contract.title, Contract.project_id,
                Contract.customer_id, Contract.partner_company_id, Contract.engineer_id, Contract.start_date,
                Contract.end_date, Contract.monthly_price, Contract.status)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    view: str = "all"
    side: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        view = args.get("view", "all")
        return cls(q=(args.get("q") or "").strip()[:100], view=view if view in VIEWS else "all",
                   side=args.get("side", "") if args.get("side") in ("SELL", "BUY") else "",
                   status=(args.get("status") or "")[:20])


def _month_window(today: date, offset: int) -> tuple[date, date]:
    year, month = add_months(today.year, today.month, offset)
    return date(year, month, 1), month_end(year, month)


def filtered(filters: Filters, today: date) -> Select:
    statement = select(*LIST_COLUMNS)
    if filters.q:
        like = f"%{filters.q}%"
        statement = statement.where(or_(Contract.contract_number.ilike(like), Contract.title.ilike(like),
                                        Contract.contract_terms["parties"].astext.ilike(like)))
    if filters.side:
        statement = statement.where(Contract.side == filters.side)
    if filters.status:
        statement = statement.where(Contract.status == filters.status)
    if filters.view != "all":
        statement = statement.where(_view(filters.view, today))
    return statement


def _view(view: str, today: date):
    """The condition of a renewal/signature view."""
    if view in ("ending_this_month", "ending_next_month"):
        first, last = _month_window(today, 0 if view == "ending_this_month" else 1)
        return and_(Contract.end_date.between(first, last), Contract.status.in_(("CONCLUDED", "ACTIVE")))
    if view == "unsigned":
        return Contract.status.in_(("DRAFT", "PENDING_APPROVAL"))
    return Contract.status == "ACTIVE"


def search(filters: Filters, state: ListState, today: date) -> Page:
    return paginate(filtered(filters, today), state, SORTS)


def counts(today: date) -> dict[str, int]:
    """How many contracts each renewal/signature view holds (badges on the tabs), in one query."""
    views = ("ending_this_month", "ending_next_month", "unsigned")
    row = db.session.execute(select(*(func.count().filter(_view(view, today)) for view in views))
                             .select_from(Contract)).one()
    return dict(zip(views, row, strict=True))


def renewal_of(contract: Contract) -> Contract | None:
    return db.session.scalars(select(Contract).where(Contract.renewed_from_id == contract.id)).first()


def sale_of(contract: Contract) -> Contract | None:
    return db.session.get(Contract, contract.sell_contract_id) if contract.sell_contract_id else None


# --- the settlement preview -----------------------------------------------------------------

def parse_hours(text: str | None) -> int | None:
    """Minutes from "190.5", "190:30" or "190時間30分"; None when blank or unreadable."""
    text = (text or "").strip().replace("時間", ":").replace("分", "").replace("：", ":")
    if not text:
        return None
    try:
        if ":" in text:
            hours, _, minutes = text.partition(":")
            total = int(hours or 0) * 60 + int(minutes or 0)
        else:
            total = int(Decimal(text) * 60)
    except (ValueError, InvalidOperation):
        return None
    return total if 0 <= total <= 744 * 60 else None


@dataclass(frozen=True)
class Side:
    contract: Contract | None
    terms: SettlementTerms
    billable_minutes: int
    settlement: Settlement


def price_side(contract: Contract, year: int, month: int, worked_minutes: int) -> Side:
    terms = SettlementTerms.from_mapping(terms_at(contract, year, month))
    minutes = billable_minutes([worked_minutes], terms)
    share = proration(contract, year, month)
    return Side(contract, terms, minutes, settle(terms, minutes, share if share else 1))


@dataclass(frozen=True)
class Preview:
    year: int
    month: int
    worked_minutes: int
    sell: Side | None
    buys: list[Side]

    @property
    def margin(self):
        if self.sell is None or not self.buys:
            return None
        return gross_margin(self.sell.settlement.amount, sum(b.settlement.amount for b in self.buys))


def preview(contract: Contract, year: int, month: int, worked_minutes: int) -> Preview:
    """Both sides of the chain settled from the same hours, with the month's terms."""
    sale = contract if contract.is_sell else sale_of(contract)
    sell = price_side(sale, year, month, worked_minutes) if sale else None
    day = date(year, month, 1)
    buys = [contract] if not contract.is_sell else purchases_of(contract, at=max(day, contract.start_date))
    return Preview(year, month, worked_minutes, sell,
                   [price_side(b, year, month, worked_minutes) for b in buys])


def related_names(contracts) -> dict[uuid.UUID, str]:
    """Names for a page of contracts (contracts or rows of ``LIST_COLUMNS``), one query per kind."""
    return lookups.names({"project": {c.project_id for c in contracts},
                          "customer": {c.customer_id for c in contracts},
                          "engineer": {c.engineer_id for c in contracts},
                          "partner": {c.partner_company_id for c in contracts}})
