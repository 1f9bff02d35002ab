"""Timesheets without HTTP: days, the month's summary, the approval chain, imports, billing."""

from datetime import date, time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, NoResultFound

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from app.timesheets import adjustments, approval, billing, services
from app.timesheets.models import TimesheetAdjustment, TimesheetApprovalStep
from app.timesheets.rules import DayError
from app.timesheets.services import DayInput, TimesheetError
from tests.timesheets.conftest import as_, sheet

NINE_TO_SIX = DayInput(start_time=time(9), end_time=time(18), break_minutes=60)


def fill(timesheet, *days, entry=NINE_TO_SIX):
    for day in days:
        services.save_day(timesheet, day, entry)


def test_a_day_saves_and_the_summary_follows(employee):
    with acting_as(employee.engineer_user):
        sheet = services.open_timesheet(employee.sell, 2026, 10)
        row, warnings = services.save_day(sheet, date(2026, 10, 1), DayInput(
            start_time=time(22), end_time=time(7), break_minutes=60, work_location="REMOTE"))
        assert (row.worked_minutes, row.late_night_minutes, warnings) == (480, 420, ())
        services.save_day(sheet, date(2026, 10, 2), DayInput(start_time=time(9), end_time=time(18, 50),
                                                             break_minutes=60))
        summary = sheet.work_summary
    assert (summary["worked_minutes"], summary["late_night_minutes"], summary["work_days"]) == (1010, 420, 2)
    # 16 h 50 min rounded down to the contract's 15-minute unit
    assert (summary["billable_minutes"], summary["billable_hours"]) == (1005, "16.75")
    assert sheet.worked_minutes == 1010 and str(sheet.billable_hours) == "16.75"


def test_daily_rounding_follows_an_amendment_the_engineer_cannot_read(employee, admin_engine):
    with admin_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO contract_context.contract_amendments (contract_id, effective_from, reason,"
            " changes, terms) VALUES (:c, '2026-10-01', '日次丸めに変更', '{}',"
            " '{\"hours_rounding_scope\": \"DAILY\", \"hours_rounding_minutes\": 30}')"), {"c": employee.sell})
    with acting_as(employee.engineer_user):
        sheet = services.open_timesheet(employee.sell, 2026, 10)
        fill(sheet, date(2026, 10, 1), date(2026, 10, 2),
             entry=DayInput(start_time=time(9), end_time=time(18, 20), break_minutes=60))
        assert sheet.work_summary["billable_minutes"] == 2 * 480        # 8h20m -> 8h each day
        assert sheet.work_summary["rounding"] == {"minutes": 30, "scope": "DAILY", "mode": "FLOOR"}


def test_days_outside_the_month_or_the_contract_are_refused(sales):
    from tests.timesheets.conftest import people

    p = people(sales, start_date=date(2026, 10, 15))
    with acting_as(p.engineer_user):
        sheet = services.open_timesheet(p.sell, 2026, 10)
        with pytest.raises(TimesheetError, match="契約期間外"):
            services.save_day(sheet, date(2026, 10, 14), NINE_TO_SIX)
        with pytest.raises(TimesheetError, match="この月"):
            services.save_day(sheet, date(2026, 11, 2), NINE_TO_SIX)
        with pytest.raises(TimesheetError, match="契約期間外の月"):
            services.open_timesheet(p.sell, 2026, 9)
        with pytest.raises(DayError):
            services.save_day(sheet, date(2026, 10, 15), DayInput(start_time=time(9)))


def test_holiday_work_entered_as_normal_is_flagged(employee):
    with acting_as(employee.engineer_user):
        sheet = services.open_timesheet(employee.sell, 2026, 10)
        _, warnings = services.save_day(sheet, date(2026, 10, 12), NINE_TO_SIX)   # スポーツの日
    assert any("休日出勤" in w for w in warnings)


def test_copy_the_standard_pattern_to_business_days(employee):
    with acting_as(employee.engineer_user):
        sheet = services.open_timesheet(employee.sell, 2026, 9)
        services.save_day(sheet, date(2026, 9, 1), DayInput(kind="PAID_LEAVE"))
        written = services.copy_standard_pattern(sheet, NINE_TO_SIX)
        days = services.days_of(sheet)
    # September 2026 has 19 business days (15th, 21st-23rd are holidays); the 1st is kept
    assert written == 18
    assert days[date(2026, 9, 1)].kind == "PAID_LEAVE"
    assert date(2026, 9, 22) not in days and date(2026, 9, 5) not in days
    assert sheet.work_summary["worked_minutes"] == 18 * 480


