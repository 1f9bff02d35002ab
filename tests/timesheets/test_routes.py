"""Timesheet pages through the test client: the engineer's month, a row saved by htmx with the
month's totals swapped out of band, 422 next to the field, the approval chain's pages."""

from datetime import date

from sqlalchemy import text

from tests.timesheets.conftest import people


def client_for(login_as, identity):
    return login_as(user_id=identity.user_id)


def test_the_engineer_lands_on_this_months_sheet(login_as, employee, admin_engine):
    """Without a sheet for the month the page offers to create it (a GET writes nothing); the
    button's POST creates it and goes to it; from then on the month's URL goes to the sheet."""
    engineer = client_for(login_as, employee.engineer_user)
    today = date.today()
    offer = engineer.get("/timesheets/", follow_redirects=True)
    assert offer.status_code == 200 and "この月の勤務表を作成" in offer.text
    create_url = f"/timesheets/open/{employee.sell}/{today.year}/{today.month}"
    assert f'action="{create_url}"' in offer.text and 'name="csrf_token"' in offer.text
    assert _timesheets(admin_engine) == 0
    created = engineer.post(create_url)
    assert created.status_code == 303 and created.headers["Location"].startswith("/timesheets/")
    assert _timesheets(admin_engine) == 1
    response = engineer.get("/timesheets/", follow_redirects=True)
    assert response.status_code == 200
    assert f"{today.year}年{today.month}月の勤務表" in response.text
    assert 'id="day-1"' in response.text and "標準の勤務パターン" in response.text


def test_opening_a_month_by_get_never_creates_it(login_as, employee, admin_engine):
    engineer = client_for(login_as, employee.engineer_user)
    url = f"/timesheets/open/{employee.sell}/2026/10"
    offer = engineer.get(url)
    assert offer.status_code == 200 and "この月の勤務表はまだ作成されていません" in offer.text
    assert _timesheets(admin_engine) == 0
    first = engineer.post(url, htmx=True)
    assert first.status_code == 204 and first.headers["HX-Redirect"].startswith("/timesheets/")
    again = engineer.post(url)                                  # a second click: the same sheet
    assert again.headers["Location"] == first.headers["HX-Redirect"] and _timesheets(admin_engine) == 1
    existing = engineer.get(url)
    assert existing.status_code == 302 and existing.headers["Location"] == first.headers["HX-Redirect"]


def test_a_month_outside_the_contract_is_refused_with_a_message(login_as, employee, admin_engine):
    engineer = client_for(login_as, employee.engineer_user)
    url = f"/timesheets/open/{employee.sell}/2030/1"
    assert engineer.get(url).status_code == 302
    refused = engineer.post(url, follow_redirects=True)
    assert "契約期間外の月です" in refused.text and _timesheets(admin_engine) == 0


def _timesheets(admin_engine) -> int:
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM timesheet_context.timesheets")).scalar()


def sheet_id(login_as, p, month="2026-10"):
    engineer = client_for(login_as, p.engineer_user)
    year, number = (int(part) for part in month.split("-"))
    response = engineer.post(f"/timesheets/open/{p.sell}/{year}/{number}")
    return engineer, response.headers["Location"].rsplit("/", 1)[-1]


def test_a_row_saves_with_htmx_and_refreshes_the_totals(login_as, employee):
    engineer, ts = sheet_id(login_as, employee)
    response = engineer.post(f"/timesheets/{ts}/days/2026-10-01", htmx=True, data={
        "kind": "NORMAL", "start_time": "22:00", "end_time": "07:00", "break_minutes": "60",
        "work_location": "REMOTE", "note": "夜間リリース"})
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="day-1-worked"' in response.text and "8:00" in response.text and "深夜 7:00" in response.text
    assert 'id="month-totals"' in response.text and 'hx-swap-oob="true"' in response.text
    assert 'name="start_time"' not in response.text      # the inputs stay as typed in the page
    assert 'id="total-worked">8:00' in response.text


