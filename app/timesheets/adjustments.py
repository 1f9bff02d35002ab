"""Corrections after close (勤怠調整).  A closed month is never edited (a database trigger refuses
it): a correction is an adjustment of minutes with a reason, approved by our staff, and flows
into the next billing run -- or a reissued invoice -- which marks it BILLED with the invoice
line it became.

API for billing: ``queries.closed_month(year, month)`` lists approved, unbilled adjustments
applying up to that month; ``mark_adjustments_billed(ids, invoice_billing_item_id)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select

from ..core.calendar import add_months
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from .models import ADJUSTMENT_REASONS, Timesheet, TimesheetAdjustment
from .services import TimesheetError

MAX_DELTA = 24 * 60 * 31


def default_apply_month(timesheet: Timesheet, today: date | None = None) -> tuple[int, int]:
    """The billing month an adjustment joins by default: the month the next billing run covers
    (last month, as runs happen after month end), and never before the month after the
    corrected one."""
    today = today or date.today()
    next_run = add_months(today.year, today.month, -1)
    after = add_months(timesheet.period_year, timesheet.period_month, 1)
    return max(next_run, after)


def request_adjustment(timesheet: Timesheet, *, reason_code: str, reason: str, minutes_delta: int,
                       apply_month: tuple[int, int] | None = None) -> TimesheetAdjustment:
    """Ask for a correction of a closed month (our staff)."""
    if not timesheet.is_closed:
        raise TimesheetError("status", _l("勤怠調整は締め済みの月にだけ登録できます。締め前なら勤務表を差し戻して修正してください。"))
    if reason_code not in ADJUSTMENT_REASONS:
        raise TimesheetError("reason_code", _l("理由を選択してください。"))
    if not (reason or "").strip():
        raise TimesheetError("reason", _l("調整の理由を入力してください。"))
    if not minutes_delta or abs(minutes_delta) > MAX_DELTA:
        raise TimesheetError("minutes_delta", _l("調整時間は0以外、744時間以内で入力してください。"))
    year, month = apply_month or default_apply_month(timesheet)
    if (year, month) <= (timesheet.period_year, timesheet.period_month):
        raise TimesheetError("apply_month", _l("反映する請求月は調整対象の月より後にしてください。"))
    adjustment = TimesheetAdjustment(
        timesheet_id=timesheet.id, period_year=timesheet.period_year,
        period_month=timesheet.period_month, contract_id=timesheet.contract_id,
        reason_code=reason_code, reason=reason.strip(), minutes_delta=minutes_delta,
        requested_by=current_identity().user_id, apply_year=year, apply_month=month)
    db.session.add(adjustment)
    db.session.flush()
    return adjustment


def decide_adjustment(adjustment: TimesheetAdjustment, approve: bool) -> TimesheetAdjustment:
    """Approve (it will be billed) or reject a requested adjustment; not by its requester."""
    identity = current_identity()
    if adjustment.status != "REQUESTED":
        raise TimesheetError("status", _l("この調整は既に処理されています。"))
    if identity.user_id == adjustment.requested_by and identity.role != "admin":
        raise TimesheetError("status", _l("自分で申請した調整は承認できません。別の担当者が承認してください。"))
    adjustment.status = "APPROVED" if approve else "REJECTED"
    adjustment.approved_by = identity.user_id
    adjustment.approved_at = datetime.now().astimezone()
    db.session.flush()
    return adjustment


def mark_adjustments_billed(adjustment_ids: Iterable[uuid.UUID],
                            invoice_billing_item_id: uuid.UUID) -> int:
    """Billing: the adjustments became this invoice line.  Only APPROVED, unbilled ones move;
    returns how many did."""
    rows = db.session.scalars(select(TimesheetAdjustment).where(
        TimesheetAdjustment.id.in_(list(adjustment_ids)), TimesheetAdjustment.status == "APPROVED",
        TimesheetAdjustment.invoice_billing_item_id.is_(None)))
    count = 0
    for adjustment in rows:
        adjustment.status = "BILLED"
        adjustment.invoice_billing_item_id = invoice_billing_item_id
        count += 1
    db.session.flush()
    return count
