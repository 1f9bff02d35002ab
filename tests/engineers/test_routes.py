"""Engineer pool pages, self-service and the skill sheet, through the test client."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.engineers.models import PartnerCompany
from app.extensions import db
from tests.projects import factories as make


@pytest.fixture
def pool():
    with acting_as(SYSTEM):
        bp = make.partner(name="株式会社ブルーテック")
        me = make.engineer(full_name="山﨑 翔太", full_name_kana="ヤマザキ ショウタ", skills=[("Java", 8, 4)],
                           birth_date=date(1990, 4, 1), gender="男性", nationality="日本", phone="090-1111-2222")
        other = make.engineer(full_name="髙橋 二郎", employment_type="PARTNER", partner_company_id=bp.id,
                              skills=[("Go", 3, 3)], availability_status="ROLLING_OFF",
                              available_from=date.today().replace(day=28))
        with db.session.no_autoflush:
            ids = {"me": me.id, "other": other.id, "partner": bp.id, "code": me.code}
        db.session.add(me)
        with_history(me)
        db.session.commit()
        return ids


def with_history(engineer):
    from app.engineers.services import add_work_history

    add_work_history(engineer, started_on=date(2022, 4, 1), project_summary="預金系オンラインシステム更改",
                     industry="銀行", role="SE", team_size=20, phases=["BUILD"], technologies=["Java"])


@pytest.fixture
def pm(login_as):
    return login_as("project_manager")


@pytest.fixture
def me(login_as, pool):
    return login_as("engineer", engineer_id=pool["me"])


def test_list_filters_as_you_type(pm, pool):
    full = pm.get("/engineers/?skill=java")
    assert full.status_code == 200 and "<html" in full.text and "山﨑 翔太" in full.text
    assert "髙橋 二郎" not in full.text
    fragment = pm.get("/engineers/?q=髙橋", htmx=True)
    assert "<html" not in fragment.text and "髙橋 二郎" in fragment.text and "山﨑" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_count_follows_the_filters_though_counted_without_the_partner_join(pm, pool):
    assert "2件中 1–2件" in pm.get("/engineers/").text
    assert "1件中 1–1件" in pm.get(f"/engineers/?partner_id={pool['partner']}", htmx=True).text
    assert "1件中 1–1件" in pm.get("/engineers/?availability=ROLLING_OFF&q=髙橋", htmx=True).text


def test_the_partner_filter_is_typed_and_a_partner_page_links_to_its_engineers(pm, pool):
    assert '<input type="search" class="form-control" id="partner" name="partner"' in pm.get("/engineers/").text
    with acting_as(SYSTEM):
        code = db.session.get(PartnerCompany, pool["partner"]).code
    for typed in ("ブルーテック", code):
        fragment = pm.get(f"/engineers/?partner={typed}", htmx=True).text
        assert "1件中 1–1件" in fragment and "髙橋 二郎" in fragment and "山﨑" not in fragment
    assert "0件中" in pm.get("/engineers/?partner=存在しない会社", htmx=True).text
    link = f'href="/engineers/?partner_id={pool["partner"]}"'
    assert link in pm.get(f"/engineers/partners/{pool['partner']}").text
    chosen = pm.get(f"/engineers/?partner_id={pool['partner']}").text
    assert 'id="partner_id"' in chosen and "株式会社ブルーテック" in chosen and "checked" in chosen


def test_available_board_and_partner_pages(pm, pool):
    board = pm.get("/engineers/available")
    assert board.status_code == 200 and "山﨑 翔太" in board.text
    assert "髙橋 二郎" in pm.get(f"/engineers/partners/{pool['partner']}").text
    assert "株式会社ブルーテック" in pm.get("/engineers/partners?q=ブルー", htmx=True).text


def test_create_with_bad_input_answers_422(pm, pool):
    response = pm.post("/engineers/new", htmx=True, data={
        "code": pool["code"], "full_name": "", "employment_type": "PARTNER", "desired_rate": "-5",
        "work_style_preference": "ANY", "japanese_level": "NATIVE", "availability_status": "AVAILABLE",
        "email": "x"})
    assert response.status_code == 422 and "<html" not in response.text
    assert re.search(r'id="full_name-errors"[^>]*>\s*<div>入力してください', response.text)
    assert 'id="desired_rate-errors"' in response.text and "メールアドレスの形式" in response.text
    again = pm.post("/engineers/new", htmx=True, data={
        "code": pool["code"], "full_name": "重複 太郎", "employment_type": "PARTNER",
        "work_style_preference": "ANY", "japanese_level": "NATIVE", "availability_status": "AVAILABLE"})
    assert again.status_code == 422 and "既に使われています" in again.text


def test_an_engineer_sees_and_edits_only_their_own_profile(me, pool, admin_engine):
    assert me.get("/engineers/me").headers["Location"].endswith(f"/engineers/{pool['me']}")
    page = me.get(f"/engineers/{pool['me']}")
    assert page.status_code == 200 and "090-1111-2222" in page.text
    assert me.get(f"/engineers/{pool['other']}").status_code == 404
    assert me.get("/engineers/").status_code == 403
    form = me.get(f"/engineers/{pool['me']}/edit").text
    assert 'name="code"' not in form and 'name="employment_type"' not in form
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    saved = me.post(f"/engineers/{pool['me']}/edit", htmx=True, data={
        "version": version, "desired_rate": "750000", "work_style_preference": "REMOTE",
        "japanese_level": "NATIVE", "employment_type": "FREELANCE", "code": "HACK"})
    assert saved.status_code == 204
    with admin_engine.connect() as conn:
        row = conn.execute(text("SELECT code, employment_type, desired_rate FROM engineer_context.engineers"
                                " WHERE id = :i"), {"i": pool["me"]}).one()
    assert (row.code, row.employment_type, row.desired_rate) == (pool["code"], "EMPLOYEE", 750000)
    skill = me.post(f"/engineers/{pool['me']}/skills", htmx=True, data={
        "skill_name": "AWS", "skill_category": "CLOUD", "skill_level": "2", "years_experience": "1.5"})
    assert skill.status_code == 200 and "AWS" in skill.text
    period = me.post(f"/engineers/{pool['me']}/availability", htmx=True, data={
        "available_from": "2027-04-01", "utilization_percent": "100"})
    assert period.status_code == 200 and "2027/04/01" in period.text
    other = me.post(f"/engineers/{pool['other']}/skills", htmx=True, data={
        "skill_name": "COBOL", "skill_category": "LANGUAGE", "skill_level": "5", "years_experience": "9"})
    assert other.status_code == 404


def test_record_tabs_validate_in_place(pm, pool):
    bad = pm.post(f"/engineers/{pool['me']}/history", htmx=True, data={
        "started_on": "2024-04-01", "ended_on": "2023-03-31", "project_summary": "x"})
    assert bad.status_code == 422 and "終了は開始より後" in bad.text
    cert = pm.post(f"/engineers/{pool['me']}/certifications", htmx=True, data={"name": "応用情報技術者",
                                                                                "acquired_on": "2020-06-01"})
    assert cert.status_code == 200 and "応用情報技術者" in cert.text


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_skill_sheet_is_anonymous_unless_asked(pm, pool):
    anonymous = pm.get(f"/engineers/{pool['me']}/skill-sheet.pdf")
    assert anonymous.status_code == 200 and anonymous.mimetype == "application/pdf"
    sheet = pdf_text(anonymous.data)
    assert "S.Y" in sheet and "Java" in sheet and "預金系オンラインシステム更改" in sheet
    assert "山﨑" not in sheet and "男性" not in sheet and "国籍" not in sheet and "年齢" not in sheet
    named = pdf_text(pm.get(f"/engineers/{pool['me']}/skill-sheet.pdf?name=1&personal=1").data)
    assert "山﨑 翔太" in named and "男性" in named and "年齢" in named


def test_engineer_import_with_bad_rows_writes_nothing(pm, admin_engine):
    csv = ("技術者コード,氏名,雇用形態,パートナーコード,希望単価,スキル\n"
           "E9001,新人 一郎,正社員,,55万,\"Java:2:2、SQL:1\"\n"
           "E9002,協力 二郎,BP（パートナー）,NOPE,60万,Go:3\n"
           "E9003,不明 三郎,派遣,,abc,\n").encode("cp932")
    preview = pm.post("/engineers/import", data={"file": (io.BytesIO(csv), "e.csv")}, htmx=True,
                      content_type="multipart/form-data")
    assert preview.status_code == 422
    assert "このコードのパートナー企業はありません" in preview.text and "次のいずれかを入力してください" in preview.text
    with admin_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM engineer_context.engineers")).scalar() == 0


def test_engineer_export_imports_back_with_skills(pm, pool, admin_engine):
    exported = pm.get("/engineers/export?fmt=csv_sjis")
    assert exported.status_code == 200 and "Java:8:4" in exported.data.decode("cp932")
    preview = pm.post("/engineers/import", data={"file": (io.BytesIO(exported.data), "e.csv")}, htmx=True,
                      content_type="multipart/form-data")
    assert preview.status_code == 200 and "2件を取り込む" in preview.text
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    assert pm.post("/engineers/import", data={"token": token}, htmx=True).status_code == 204
    with admin_engine.connect() as conn:
        skills = conn.execute(text("SELECT skill_name, years_experience FROM engineer_context.skill_assessments"
                                   " WHERE engineer_id = :e AND deleted_at IS NULL"), {"e": pool["me"]}).all()
    assert [(s, float(y)) for s, y in skills] == [("Java", 8.0)]


PARTNER = {"code": "P900", "name": "株式会社テックリンク", "corporate_number": "", "registration_number": "",
           "postal_code": "150-0001", "closing_day": "0", "payment_month_offset": "1", "payment_day": "0",
           "payment_holiday_rule": "PREVIOUS"}


def test_a_partner_is_registered_and_edited_with_errors_at_the_field(pm, pool, admin_engine):
    bad = pm.post("/engineers/partners/new", htmx=True, data=PARTNER | {"contact_email": "mail", "postal_code": "1"})
    assert bad.status_code == 422 and "<html" not in bad.text and 'id="partner-form"' in bad.text
    assert re.search(r'id="contact_email-errors"[^>]*>\s*<div>メールアドレスの形式', bad.text)
    assert re.search(r'id="postal_code-errors"[^>]*>\s*<div>123-4567', bad.text)
    check_digit = pm.post("/engineers/partners/new", htmx=True, data=PARTNER | {"registration_number": "T1123456789012"})
    assert check_digit.status_code == 422
    assert re.search(r'id="registration_number-errors"[^>]*>\s*<div>登録番号のチェックデジット', check_digit.text)
    sole = pm.post("/engineers/partners/new", htmx=True, data=PARTNER | {
        "registration_number": "T1123456789012", "is_sole_proprietor": "y", "subcontract_act_covered": "y"})
    assert sole.status_code == 204                   # a sole proprietor's number has no check digit
    with admin_engine.connect() as conn:
        row = conn.execute(text("SELECT id, version, is_sole_proprietor, subcontract_act_covered"
                                " FROM engineer_context.partner_companies WHERE code = 'P900'")).one()
    assert row.is_sole_proprietor and row.subcontract_act_covered
    url = f"/engineers/partners/{row.id}/edit"
    corporate = pm.post(url, htmx=True, data=PARTNER | {"version": row.version, "registration_number": "T1123456789012"})
    assert corporate.status_code == 422 and "チェックデジット" in corporate.text   # no longer a sole proprietor
    with admin_engine.connect() as conn:
        other_code = conn.execute(text("SELECT code FROM engineer_context.partner_companies WHERE id = :p"),
                                  {"p": pool["partner"]}).scalar_one()
    taken = pm.post(url, htmx=True, data=PARTNER | {"version": row.version, "code": other_code.lower()})
    assert taken.status_code == 422 and "このパートナーコードは既に使われています" in taken.text
    saved = PARTNER | {"version": row.version, "registration_number": "T7123456789012"}
    assert pm.post(url, htmx=True, data=saved).status_code == 204
    assert pm.post(url, htmx=True, data=saved).status_code == 409              # the version has moved on


def test_every_engineer_page_renders(pm, pool):
    for url in ("/engineers/new", f"/engineers/{pool['me']}/edit", "/engineers/partners/new",
                f"/engineers/partners/{pool['partner']}/edit", "/engineers/import", "/engineers/partners/import",
                *(f"/engineers/{pool['me']}?tab={tab}" for tab in ("profile", "skills", "certifications", "history",
                                                                  "availability"))):
        response = pm.get(url)
        assert response.status_code == 200 and "<html" in response.text, url


def test_the_skill_filter_suggests_the_most_used_skill_names_first(pool, login_as):
    with acting_as(SYSTEM):
        make.engineer(full_name="佐藤 三郎", skills=[("Java", 5, 3)])
        db.session.execute(text("SELECT report_context.refresh_materialized_views()"))
        db.session.commit()
    page = login_as("project_manager").get("/engineers/").text
    datalist = re.search(r'<datalist id="skill-names">(.*?)</datalist>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)">', datalist) == ["Java", "Go"]
