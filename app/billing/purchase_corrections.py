"""Correcting an issued payment notice (支払通知書): never by editing it.

* ``cancel_statement``: an issued notice nothing has been paid on is cancelled with a reason;
  the database releases its lines (so the hours are owed again) and the purchase entry posted
  at issue is reversed (買掛金 / 外注費 + 仮払消費税), dated the day of the cancellation.
* ``reissue_statement``: cancel, then bill the partner's month again: the same hours (priced
  from the current contract data) produce new notices linked to the cancelled one, exactly once
  (the partner's month lock and the unique indexes over active lines).

A notice with a payment is not cancelled: the payment is a fact the partner relies on.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, text

from ..core.calendar import BusinessCalendar
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from .issue import BillingError
from .models import Issuer, PurchaseStatement
from .purchases import bill_partner, post_purchase_entry


def _check_cancellable(statement: PurchaseStatement, reason: str, day: date) -> None:
    if statement.status == "CANCELLED":
        raise BillingError(None, _l("この支払通知書はすでに取り消されています。"))
    if statement.status != "ISSUED" or statement.paid_amount:
        raise BillingError(None, _l("支払を記録した支払通知書は取り消せません。"))
    if not (reason or "").strip():
        raise BillingError("reason", _l("取消の理由を入力してください。"))
    if day < statement.statement_date:
        raise BillingError("issue_date", _l("取消日が支払通知書の発行日より前です。"))


def cancel_statement(statement: PurchaseStatement, reason: str, day: date) -> PurchaseStatement:
    """Cancel an issued, unpaid payment notice on ``day`` and reverse its purchase entry."""
    db.session.execute(text("SELECT 1 FROM billing_context.purchase_statements WHERE id = :s FOR UPDATE"),
                       {"s": statement.id})
    db.session.refresh(statement)
    _check_cancellable(statement, reason, day)
    identity = current_identity()
    statement.status = "CANCELLED"
    statement.cancelled_at = func.now()
    statement.cancelled_by = identity.user_id if identity else None
    statement.cancellation_reason = reason.strip()
    db.session.flush()
    post_purchase_entry(statement, reversed_on=day)
    return statement


def reissue_statement(statement: PurchaseStatement, reason: str, day: date) -> list[PurchaseStatement]:
    """Cancel ``statement`` and issue the partner's month again; returns the new notices."""
    cancel_statement(statement, reason, day)
    return bill_partner(statement.partner_company_id, statement.statement_year, statement.statement_month,
                        issue_date=day, calendar=BusinessCalendar.load(),
                        issuer=db.session.get(Issuer, statement.issuer_id), original=statement)


def related_statements(statement: PurchaseStatement) -> list[PurchaseStatement]:
    """The cancelled notice a reissue replaces, or the notices issued in place of this one."""
    original_id = statement.original_statement_id or statement.id
    return list(db.session.scalars(db.select(PurchaseStatement).where(
        db.or_(PurchaseStatement.id == original_id, PurchaseStatement.original_statement_id == original_id),
        PurchaseStatement.id != statement.id).order_by(PurchaseStatement.statement_number)))
