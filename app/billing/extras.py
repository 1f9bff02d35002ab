"""Extras billed with a month (交通費, 出張費 ...): registered by finance, billed once."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from .issue import BillingError
from .models import InvoiceExtra, InvoiceLine


def add_extra(contract_id: uuid.UUID | None, year: int, month: int, description: str, amount: int,
              tax_rate_percent: int) -> InvoiceExtra:
    contract = db.session.execute(text(
        "SELECT id, customer_id FROM contract_context.contracts WHERE id = :k AND side = 'SELL'"
        " AND deleted_at IS NULL"), {"k": contract_id}).one_or_none() if contract_id else None
    if contract is None:
        raise BillingError("contract_id", _l("契約を選択してください。"))
    if tax_rate_percent not in (0, 8, 10):
        raise BillingError("tax_rate_percent", _l("税率を選択してください。"))
    identity = current_identity()
    extra = InvoiceExtra(customer_id=contract.customer_id, contract_id=contract.id, period_year=year,
                         period_month=month, description=description.strip(), unit_price=amount, amount=amount,
                         tax_rate_percent=tax_rate_percent, is_reduced_rate=tax_rate_percent == 8,
                         created_by=identity.user_id if identity else None)
    db.session.add(extra)
    db.session.flush()
    return extra


def is_billed(extra: InvoiceExtra) -> bool:
    return db.session.scalar(db.select(InvoiceLine.id).where(
        InvoiceLine.extra_id == extra.id, InvoiceLine.released_at.is_(None))) is not None


def remove_extra(extra: InvoiceExtra) -> None:
    if is_billed(extra):
        raise BillingError(None, _l("請求済みの項目は削除できません。"))
    extra.soft_delete()
    db.session.flush()


def extras_of_month(year: int, month: int) -> list[tuple[InvoiceExtra, bool]]:
    extras = db.session.scalars(db.select(InvoiceExtra).where(
        InvoiceExtra.period_year == year, InvoiceExtra.period_month == month)
        .order_by(InvoiceExtra.created_at)).all()
    return [(extra, is_billed(extra)) for extra in extras]


def sell_contract_choices(year: int, month: int) -> list[tuple[str, str]]:
    rows = db.session.execute(text(
        "SELECT c.id, c.contract_number, cu.name, e.full_name FROM contract_context.contracts c"
        " JOIN project_context.customers cu ON cu.id = c.customer_id"
        " JOIN engineer_context.engineers e ON e.id = c.engineer_id"
        " WHERE c.side = 'SELL' AND c.deleted_at IS NULL AND c.start_date <= make_date(:y, :m, 1) + 31"
        " AND c.end_date >= make_date(:y, :m, 1) ORDER BY cu.name, c.contract_number"), {"y": year, "m": month})
    return [(str(r.id), f"{r.contract_number} {r.name} / {r.full_name}") for r in rows]
