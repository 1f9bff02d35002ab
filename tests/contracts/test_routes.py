"""Contract pages through the test client: full pages and htmx fragments, 422 with field errors,
409 on a stale edit, the live settlement preview with DOMAIN.md's worked example."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.contracts.factories import placement


@pytest.fixture
def pm(sales, login_as):
    client = login_as("project_manager", display_name="営業 花子")
    client.sales = sales
    return client


def chain(sales, manager):
    """DOMAIN.md §1: sell 800,000 (140-180 h, 上下割, 10 yen) / buy 680,000 (中間割, 1 yen)."""
    return placement(sales, partner=True, manager_id=manager, rate_rounding_unit=10)


def test_list_is_a_page_and_a_fragment(pm, sales):
    p = chain(sales, pm.user_id)
    full = pm.get("/contracts/")
    assert full.status_code == 200 and "<html" in full.text and "Vary" in full.headers
    assert "HX-Request" in full.headers["Vary"]
    fragment = pm.get("/contracts/?q=K", htmx=True)
    assert "<html" not in fragment.text and "テスト契約" in fragment.text
    assert str(p.sell) in fragment.text


def test_list_views_ending_and_unsigned(pm, sales):
    today = date.today()
    project = sales.project(manager_id=pm.user_id)
    ending = sales.contract(project, sales.engineer(), start_date=date(today.year - 1, 1, 1),
                            end_date=today, title="今月で終了")
    sales.contract(project, sales.engineer(), status="DRAFT", title="未締結の下書き")
    page = pm.get("/contracts/?view=ending_this_month", htmx=True).text
    assert "今月で終了" in page and "未締結の下書き" not in page
    assert "未締結の下書き" in pm.get("/contracts/?view=unsigned", htmx=True).text
    assert ending


def test_a_project_manager_sees_only_contracts_of_their_cases(pm, sales):
    other = placement(sales, manager_id=sales.user("project_manager"))
    assert pm.get(f"/contracts/{other.sell}").status_code == 404


def test_detail_shows_the_chain_margin_and_preview_of_the_domain_example(pm, sales):
    p = chain(sales, pm.user_id)
    page = pm.get(f"/contracts/{p.sell}")
    assert page.status_code == 200
    assert "¥120,000" in page.text          # base margin 800,000 - 680,000
    preview = pm.get(f"/contracts/{p.sell}/preview?hours=190.5&month=2026-10", htmx=True)
    assert "<html" not in preview.text
    assert "¥846,620" in preview.text and "¥724,625" in preview.text
    assert "¥121,995" in preview.text and "14.4%" in preview.text
    assert "¥4,440" in preview.text and "¥5,710" in preview.text


def test_preview_accepts_hours_and_minutes_and_explains_bad_input(pm, sales):
    p = chain(sales, pm.user_id)
    assert "¥846,620" in pm.get(f"/contracts/{p.sell}/preview?hours=190:30", htmx=True).text
    bad = pm.get(f"/contracts/{p.sell}/preview?hours=abc", htmx=True)
    assert bad.status_code == 200 and "時間:分" in bad.text


def test_form_preview_follows_the_typed_terms(pm):
    args = {"monthly_price": "800000", "settlement_method": "UPPER_LOWER", "lower_hours": "140",
            "upper_hours": "180", "rate_rounding_unit": "1", "preview_hours": "130"}
    page = pm.get("/contracts/preview", query_string=args, htmx=True)
    assert "¥742,860" in page.text
    assert "月額単価" in pm.get("/contracts/preview", query_string={"monthly_price": ""}, htmx=True).text


def form_data(project, engineer, **extra):
    data = {"contract_type": "QUASI_MANDATE", "side": "SELL", "project_id": str(project),
            "engineer_id": str(engineer), "start_date": "2026-04-01", "end_date": "2026-09-30",
            "monthly_price": "800000", "tax_rate_percent": "10", "settlement_method": "UPPER_LOWER",
            "lower_hours": "140", "upper_hours": "180", "rate_rounding_unit": "10",
            "rate_rounding_mode": "FLOOR", "rounding_target": "RATE", "hours_rounding_minutes": "15",
            "hours_rounding_scope": "MONTHLY", "hours_rounding_mode": "FLOOR",
            "partial_month_rule": "BUSINESS_DAYS", "closing_day": "0", "payment_month_offset": "1",
            "payment_day": "0", "payment_holiday_rule": "PREVIOUS", "chain_position": "1",
            "chain_restriction": "NONE", "responsible_person": "営業 花子"}
    data.update(extra)
    return data


def test_create_with_errors_answers_422_with_messages_next_to_fields(pm, sales, admin_engine):
    project = sales.project(manager_id=pm.user_id)
    response = pm.post("/contracts/new", data=form_data(project, sales.engineer(), end_date="2026-03-01",
                                                         upper_hours="100"), htmx=True)
    assert response.status_code == 422
    assert 'id="end_date-errors"' in response.text and "終了日が開始日より前" in response.text
    assert "逆転" in response.text and "<html" not in response.text
    with admin_engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM contract_context.contracts")).scalar() == 0


def test_create_navigates_to_the_new_contract(pm, sales, admin_engine):
    project = sales.project(manager_id=pm.user_id)
    response = pm.post("/contracts/new", data=form_data(project, sales.engineer()), htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/contracts/")
    plain = pm.post("/contracts/new", data=form_data(project, sales.engineer(), start_date="2026-10-01",
                                                      end_date="2027-03-31"))
    assert plain.status_code == 303


def test_new_from_a_concluded_match_is_prefilled(pm, sales, admin_engine):
    project = sales.project(manager_id=pm.user_id, rate_max=750_000, settlement_lower_hours=150,
                            settlement_upper_hours=190, location="三越前駅周辺")
    engineer = sales.engineer()
    with admin_engine.begin() as conn:
        request_id = conn.execute(text(
            "INSERT INTO matching_context.matching_requests (project_id, title, start_date, end_date,"
            " rate_max) VALUES (:p, 'Java要員', '2026-11-01', '2027-04-30', 760000) RETURNING id"),
            {"p": project}).scalar()
        candidate = conn.execute(text(
            "INSERT INTO matching_context.matching_candidates (matching_request_id, engineer_id,"
            " pipeline_status) VALUES (:r, :e, 'CONCLUDED') RETURNING id"), {"r": request_id, "e": engineer}).scalar()
        result = conn.execute(text(
            "INSERT INTO matching_context.matching_results (matching_request_id, matching_candidate_id,"
            " project_id, engineer_id, status, matching_score) VALUES (:r, :c, :p, :e, 'CONCLUDED', 82)"
            " RETURNING id"), {"r": request_id, "c": candidate, "p": project, "e": engineer}).scalar()
    page = pm.get(f"/contracts/new?matching_result_id={result}")
    assert page.status_code == 200
    assert 'value="760000"' in page.text and 'value="2026-11-01"' in page.text
    assert 'value="150.00"' in page.text or 'value="150"' in page.text
    assert f'<option selected value="{engineer}"' in page.text or f'value="{engineer}" selected' in page.text


def test_a_stale_edit_answers_409_with_a_clear_message(pm, sales):
    project = sales.project(manager_id=pm.user_id)
    pm.post("/contracts/new", data=form_data(project, sales.engineer(), contract_number="K-EDIT"))
    contract_id = sales_contract_id(sales, "K-EDIT")
    data = form_data(project, sales.engineer(), contract_number="K-EDIT", version="1")
    first = pm.post(f"/contracts/{contract_id}/edit", data={**data, "monthly_price": "810000"}, htmx=True)
    assert first.status_code == 204
    stale = pm.post(f"/contracts/{contract_id}/edit", data={**data, "monthly_price": "820000"}, htmx=True)
    assert stale.status_code == 409 and "他の人が先に更新しました" in stale.text


def sales_contract_id(sales, number):
    with sales.engine.begin() as conn:
        return conn.execute(text("SELECT id FROM contract_context.contracts WHERE contract_number = :n"),
                            {"n": number}).scalar_one()


def test_engineers_and_customers_have_no_staff_pages(login_as, sales):
    engineer = login_as("engineer", engineer_id=sales.engineer())
    assert engineer.get("/contracts/").status_code == 403
    customer = login_as("customer", customer_id=sales.customer())
    assert customer.get("/contracts/").status_code == 403


def test_amendment_and_termination_forms(pm, sales):
    p = placement(sales, manager_id=pm.user_id)
    form = pm.get(f"/contracts/{p.sell}/amendments/new")
    assert form.status_code == 200 and 'name="effective_from"' in form.text
    bad = pm.post(f"/contracts/{p.sell}/amendments/new", htmx=True,
                  data={"effective_from": "2026-10", "reason": "", "monthly_price": "850000",
                        "settlement_method": "UPPER_LOWER", "lower_hours": "140", "upper_hours": "180"})
    assert bad.status_code == 422 and "変更理由を入力" in bad.text
    ok = pm.post(f"/contracts/{p.sell}/amendments/new", htmx=True,
                 data={"effective_from": "2026-10", "reason": "単価改定", "monthly_price": "850000",
                       "settlement_method": "UPPER_LOWER", "lower_hours": "140", "upper_hours": "180"})
    assert ok.status_code == 204
    assert "単価改定" in pm.get(f"/contracts/{p.sell}").text
    stop = pm.post(f"/contracts/{p.sell}/terminate", htmx=True,
                   data={"terminated_on": "2031-01-01", "reason": "x", "version": "1"})
    assert stop.status_code == 422 and "契約期間内" in stop.text


def test_template_admin(login_as):
    admin = login_as("admin")
    assert "SES-STD" in admin.get("/contracts/templates").text
    bad = admin.post("/contracts/templates/new", htmx=True,
                     data={"code": "X1", "name": "x", "contract_type": "QUASI_MANDATE",
                           "effective_from": "2026-01-01", "body": "{unknown}"})
    assert bad.status_code == 422 and "{unknown}" in bad.text
    assert login_as("project_manager").get("/contracts/templates/new").status_code == 403


def test_portal_lists_the_customers_own_signed_or_pending_contracts(login_as, sales):
    mine = placement(sales)
    other = placement(sales)
    customer = login_as("customer", customer_id=mine.customer)
    page = customer.get("/contracts/portal")
    assert page.status_code == 200 and f"/contracts/portal/{mine.sell}" in page.text
    assert f"/contracts/portal/{other.sell}" not in page.text


def test_the_list_sorts_by_price(pm, sales):
    project = sales.project(manager_id=pm.user_id)
    sales.contract(project, sales.engineer(), monthly_price=500_000, title="安い契約")
    sales.contract(project, sales.engineer(), monthly_price=900_000, title="高い契約")
    descending = pm.get("/contracts/?sort=-price", htmx=True).text
    assert descending.index("高い契約") < descending.index("安い契約")
    assert 'aria-sort="descending"' in descending
    ascending = pm.get("/contracts/?sort=price", htmx=True).text
    assert ascending.index("安い契約") < ascending.index("高い契約")