def test_a_bad_row_answers_422_next_to_the_field_and_saves_nothing(login_as, employee, admin_engine):
    engineer, ts = sheet_id(login_as, employee)
    response = engineer.post(f"/timesheets/{ts}/days/2026-10-01", htmx=True, data={
        "kind": "NORMAL", "start_time": "09:00", "end_time": "10:00", "break_minutes": "90",
        "work_location": "ONSITE"})
    assert response.status_code == 422
    assert "休憩時間が勤務時間以上" in response.text and 'id="day-1-messages"' in response.text
    assert 'id="month-totals"' not in response.text      # nothing saved, the totals stay
    garbled = engineer.post(f"/timesheets/{ts}/days/2026-10-02", htmx=True, data={"start_time": "9時"})
    assert garbled.status_code == 422 and "09:00 のように" in garbled.text
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM timesheet_context.daily_attendances")).scalar() == 0


def test_a_break_warning_shows_in_the_row(login_as, employee):
    engineer, ts = sheet_id(login_as, employee)
    response = engineer.post(f"/timesheets/{ts}/days/2026-10-01", htmx=True, data={
        "kind": "NORMAL", "start_time": "09:00", "end_time": "18:00", "break_minutes": "30"})
    assert response.status_code == 200 and "60分以上の休憩" in response.text


