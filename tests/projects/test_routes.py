"""Case and customer pages through the test client: full page vs fragment, 422, 409, import."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from app.projects.models import Project
from tests.projects import factories as make


@pytest.fixture
def pm(login_as):
    return login_as("project_manager", display_name="営業 花子")


@pytest.fixture
def case(pm):
    with acting_as(SYSTEM):
        customer = make.customer(name="株式会社さくら銀行システム")
        project = make.project(customer.id, pm.user_id, title="勘定系更改", skills=[("Java", 3, True)])
        other = make.project(customer.id, None, title="他人の案件")
        db.session.commit()
        return project.id, other.id, customer.id


def test_list_is_a_full_page_or_just_the_results_for_htmx(pm, case):
    page = pm.get("/projects/?q=勘定")
    assert page.status_code == 200 and "<html" in page.text and "勘定系更改" in page.text
    assert "HX-Request" in page.headers["Vary"]
    fragment = pm.get("/projects/?q=勘定&sort=-start", htmx=True)
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="project-table"' in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    assert "他人の案件" not in pm.get("/projects/").text            # RLS: not their case
    assert "勘定系更改" not in pm.get("/projects/?status=LOST", htmx=True).text


def test_cases_are_filtered_by_a_typed_customer_code_or_name(pm, case):
    with acting_as(SYSTEM):
        other = make.customer(name="北海道ソフト株式会社")
        make.project(other.id, pm.user_id, title="道庁システム")
        db.session.commit()
        code = db.session.get(type(other), other.id).code
    by_name = pm.get("/projects/?customer=さくら", htmx=True).text
    assert "勘定系更改" in by_name and "道庁システム" not in by_name
    by_code = pm.get(f"/projects/?customer={code}", htmx=True).text
    assert "道庁システム" in by_code and "勘定系更改" not in by_code
    page = pm.get(f"/projects/?customer_id={case[2]}")
    assert "勘定系更改" in page.text and "道庁システム" not in page.text
    assert 'name="customer_id"' in page.text and "株式会社さくら銀行システム" in page.text   # can be unticked


def test_another_managers_case_is_not_found(pm, case):
    assert pm.get(f"/projects/{case[1]}").status_code == 404


def test_detail_tabs_are_fragments_for_htmx(pm, case):
    full = pm.get(f"/projects/{case[0]}?tab=requirements")
    assert full.status_code == 200 and "<html" in full.text and "Java" in full.text
    tab = pm.get(f"/projects/{case[0]}?tab=plan", htmx=True)
    assert "<html" not in tab.text and 'id="milestone-form"' in tab.text


def test_create_with_bad_input_answers_422_next_to_the_field(pm, case):
    response = pm.post("/projects/new", htmx=True, data={
        "code": "bad code!", "customer_id": str(case[2]), "title": "", "headcount": "1", "chain_position": "1",
        "priority": "3", "work_style": "ONSITE", "chain_restriction": "NONE", "rate_min": "900000",
        "rate_max": "abc", "sales_manager_id": str(pm.user_id)})
    assert response.status_code == 422 and "<html" not in response.text
    assert re.search(r'id="code-errors"[^>]*>\s*<div>英数字', response.text)
    assert re.search(r'id="title-errors"[^>]*>\s*<div>入力してください', response.text)
    assert 'id="rate_max-errors"' in response.text


def test_create_then_order_records_the_event(pm, case, admin_engine):
    response = pm.post("/projects/new", htmx=True, data={
        "code": "PJ-NEW", "customer_id": str(case[2]), "title": "新規案件", "headcount": "2",
        "chain_position": "1", "priority": "2", "work_style": "REMOTE", "chain_restriction": "NONE",
        "start_date": "2027-01-01", "rate_min": "600000", "rate_max": "750000",
        "sales_manager_id": str(pm.user_id)})
    assert response.status_code == 204, response.text
    assert response.headers["HX-Redirect"].startswith("/projects/")
    with admin_engine.connect() as conn:
        project_id, version = conn.execute(text(
            "SELECT id, version FROM project_context.projects WHERE code = 'PJ-NEW'")).one()
    bad = pm.post(f"/projects/{project_id}/status", htmx=True, data={"status": "COMPLETED", "version": version})
    assert bad.status_code == 422 and 'id="status-area"' in bad.text
    ok = pm.post(f"/projects/{project_id}/status", htmx=True, data={"status": "ORDERED", "version": version})
    assert ok.status_code == 204
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT event_type FROM platform.domain_events")).scalars().all() == ["ProjectOrdered"]


def test_a_stale_edit_gets_409_and_changes_nothing(pm, case, admin_engine):
    project_id = case[0]
    form = {"code": "PJ-X", "customer_id": str(case[2]), "title": "変更後", "headcount": "1",
            "chain_position": "1", "priority": "3", "work_style": "ONSITE", "chain_restriction": "NONE",
            "sales_manager_id": str(pm.user_id), "project_manager_id": str(pm.user_id)}
    with admin_engine.connect() as conn:
        version = conn.execute(text("SELECT version FROM project_context.projects WHERE id = :i"),
                               {"i": project_id}).scalar()
    assert pm.post(f"/projects/{project_id}/edit", htmx=True, data=form | {"version": version}).status_code == 204
    stale = pm.post(f"/projects/{project_id}/edit", htmx=True, data=form | {"version": version, "title": "古い"})
    assert stale.status_code == 409 and "他の人が先に" in stale.text
    with acting_as(SYSTEM):
        assert db.session.get(Project, project_id).title == "変更後"
        db.session.rollback()


def test_requirements_are_added_in_place_with_errors_inline(pm, case):
    added = pm.post(f"/projects/{case[0]}/requirements", htmx=True,
                    data={"requirement_type": "SKILL", "name": "AWS", "min_years": "2", "is_mandatory": "y"})
    assert added.status_code == 200 and "AWS" in added.text and "<html" not in added.text
    bad = pm.post(f"/projects/{case[0]}/requirements", htmx=True,
                  data={"requirement_type": "PHASE", "name": "企画"})
    assert bad.status_code == 422 and "次のいずれかを入力してください" in bad.text


def _java(project_id):
    with acting_as(SYSTEM):
        row = db.session.execute(text("SELECT id, version FROM project_context.project_requirements"
                                      " WHERE project_id = :p AND name = 'Java'"), {"p": project_id}).one()
        db.session.rollback()
    return row


def test_a_requirement_is_edited_in_place(pm, case):
    java = _java(case[0])
    url = f"/projects/{case[0]}/requirements/{java.id}"
    edit = pm.get(f"{url}/edit", htmx=True)
    assert edit.status_code == 200 and "<html" not in edit.text and "HX-Request" in edit.headers["Vary"]
    assert 'id="requirement-edit-form"' in edit.text and 'value="Java"' in edit.text
    assert 'id="requirement-form"' not in edit.text                  # one form at a time
    assert "<html" in pm.get(f"{url}/edit").text                     # without htmx: the whole page
    form = {"version": str(java.version), "requirement_type": "SKILL", "name": "Java", "min_years": "5",
            "description": "Spring Boot 経験", "is_mandatory": "y"}
    bad = pm.post(url, htmx=True, data=form | {"name": " ", "min_years": "99"})
    assert bad.status_code == 422 and "<html" not in bad.text and 'id="requirement-edit-form"' in bad.text
    assert re.search(r'id="name-errors"[^>]*>\s*<div>入力してください', bad.text)
    assert re.search(r'id="min_years-errors"[^>]*>\s*<div>', bad.text)
    saved = pm.post(url, htmx=True, data=form)
    assert saved.status_code == 200 and "Spring Boot 経験" in saved.text and "5.0" in saved.text
    assert 'id="requirement-edit-form"' not in saved.text
    assert _java(case[0]).version == java.version + 1
    stale = pm.post(url, htmx=True, data=form | {"min_years": "1"})
    assert stale.status_code == 409
    with acting_as(SYSTEM):
        project = db.session.get(Project, case[0])
        assert project.requirements["skills"][0]["min_years"] == 5.0
        db.session.rollback()


def test_a_requirement_of_another_case_is_not_found(pm, case):
    with acting_as(SYSTEM):
        other = make.project(case[2], pm.user_id, skills=[("COBOL", 5, True)])
        db.session.commit()
        other_id = other.id
    java = _java(case[0])
    assert pm.get(f"/projects/{other_id}/requirements/{java.id}/edit").status_code == 404
    assert pm.post(f"/projects/{other_id}/requirements/{java.id}", data={
        "version": str(java.version), "requirement_type": "SKILL", "name": "X"}).status_code == 404


def test_customer_contacts_are_managed_in_place(pm, case):
    url = f"/projects/customers/{case[2]}/contacts"
    bad = pm.post(url, htmx=True, data={"name": "", "email": "not-mail"})
    assert bad.status_code == 422 and "メールアドレスの形式" in bad.text
    good = pm.post(url, htmx=True, data={"name": "佐藤 大輔", "is_billing_contact": "y"})
    assert good.status_code == 200 and "佐藤 大輔" in good.text and "請求担当" in good.text


def upload(client, url, data: bytes, name="x.csv"):
    return client.post(url, data={"file": (io.BytesIO(data), name)}, htmx=True, content_type="multipart/form-data")


def test_customer_import_with_a_bad_row_writes_nothing(pm, admin_engine):
    csv = ("顧客コード,会社名,法人番号,登録番号,締め日\n"
           "C101,株式会社いろは,4011001098993,T4011001098993,0\n"
           "C102,株式会社にほへ,1123456789012,,0\n"
           "C103,株式会社とちり,,,31\n").encode("cp932")
    preview = upload(pm, "/projects/customers/import", csv)
    assert preview.status_code == 422 and "法人番号が正しくありません" in preview.text and "28以下" in preview.text
    count = "SELECT count(*) FROM project_context.customers"
    with admin_engine.connect() as conn:
        assert conn.execute(text(count)).scalar() == 0


def test_customer_import_previews_then_commits_all_rows(pm, admin_engine):
    csv = "顧客コード,会社名,敬称\nC201,株式会社いろは,御中\nC202,にほへ病院,様\n".encode()
    preview = upload(pm, "/projects/customers/import", csv)
    assert preview.status_code == 200 and "2件を取り込む" in preview.text
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    done = pm.post("/projects/customers/import", data={"token": token}, htmx=True)
    assert done.status_code == 204
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT code, honorific FROM project_context.customers ORDER BY code")).all() == [
            ("C201", "御中"), ("C202", "様")]


def test_project_export_imports_back(pm, case):
    exported = pm.get("/projects/export?fmt=xlsx")
    assert exported.status_code == 200 and exported.mimetype.endswith("spreadsheetml.sheet")
    preview = upload(pm, "/projects/import", exported.data, "案件.xlsx")
    assert preview.status_code == 200, preview.text
    assert "1件を取り込む" in preview.text


CUSTOMER = {"code": "C900", "name": "株式会社みなと物産", "corporate_number": "4011001098993",
            "registration_number": "T4011001098993", "honorific": "御中", "postal_code": "100-0001",
            "closing_day": "0", "payment_month_offset": "1", "payment_day": "0", "payment_holiday_rule": "PREVIOUS",
            "invoice_grouping": "PER_CUSTOMER", "billing_email": "keiri@minato.example"}


def test_a_customer_is_registered_and_edited_with_errors_at_the_field(pm, case, admin_engine):
    bad = pm.post("/projects/customers/new", htmx=True, data=CUSTOMER | {
        "registration_number": "T7123456789012", "postal_code": "1000001x", "billing_email": "mail"})
    assert bad.status_code == 422 and "<html" not in bad.text and 'id="customer-form"' in bad.text
    assert re.search(r'id="postal_code-errors"[^>]*>\s*<div>123-4567', bad.text)
    assert re.search(r'id="billing_email-errors"[^>]*>\s*<div>メールアドレスの形式', bad.text)
    wrong_number = pm.post("/projects/customers/new", htmx=True, data=CUSTOMER | {"registration_number": "T7123456789012"})
    assert wrong_number.status_code == 422
    assert re.search(r'id="registration_number-errors"[^>]*>\s*<div>法人の登録番号は T \+ 法人番号', wrong_number.text)
    created = pm.post("/projects/customers/new", htmx=True, data=CUSTOMER | {"honorific": "様"})
    assert created.status_code == 204
    with admin_engine.connect() as conn:
        row = conn.execute(text("SELECT id, honorific, version FROM project_context.customers WHERE code = 'C900'")).one()
        other_code = conn.execute(text("SELECT code FROM project_context.customers WHERE id = :c"),
                                  {"c": case[2]}).scalar_one()
    assert row.honorific == "様"
    url = f"/projects/customers/{row.id}/edit"
    assert 'value="株式会社みなと物産"' in pm.get(url).text
    taken = pm.post(url, htmx=True, data=CUSTOMER | {"version": row.version, "code": other_code.lower()})
    assert taken.status_code == 422 and "この顧客コードは既に使われています" in taken.text
    assert pm.post(url, htmx=True, data=CUSTOMER | {"version": row.version, "name": "みなと物産株式会社"}).status_code == 204
    assert pm.post(url, htmx=True, data=CUSTOMER | {"version": row.version}).status_code == 409


def test_every_page_renders_for_sales(pm, case):
    project_id, _, customer_id = case
    for url in ("/projects/new", f"/projects/{project_id}/edit", "/projects/customers", "/projects/customers/new",
                f"/projects/customers/{customer_id}", f"/projects/customers/{customer_id}/edit",
                "/projects/import", "/projects/customers/import", f"/projects/{project_id}?tab=overview"):
        response = pm.get(url)
        assert response.status_code == 200, url
        assert "<html" in response.text
    english = pm.post("/locale", data={"locale": "en", "next": "/projects/"})
    assert english.status_code in (204, 303)
    assert "Register a case" in pm.get("/projects/").text


def test_engineers_and_customers_cannot_open_sales_pages(login_as, case):
    with acting_as(SYSTEM):
        links = {"engineer": {"engineer_id": make.engineer().id}, "customer": {"customer_id": case[2]},
                 "partner": {"partner_company_id": make.partner().id}}
        db.session.commit()
    for role, link in links.items():
        assert login_as(role, **link).get("/projects/").status_code == 403