def status_of(admin_engine, timesheet_id) -> tuple:
    with admin_engine.begin() as conn:
        return tuple(conn.execute(text(
            "SELECT status, worked_minutes, closed_at IS NOT NULL FROM timesheet_context.timesheets"
            " WHERE id = :t"), {"t": timesheet_id}).one())


def submitted(p, year=2026, month=10):
    """The id of p's month, filled on two days and submitted by the engineer."""
    with as_(p.engineer_user):
        timesheet = services.open_timesheet(p.sell, year, month)
        fill(timesheet, date(year, month, 1), date(year, month, 2))
        approval.decide(timesheet, "submit")
        return timesheet.id


def test_the_employee_chain_submit_approve_confirm(employee, admin_engine):
    ts = submitted(employee)
    with admin_engine.begin() as conn:
        event = conn.execute(text("SELECT payload FROM platform.domain_events"
                                  " WHERE event_type = 'TimesheetSubmitted'")).scalar_one()
    assert event["month"] == 10 and event["worked_minutes"] == 960
    with as_(employee.pm):
        assert approval.allowed_actions(sheet(ts), "project_manager") == ["manager_approve", "manager_return"]
        approval.decide(sheet(ts), "manager_approve")
    with as_(employee.customer_user):
        approval.decide(sheet(ts), "customer_confirm")
    assert status_of(admin_engine, ts) == ("APPROVED", 960, True)
    with as_(employee.pm):
        steps = db.session.query(TimesheetApprovalStep).order_by(TimesheetApprovalStep.decided_at).all()
        assert [(s.step, s.decision, s.actor_name) for s in steps] == [
            ("SUBMIT", "SUBMITTED", "技術者"), ("MANAGER_APPROVE", "APPROVED", "担当 PM"),
            ("CUSTOMER_CONFIRM", "APPROVED", "顧客 担当")]


def test_the_partner_chain_goes_through_the_partner(bp, admin_engine):
    ts = submitted(bp)
    with pytest.raises(TimesheetError, match="提出済み"), as_(bp.pm):
        approval.decide(sheet(ts), "manager_approve")
    with as_(bp.partner_user):
        assert approval.allowed_actions(sheet(ts), "partner") == ["partner_confirm", "partner_return"]
        approval.decide(sheet(ts), "partner_confirm")
    with as_(bp.pm):
        approval.decide(sheet(ts), "manager_approve")
    assert status_of(admin_engine, ts)[0] == "MANAGER_APPROVED"


@pytest.mark.parametrize("who, action", [
    ("engineer_user", "manager_approve"),
    ("engineer_user", "customer_confirm"),
    ("pm", "partner_confirm"),              # not a partner engineer anyway
    ("pm", "submit"),                       # already submitted
    ("pm", "customer_return"),              # only the customer sends its work report back
])
def test_forbidden_moves(employee, who, action):
    ts = submitted(employee)
    with pytest.raises(TimesheetError), as_(getattr(employee, who)):
        approval.decide(sheet(ts), action, comment="x")


def test_the_customer_sees_nothing_before_our_approval(employee):
    ts = submitted(employee)
    with as_(employee.customer_user), pytest.raises(NoResultFound):
        sheet(ts)


def test_sending_back_needs_a_comment_and_reopens_for_the_engineer(employee, admin_engine):
    ts = submitted(employee)
    with pytest.raises(TimesheetError) as excinfo, as_(employee.pm):
        approval.decide(sheet(ts), "manager_return", comment=" ")
    assert excinfo.value.field == "comment"
    with as_(employee.pm):
        approval.decide(sheet(ts), "manager_return", comment="10/2の終了時刻を確認してください")
    with as_(employee.engineer_user):
        services.save_day(sheet(ts), date(2026, 10, 2), DayInput(start_time=time(9), end_time=time(17),
                                                                 break_minutes=60))
        approval.decide(sheet(ts), "submit")
    assert status_of(admin_engine, ts)[:2] == ("SUBMITTED", 480 + 420)


def test_a_submitted_month_cannot_be_edited_and_an_empty_one_not_submitted(employee):
    ts = submitted(employee)
    with pytest.raises(TimesheetError, match="提出済み"), as_(employee.engineer_user):
        services.save_day(sheet(ts), date(2026, 10, 5), NINE_TO_SIX)
    with pytest.raises(TimesheetError, match="1日も"), as_(employee.engineer_user):
        approval.decide(services.open_timesheet(employee.sell, 2026, 11), "submit")