def test_without_javascript_a_row_saves_and_comes_back_to_the_day(login_as, employee):
    engineer, ts = sheet_id(login_as, employee)
    response = engineer.post(f"/timesheets/{ts}/days/2026-10-05", data={
        "kind": "NORMAL", "start_time": "09:00", "end_time": "18:00", "break_minutes": "60"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#day-5")


def test_copy_pattern_then_submit(login_as, employee, admin_engine):
    engineer, ts = sheet_id(login_as, employee)
    engineer.post(f"/timesheets/{ts}/pattern", data={"start_time": "09:00", "end_time": "18:00",
                                                     "break_minutes": "60", "work_location": "ONSITE"})
    page = engineer.get(f"/timesheets/{ts}")
    assert 'id="total-worked">168:00' in page.text        # 21 business days in October 2026
    response = engineer.post(f"/timesheets/{ts}/decide", data={"action": "submit", "version": version(admin_engine, ts)})
    assert response.status_code == 303
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT status FROM timesheet_context.timesheets WHERE id = :t"),
                            {"t": ts}).scalar() == "SUBMITTED"
    locked = engineer.post(f"/timesheets/{ts}/days/2026-10-01", htmx=True, data={"start_time": "10:00"})
    assert locked.status_code == 422 and "提出済み" in locked.text


def version(admin_engine, ts):
    with admin_engine.begin() as conn:
        return conn.execute(text("SELECT version FROM timesheet_context.timesheets WHERE id = :t"),
                            {"t": ts}).scalar()


def test_returning_without_a_comment_is_a_422_on_the_comment(login_as, employee, admin_engine):
    engineer, ts = sheet_id(login_as, employee)
    engineer.post(f"/timesheets/{ts}/days/2026-10-01", data={"start_time": "09:00", "end_time": "18:00",
                                                            "break_minutes": "60"})
    engineer.post(f"/timesheets/{ts}/decide", data={"action": "submit", "version": version(admin_engine, ts)})
    manager = client_for(login_as, employee.pm)
    response = manager.post(f"/timesheets/{ts}/decide", htmx=True,
                            data={"action": "manager_return", "comment": "", "version": version(admin_engine, ts)})
    assert response.status_code == 422 and 'id="comment-errors"' in response.text
    assert "コメントを入力" in response.text


def test_customer_confirms_in_its_portal_and_gets_the_work_report(login_as, employee, admin_engine, tmp_path):
    engineer, ts = sheet_id(login_as, employee)
    engineer.post(f"/timesheets/{ts}/days/2026-10-01", data={"start_time": "09:00", "end_time": "18:00",
                                                            "break_minutes": "60"})
    engineer.post(f"/timesheets/{ts}/decide", data={"action": "submit", "version": version(admin_engine, ts)})
    manager = client_for(login_as, employee.pm)
    customer = client_for(login_as, employee.customer_user)
    assert customer.get(f"/timesheets/{ts}").status_code == 404            # not yet for the customer
    manager.post(f"/timesheets/{ts}/decide", data={"action": "manager_approve", "version": version(admin_engine, ts)})
    queue = customer.get("/timesheets/confirm")
    assert f"/timesheets/{ts}" in queue.text and "確認をお願いします" in queue.text
    assert "作業実績を確認する" in customer.get(f"/timesheets/{ts}").text
    pdf = customer.get(f"/timesheets/{ts}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    customer.post(f"/timesheets/{ts}/decide", data={"action": "customer_confirm", "version": version(admin_engine, ts)})
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT status FROM timesheet_context.timesheets WHERE id = :t"),
                            {"t": ts}).scalar() == "APPROVED"


def test_staff_list_reminders_and_adjustment_form(login_as, employee, sales, admin_engine):
    engineer, ts = sheet_id(login_as, employee)
    manager = client_for(login_as, employee.pm)
    listing = manager.get("/timesheets/staff?month=2026-10&queue=open", htmx=True)
    assert "<html" not in listing.text and f"/timesheets/{ts}" in listing.text
    reminders = manager.get("/timesheets/reminders?month=2026-10")
    assert "入力中" in reminders.text
    form = manager.get(f"/timesheets/{ts}/adjustments/new", follow_redirects=True)
    assert form.status_code == 200
    bad = manager.post(f"/timesheets/{ts}/adjustments/new", htmx=True,
                       data={"reason_code": "MISSED_CLOCK", "reason": "x", "hours_delta": "1:30", "apply_month": "2026-11"})
    assert bad.status_code == 422 and "締め済み" in bad.text


def test_partner_confirms_its_engineers_month(login_as, sales, admin_engine):
    bp = people(sales, partner=True)
    engineer, ts = sheet_id(login_as, bp)
    engineer.post(f"/timesheets/{ts}/days/2026-10-01", data={"start_time": "09:00", "end_time": "18:00",
                                                            "break_minutes": "60"})
    engineer.post(f"/timesheets/{ts}/decide", data={"action": "submit", "version": version(admin_engine, ts)})
    partner = client_for(login_as, bp.partner_user)
    assert f"/timesheets/{ts}" in partner.get("/timesheets/partner").text
    partner.post(f"/timesheets/{ts}/decide", data={"action": "partner_confirm", "version": version(admin_engine, ts)})
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT status FROM timesheet_context.timesheets WHERE id = :t"),
                            {"t": ts}).scalar() == "PARTNER_CONFIRMED"


def test_the_staff_list_pages_through_a_month(login_as, sales, admin_engine):
    from tests.timesheets.conftest import people

    first = people(sales)
    manager = login_as(user_id=first.pm.user_id)
    with admin_engine.begin() as conn:
        for _ in range(27):
            p = people(sales)
            conn.execute(text("UPDATE project_context.projects SET project_manager_id = :m WHERE id = :p"),
                         {"m": first.pm.user_id, "p": p.project})
            conn.execute(text(
                "INSERT INTO timesheet_context.timesheets (period_year, period_month, contract_id, engineer_id,"
                " project_id, customer_id) VALUES (2026, 10, :c, :e, :p, :cu)"),
                {"c": p.sell, "e": p.engineer, "p": p.project, "cu": p.customer})
    page = manager.get("/timesheets/staff?month=2026-10", htmx=True).text
    assert "27件中 1〜25件" in page and "page=2" in page
    assert "27件中 26〜27件" in manager.get("/timesheets/staff?month=2026-10&page=2", htmx=True).text
