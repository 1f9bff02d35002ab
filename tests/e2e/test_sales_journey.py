"""A sales user in a browser: registers a case, adds its required skill, runs matching and
proposes the top candidate, whose score breakdown is shown."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import text

from app.core.identity import SYSTEM, acting_as
from app.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_in
from tests.projects import factories as make


def test_sales_creates_a_case_runs_matching_and_proposes_the_top_candidate(page, make_user, admin_engine):
    make_user("project_manager", email="sales@journey.test", display_name="営業 花子")
    with acting_as(SYSTEM):
        make.customer(code="C900", name="株式会社さくら銀行システム")
        make.engineer(code="E9001", full_name="山﨑 翔太", skills=[("Java", 8, 5)], desired_rate=700000)
        make.engineer(code="E9002", full_name="中村 美咲", skills=[("Java", 4, 3)], desired_rate=600000)
        make.engineer(code="E9003", full_name="松本 蓮", skills=[("Go", 6, 4)])
        db.session.commit()

    log_in(page, "sales@journey.test", TEST_PASSWORD)
    page.get_by_role("link", name="案件", exact=True).click()
    page.get_by_role("link", name="案件を登録").click()
    page.fill("#code", "PJ-9001")
    page.fill("#title", "勘定系システム更改")
    page.select_option("#customer_id", label="C900 株式会社さくら銀行システム")
    page.fill("#start_date", (date.today() + timedelta(days=45)).isoformat())
    page.fill("#rate_min", "650000")
    page.fill("#rate_max", "800000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("勘定系システム更改")

    page.get_by_role("link", name="要件").click()
    page.fill("#name", "Java")
    page.fill("#min_years", "3")
    page.get_by_role("button", name="追加").click()
    expect(page.locator("#tab-panel table")).to_contain_text("Java")

    page.get_by_role("link", name="マッチング依頼を作成").click()
    expect(page.locator("#required_skills")).to_have_value("Java:3")
    page.get_by_role("button", name="保存して候補者を抽出").click()
    rows = page.locator("#candidate-table > tbody > tr")
    expect(rows).to_have_count(2)                     # the Go engineer does not qualify
    top = rows.first
    expect(top).to_contain_text("山﨑 翔太")
    top.locator("summary").click()
    expect(top.locator(".breakdown")).to_contain_text("Java: 8.0年 Lv5")
    top.get_by_role("button", name="進める").click()
    expect(page.locator("#candidates .alert")).to_contain_text("「提案」にしました")
    expect(page.locator("#candidate-table > tbody > tr").first).to_contain_text("提案")

    with admin_engine.connect() as conn:
        status = conn.execute(text(
            "SELECT c.pipeline_status FROM matching_context.matching_candidates c"
            " JOIN engineer_context.engineers e ON e.id = c.engineer_id WHERE e.code = 'E9001'")).scalar()
    assert status == "PROPOSED"
