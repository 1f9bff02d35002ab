"""The approval chain of a monthly timesheet (DOMAIN.md §7):

    engineer submits (TimesheetSubmitted)
      -> the partner company confirms        (partner engineers only)
      -> our project manager approves or sends back with a comment
      -> the customer confirms the work report (作業実績確認) in its portal
      -> closed and locked (APPROVED)

Every decision is a row of timesheet_approval_steps (who, when, decision, comment).  Sending
back (差戻し) reopens the month for the engineer.  The table below is the whole state machine;
row level security enforces the same moves per database role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from ..core.db import ConflictError
from ..core.events import TIMESHEET_SUBMITTED, record_event
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from .labels import STATUS
from .models import Timesheet
from .services import TimesheetError, record_step, refresh_summary

STAFF = frozenset({"project_manager", "admin"})


@dataclass(frozen=True)
class Transition:
    step: str
    decision: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition("SUBMIT", "SUBMITTED", ("DRAFT", "RETURNED"), "SUBMITTED",
                         frozenset({"engineer"}) | STAFF),
    "partner_confirm": Transition("PARTNER_CONFIRM", "APPROVED", ("SUBMITTED",), "PARTNER_CONFIRMED",
                                  frozenset({"partner", "admin"})),
    "partner_return": Transition("PARTNER_CONFIRM", "RETURNED", ("SUBMITTED",), "RETURNED",
                                 frozenset({"partner", "admin"}), needs_comment=True),
    "manager_approve": Transition("MANAGER_APPROVE", "APPROVED", ("SUBMITTED", "PARTNER_CONFIRMED"),
                                  "MANAGER_APPROVED", STAFF),
    "manager_return": Transition("MANAGER_APPROVE", "RETURNED", ("SUBMITTED", "PARTNER_CONFIRMED"),
                                 "RETURNED", STAFF, needs_comment=True),
    "manager_reopen": Transition("REOPEN", "RETURNED", ("MANAGER_APPROVED",), "RETURNED", STAFF,
                                 needs_comment=True),
    "customer_confirm": Transition("CUSTOMER_CONFIRM", "APPROVED", ("MANAGER_APPROVED",), "APPROVED",
                                   frozenset({"customer"}) | STAFF),
    "customer_return": Transition("CUSTOMER_CONFIRM", "RETURNED", ("MANAGER_APPROVED",), "RETURNED",
                                  frozenset({"customer"}), needs_comment=True),
}


def allowed_actions(timesheet: Timesheet, role: str) -> list[str]:
    """The actions ``role`` may take on the timesheet now (for the buttons on the page)."""
    return [name for name, t in TRANSITIONS.items()
            if role in t.roles and timesheet.status in t.sources and _fits_chain(name, timesheet)]


def _fits_chain(action: str, timesheet: Timesheet) -> bool:
    """A partner engineer's month goes through the partner first; nobody else's does."""
    has_partner = timesheet.partner_company_id is not None
    if action.startswith("partner_"):
        return has_partner
    if action.startswith("manager_") and timesheet.status == "SUBMITTED":
        return not has_partner
    return True


def decide(timesheet: Timesheet, action: str, comment: str | None = None,
           seen_version: int | None = None) -> Timesheet:
    """Take ``action`` (a key of TRANSITIONS) on the timesheet as the current user."""
    transition = _check(timesheet, action, comment, seen_version)
    if action == "submit" and not timesheet.worked_minutes:
        raise TimesheetError("status", _l("勤務が1日も入力されていないため提出できません。"))
    if action == "manager_approve":
        refresh_summary(timesheet)      # billable time with the terms staff can read
    # The step first: once sent back, a customer or partner may no longer see the timesheet.
    record_step(timesheet, transition.step, transition.decision, comment)
    _move(timesheet, action, transition.target)
    if action == "submit":
        _record_submitted(timesheet)
    return timesheet


def _check(timesheet: Timesheet, action: str, comment: str | None, seen_version) -> Transition:
    transition = TRANSITIONS.get(action)
    identity = current_identity()
    if transition is None or identity is None or identity.role not in transition.roles:
        raise TimesheetError("status", _l("この操作を行う権限がありません。"))
    if seen_version is not None and str(seen_version) != str(timesheet.version):
        raise TimesheetError("version", _l("他の人が先に勤務表を更新しました。画面を読み込み直してください。"))
    if timesheet.status not in transition.sources or not _fits_chain(action, timesheet):
        raise TimesheetError("status", _l("現在の状態（%(status)s）ではこの操作はできません。",
                                          status=STATUS[timesheet.status]))
    needs_comment = transition.needs_comment or (action == "customer_confirm" and identity.role != "customer")
    if needs_comment and not (comment or "").strip():
        raise TimesheetError("comment", _l("コメントを入力してください。"))
    return transition


def _move(timesheet: Timesheet, action: str, target: str) -> None:
    """One UPDATE at the version the actor saw.  A customer sending a month back may no longer
    see it afterwards, which PostgreSQL would refuse: that move goes through a function."""
    now = datetime.now().astimezone()
    values = {"status": target}
    if action == "submit":
        values["submitted_at"] = now
    if target == "APPROVED":
        values["approved_at"] = values["closed_at"] = now
    db.session.flush()
    if action == "customer_return":
        moved = db.session.execute(text(
            "SELECT timesheet_context.customer_return(:id, :y, :m, :v)"),
            {"id": timesheet.id, "y": timesheet.period_year, "m": timesheet.period_month,
             "v": timesheet.version}).scalar()
    else:
        table = Timesheet.__table__
        moved = db.session.execute(table.update().where(
            table.c.id == timesheet.id, table.c.period_year == timesheet.period_year,
            table.c.period_month == timesheet.period_month, table.c.version == timesheet.version,
        ).values(**values)).rowcount == 1
    if not moved:
        raise ConflictError(timesheet)
    db.session.expire(timesheet)


def _record_submitted(timesheet: Timesheet) -> None:
    record_event(TIMESHEET_SUBMITTED, source_context="timesheet", aggregate_type="timesheet",
                 aggregate_id=timesheet.id, payload={
                     "contract_id": timesheet.contract_id, "engineer_id": timesheet.engineer_id,
                     "project_id": timesheet.project_id, "year": timesheet.period_year,
                     "month": timesheet.period_month, "worked_minutes": timesheet.worked_minutes,
                     "partner_company_id": timesheet.partner_company_id})

