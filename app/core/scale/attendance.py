"""Monthly timesheets of every SELL contract over the history window, their daily attendance
and approval steps.

Months before last month are closed (APPROVED by the customer); last month is mostly closed with
a few still in the approval chain -- and is left for the invoice run to bill; the current month is
a draft filled up to yesterday.  Days are business days (Japanese holidays excluded) within the
contract, a few paid leaves and absences, now and then a Saturday of holiday work.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from ..calendar import business_days, month_end
from .copying import Loader
from .world import Contract, World

TOKYO = ZoneInfo("Asia/Tokyo")
# (start, end, worked minutes, late-night minutes) with their weights: 9:00-18:00 with a one-hour
# break, earlier or later starts, and some overtime.
_SHIFTS = []
for _start, _w1 in ((time(8, 30), 2), (time(9, 0), 6), (time(9, 30), 2)):
    for _extra, _w2 in ((0, 60), (30, 15), (60, 10), (120, 8), (180, 4), (300, 1)):
        _end_min = _start.hour * 60 + _start.minute + 540 + _extra
        _SHIFTS.append(((_start, time(_end_min // 60 % 24, _end_min % 60), 480 + _extra,
                         max(0, _end_min - 22 * 60)), _w1 * _w2))
SHIFTS = [s for s, _ in _SHIFTS]
SHIFT_WEIGHTS = [w for _, w in _SHIFTS]


@dataclass(frozen=True)
class Timesheet:
    id: object
    contract: Contract
    year: int
    month: int
    status: str
    worked_minutes: int
    billable_minutes: int


def _status(rng: random.Random, index: int, months: int) -> str:
    if index < months - 2:
        return "APPROVED"
    if index == months - 1:
        return "DRAFT"
    return rng.choices(("APPROVED", "MANAGER_APPROVED", "PARTNER_CONFIRMED", "SUBMITTED", "DRAFT"),
                       (85, 6, 3, 4, 2))[0]


def _days(world: World, contract: Contract, year: int, month: int, calendar: dict) -> list[date]:
    last = min(contract.end, month_end(year, month), world.today - timedelta(days=1))
    return [d for d in calendar[(year, month)] if contract.start <= d <= last]


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class AttendanceWriter:
    """Streams the daily rows (``day_rows``); the timesheets and approval steps they add up to
    are collected meanwhile in ``timesheet_rows`` and ``step_rows``, copied afterwards."""

    def __init__(self, world: World):
        self.world = world
        self.rng = world.rng("attendance")
        self.calendar = {(y, m): business_days(y, m) for y, m in world.months}
        self.timesheet_rows: list[tuple] = []
        self.step_rows: list[tuple] = []
        self.sheets: list[Timesheet] = []

    def day_rows(self) -> Iterator[tuple]:
        months = self.world.months
        for contract in self.world.contracts:
            for index, (year, month) in enumerate(months):
                if contract.start > month_end(year, month) or contract.end < date(year, month, 1):
                    continue
                days = _days(self.world, contract, year, month, self.calendar)
                if not days and index != len(months) - 1:
                    continue
                yield from self._timesheet(contract, year, month, _status(self.rng, index, len(months)), days)

    def _timesheet(self, contract: Contract, year: int, month: int, status: str,
                   days: list[date]) -> Iterator[tuple]:
        rng, sheet_id = self.rng, uuid_from(self.rng)
        summary = {"worked_minutes": 0, "late_night_minutes": 0, "work_days": 0, "holiday_work_days": 0,
                   "paid_leave_days": 0, "absence_days": 0}
        location = {"REMOTE": "REMOTE", "ONSITE": "ONSITE"}.get(contract.project.work_style)
        for day in days:
            yield self._day(sheet_id, year, month, day, "NORMAL", location, summary)
        if days and rng.random() < 0.05:
            saturday = days[-1] + timedelta(days=(5 - days[-1].weekday()) % 7)
            if saturday.month == month and saturday < self.world.today and saturday <= contract.end:
                yield self._day(sheet_id, year, month, saturday, "HOLIDAY_WORK", location, summary)
        self.timesheet_rows.append(self._row(sheet_id, contract, year, month, status, summary))

    def _row(self, sheet_id, contract: Contract, year: int, month: int, status: str, summary: dict) -> tuple:
        worked = summary["worked_minutes"]
        billable = worked // 15 * 15
        summary["billable_hours"] = str(_hours(billable))
        self.sheets.append(Timesheet(sheet_id, contract, year, month, status, worked, billable))
        closed = datetime.combine(month_end(year, month) + timedelta(days=3), time(17), TOKYO)
        submitted = closed - timedelta(days=2) if status != "DRAFT" else None
        self._steps(sheet_id, contract, year, month, status, submitted)
        partner = contract.engineer.partner
        return (sheet_id, year, month, contract.id, contract.engineer.id, contract.project.id,
                contract.project.customer.id, partner.id if partner else None, status,
                json.dumps(summary), worked, _hours(billable) if status != "DRAFT" else None, submitted,
                closed if status == "APPROVED" else None, closed if status == "APPROVED" else None)

    def _day(self, sheet_id, year, month, day, kind, location, summary) -> tuple:
        rng = self.rng
        roll = rng.random()
        where = location or ("REMOTE" if roll < 0.5 else "ONSITE")
        if kind == "NORMAL" and roll < 0.04:
            summary["paid_leave_days"] += 1
            return (uuid_from(rng), sheet_id, year, month, day, "PAID_LEAVE", None, None, 0, where, 0, 0)
        if kind == "NORMAL" and roll < 0.045:
            summary["absence_days"] += 1
            return (uuid_from(rng), sheet_id, year, month, day, "ABSENCE", None, None, 0, where, 0, 0)
        start, end, worked, late = rng.choices(SHIFTS, SHIFT_WEIGHTS)[0]
        summary["worked_minutes"] += worked
        summary["late_night_minutes"] += late
        summary["holiday_work_days" if kind == "HOLIDAY_WORK" else "work_days"] += 1
        return (uuid_from(rng), sheet_id, year, month, day, kind, start, end, 60, where, worked, late)

    def _steps(self, sheet_id, contract: Contract, year, month, status, submitted) -> None:
        if submitted is None:
            return
        world = self.world
        chain = [("SUBMIT", "SUBMITTED", contract.engineer.user_id)]
        if contract.engineer.partner is not None:
            chain.append(("PARTNER_CONFIRM", "APPROVED", world.partner_users[contract.engineer.partner.id]))
        chain.append(("MANAGER_APPROVE", "APPROVED", contract.project.manager_id))
        chain.append(("CUSTOMER_CONFIRM", "APPROVED", world.customer_users[contract.project.customer.id]))
        reached = {"SUBMITTED": 1, "PARTNER_CONFIRMED": 2, "MANAGER_APPROVED": len(chain) - 1,
                   "APPROVED": len(chain)}[status]
        for n, (step, decision, actor) in enumerate(chain[:reached]):
            self.step_rows.append((uuid_from(self.rng), sheet_id, year, month, step, decision, actor,
                                   world.names[actor], submitted + timedelta(hours=3 * n)))


def uuid_from(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def load_timesheets(loader: Loader, world: World) -> list[Timesheet]:
    """Days first (streamed: 2.5 M rows), then the timesheets they add up to."""
    writer = AttendanceWriter(world)
    loader.copy("timesheet_context.daily_attendances",
                ("id", "timesheet_id", "period_year", "period_month", "work_date", "kind", "start_time",
                 "end_time", "break_minutes", "work_location", "worked_minutes", "late_night_minutes"),
                writer.day_rows())
    loader.copy("timesheet_context.timesheets",
                ("id", "period_year", "period_month", "contract_id", "engineer_id", "project_id", "customer_id",
                 "partner_company_id", "status", "work_summary", "worked_minutes", "billable_hours",
                 "submitted_at", "approved_at", "closed_at"), writer.timesheet_rows)
    loader.copy("timesheet_context.timesheet_approval_steps",
                ("id", "timesheet_id", "period_year", "period_month", "step", "decision", "actor_user_id",
                 "actor_name", "decided_at"), writer.step_rows)
    return writer.sheets
