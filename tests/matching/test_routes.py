"""Matching pages: create from a case, ranked candidates with breakdowns, pipeline, weights."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from tests.projects import factories as make

START = (date.today() + timedelta(days=40)).isoformat()


@pytest.fixture
def pm(login_as):
    return login_as("project_manager")


@pytest.fixture
def case(pm):
    with acting_as(SYSTEM):
        project = make.project(make.customer().id, pm.user_id, title="勘定系更改", skills=[("Java", 3, True)])
        top = make.engineer(full_name="山﨑 翔太", skills=[("Java", 8, 5)], desired_rate=700000)
        second = make.engineer(full_name="中村 美咲", skills=[("Java", 4, 3)], desired_rate=600000)
        make.engineer(full_name="対象外 五郎", skills=[("Go", 8, 5)])
        ids = {"project": project.id, "top": top.id, "second": second.id}
        db.session.commit()
    return ids


def create(pm, case, **overrides):
    data = {"title": "勘定系 要員", "required_skills": "Java:3", "preferred_skills": "AWS", "start_date": START,
            "rate_max": "750000", "work_style": "ONSITE", "chain_restriction": "NONE", "headcount": "1"} | overrides
    return pm.post(f"/matching/new?project_id={case['project']}", data=data, htmx=True)


def request_id(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT id FROM matching_context.matching_requests")).scalar()


def candidate(admin_engine, engineer_id):
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT id, version, pipeline_status FROM matching_context.matching_candidates"
                                 " WHERE engineer_id = :e AND deleted_at IS NULL"), {"e": engineer_id}).one()


def test_the_form_starts_from_the_case(pm, case):
    page = pm.get(f"/matching/new?project_id={case['project']}")
    assert page.status_code == 200 and 'value="Java:3"' in page.text and "勘定系更改 要員" in page.text


def test_bad_conditions_answer_422_next_to_the_field(pm, case):
    response = create(pm, case, start_date="", required_skills="Java:三年", rate_min="900000", rate_max="800000")
    assert response.status_code == 422 and "<html" not in response.text
    assert re.search(r'id="start_date-errors"[^>]*>\s*<div>', response.text)
    assert re.search(r'id="required_skills-errors"[^>]*>\s*<div>数値で入力してください', response.text)


def test_creating_a_request_ranks_candidates_with_their_breakdown(pm, case, admin_engine):
    response = create(pm, case)
    assert response.status_code == 204
    detail = pm.get(response.headers["HX-Redirect"])
    assert detail.status_code == 200 and "<html" in detail.text
    names = re.findall(r'<a href="/engineers/[^"]+">[^<]*?(山﨑 翔太|中村 美咲|対象外 五郎)</a>', detail.text)
    assert names == ["山﨑 翔太", "中村 美咲"]                    # ranked, the Go engineer filtered out
    assert "スキル適合" in detail.text and "単価適合" in detail.text and "Java: 8.0年 Lv5" in detail.text
    fragment = pm.get(response.headers["HX-Redirect"], htmx=True)
    assert "<html" not in fragment.text and 'id="candidate-table"' in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_pipeline_moves_in_place_and_concluding_offers_a_contract(app, pm, case, admin_engine):
    create(pm, case)
    top = candidate(admin_engine, case["top"])
    wrong = pm.post(f"/matching/candidates/{top.id}/move", data={"status": "CONCLUDED", "version": top.version},
                    htmx=True)
    assert wrong.status_code == 422 and "選択肢が正しくありません" in wrong.text
    for step in ("PROPOSED", "INTERVIEW", "PASSED"):
        top = candidate(admin_engine, case["top"])
        moved = pm.post(f"/matching/candidates/{top.id}/move", htmx=True,
                        data={"status": step, "version": top.version, "note": f"{step}です"})
        assert moved.status_code == 200 and "<html" not in moved.text
    top = candidate(admin_engine, case["top"])
    done = pm.post(f"/matching/candidates/{top.id}/move", data={"status": "CONCLUDED", "version": top.version},
                   htmx=True)
    assert done.status_code == 200 and "成約しました" in done.text
    with admin_engine.connect() as conn:
        result_id = conn.execute(text("SELECT id FROM matching_context.matching_results")).scalar()
        events = conn.execute(text("SELECT event_type FROM platform.domain_events")).scalars().all()
    assert events == ["MatchingCompleted"]
    contracts_installed = any(rule.endpoint == "contracts.new" for rule in app.url_map.iter_rules())
    assert (f"/contracts/new?matching_result_id={result_id}" in done.text) == contracts_installed


def test_a_stale_move_is_refused_with_409(pm, case, admin_engine):
    create(pm, case)
    top = candidate(admin_engine, case["top"])
    assert pm.post(f"/matching/candidates/{top.id}/move", data={"status": "PROPOSED", "version": top.version},
                   htmx=True).status_code == 200
    stale = pm.post(f"/matching/candidates/{top.id}/move", data={"status": "WITHDRAWN", "version": top.version},
                    htmx=True)
    assert stale.status_code == 409 and candidate(admin_engine, case["top"]).pipeline_status == "PROPOSED"


def test_proposing_someone_already_proposed_elsewhere_warns(pm, case, admin_engine):
    create(pm, case)
    first = request_id(admin_engine)
    top = candidate(admin_engine, case["top"])
    pm.post(f"/matching/candidates/{top.id}/move", data={"status": "PROPOSED", "version": top.version}, htmx=True)
    create(pm, case, title="別の要員")
    with admin_engine.connect() as conn:
        other = conn.execute(text("SELECT id, version FROM matching_context.matching_candidates WHERE engineer_id = :e"
                                  " AND matching_request_id <> :r"), {"e": case["top"], "r": first}).one()
    warned = pm.post(f"/matching/candidates/{other.id}/move", data={"status": "PROPOSED", "version": other.version},
                     htmx=True)
    assert warned.status_code == 200 and "並行営業" in warned.text and "他の1件" in warned.text


def test_weights_are_for_administrators(pm, login_as):
    assert pm.get("/matching/weights").status_code == 403
    admin = login_as("admin")
    page = admin.get("/matching/weights")
    assert page.status_code == 200 and "スキル適合" in page.text
    versions = dict(re.findall(r'name="(\w+_version)" type="hidden" value="(\d+)"', page.text))
    zero = {f"{code}_weight": "0" for code in ("SKILLS", "RATE", "START_DATE", "WORK_STYLE", "OTHER")}
    refused = admin.post("/matching/weights", data=zero | versions, htmx=True)
    assert refused.status_code == 422 and "少なくとも1つ" in refused.text
    saved = admin.post("/matching/weights", htmx=True, data=versions | zero | {
        "SKILLS_weight": "50", "SKILLS_active": "y", "RATE_weight": "50", "RATE_active": "y"})
    assert saved.status_code == 204


def test_list_and_case_link(pm, case):
    create(pm, case)
    listing = pm.get("/matching/?q=勘定")
    assert listing.status_code == 200 and "勘定系 要員" in listing.text
    assert "マッチング依頼を作成" in pm.get(f"/projects/{case['project']}").text