def test_the_customer_returns_the_work_report(employee, admin_engine):
    ts = submitted(employee)
    with as_(employee.pm):
        approval.decide(sheet(ts), "manager_approve")
    with as_(employee.customer_user):
        approval.decide(sheet(ts), "customer_return", comment="10/1は休業日でした")
    assert status_of(admin_engine, ts)[0] == "RETURNED"


def closed(p, year=2026, month=10):
    ts = submitted(p, year, month)
    if p.partner:
        with as_(p.partner_user):
            approval.decide(sheet(ts), "partner_confirm")
    with as_(p.pm):
        approval.decide(sheet(ts), "manager_approve")
        approval.decide(sheet(ts), "customer_confirm", comment="紙の作業報告書で確認済み")
    return ts


def test_a_closed_month_is_refused_by_the_database(employee):
    ts = closed(employee)
    with pytest.raises(DBAPIError, match="closed"), as_(employee.pm):
        db.session.execute(text("UPDATE timesheet_context.timesheets SET worked_minutes = 1"
                                " WHERE id = :t"), {"t": ts})
    with pytest.raises(DBAPIError, match="closed"), as_(employee.pm):
        db.session.execute(text("UPDATE timesheet_context.daily_attendances SET worked_minutes = 1"
                                " WHERE timesheet_id = :t"), {"t": ts})


def test_record_approved_monthly_hours_closes_an_imported_month(employee, system):
    sheet = services.record_approved_monthly_hours(employee.sell, 2026, 9, 190 * 60 + 50,
                                                   note="顧客様式 9月分")
    assert (sheet.source, sheet.status, sheet.work_summary["billable_minutes"]) == (
        "IMPORTED", "APPROVED", 190 * 60 + 45)
    with pytest.raises(TimesheetError, match="締め済み"):
        services.record_approved_monthly_hours(employee.sell, 2026, 9, 60)
    with pytest.raises(TimesheetError, match="744"):
        services.record_approved_monthly_hours(employee.sell, 2026, 8, -1)


def test_finance_imports_over_an_untouched_draft(employee, sales, admin_engine):
    from app.core.identity import Identity

    finance = Identity("finance", sales.user("finance"), display_name="経理")
    with as_(employee.engineer_user):
        services.open_timesheet(employee.sell, 2026, 11)
    with as_(finance):
        ts = services.record_approved_monthly_hours(employee.sell, 2026, 11, 160 * 60).id
    assert status_of(admin_engine, ts) == ("APPROVED", 160 * 60, True)


def test_closed_month_for_billing_with_both_sides_and_adjustments(bp, admin_engine):
    ts = closed(bp)
    with as_(SYSTEM):
        [row] = billing.closed_month(2026, 10).timesheets
    assert (row.contract_id, row.timesheet_id, row.billable_minutes) == (bp.sell, ts, 960)
    assert (row.buy_contract_id, row.buy_billable_minutes) == (bp.buy, 960)
    with as_(bp.pm):
        adjustment = adjustments.request_adjustment(
            sheet(ts), reason_code="MISSED_CLOCK", reason="10/2 退勤打刻漏れ", minutes_delta=90,
            apply_month=(2026, 11)).id
    with pytest.raises(TimesheetError, match="自分"), as_(bp.pm):
        adjustments.decide_adjustment(db.session.get(TimesheetAdjustment, adjustment), approve=True)
    with as_(SYSTEM):
        assert billing.closed_month(2026, 11).adjustments == []       # not approved yet
        adjustments.decide_adjustment(db.session.get(TimesheetAdjustment, adjustment), approve=True)
    with as_(SYSTEM):
        [unbilled] = billing.closed_month(2026, 11).adjustments
        assert billing.closed_month(2026, 10).adjustments == []       # applies from November
    assert (unbilled.contract_id, unbilled.buy_contract_id, unbilled.minutes_delta) == (bp.sell, bp.buy, 90)
    assert status_of(admin_engine, ts)[:2] == ("APPROVED", 960)        # the closed month is untouched


def test_adjustments_only_for_closed_months(employee):
    ts = submitted(employee)
    with pytest.raises(TimesheetError, match="締め済み"), as_(employee.pm):
        adjustments.request_adjustment(sheet(ts), reason_code="OTHER", reason="x", minutes_delta=30)


def test_default_billing_month_of_an_adjustment(employee, system):
    sheet = services.record_approved_monthly_hours(employee.sell, 2026, 9, 160 * 60)
    assert adjustments.default_apply_month(sheet, date(2026, 10, 3)) == (2026, 10)
    assert adjustments.default_apply_month(sheet, date(2026, 12, 3)) == (2026, 11)
