"""The demo company's sales data: customers, cases in every status, the engineer pool."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from app.core import demo
from app.core.registration import is_valid_corporate_number
from app.engineers.models import Engineer, PartnerCompany, SkillAssessment
from app.extensions import db
from app.projects.models import Customer, Project


def test_demo_loads_realistic_sales_data_once(system):
    assert demo.load(today=date(2026, 11, 27), echo=lambda *_: None)
    assert db.session.scalar(select(Customer.name).where(Customer.code == "C001")) == "株式会社さくら銀行システム"
    assert db.session.scalar(select(PartnerCompany.name).where(PartnerCompany.code == "P001")) == "株式会社ブルーテック"
    e1 = db.session.scalar(select(Engineer).where(Engineer.code == "E0001"))
    assert (e1.full_name, e1.employment_type) == ("山﨑 翔太", "EMPLOYEE")
    assert e1.initials == "S.Y" and e1.skills and e1.skills[0]["key"] == "java"
    assert db.session.scalar(select(func.count()).select_from(Customer)) == 12
    assert db.session.scalar(select(func.count()).select_from(Engineer)) == 40
    assert db.session.scalar(select(func.count()).select_from(SkillAssessment)) >= 120
    statuses = set(db.session.scalars(select(Project.status)))
    assert statuses == {"INQUIRY", "PROPOSING", "ORDERED", "ACTIVE", "COMPLETED", "LOST", "CANCELLED"}
    for number in db.session.scalars(select(Customer.corporate_number)):
        assert is_valid_corporate_number(number)
    bench = db.session.scalar(select(func.count()).where(Engineer.availability_status == "AVAILABLE"))
    rolling = db.session.scalar(select(func.count()).where(Engineer.availability_status == "ROLLING_OFF"))
    assert bench >= 10 and rolling >= 5
    # the demo's logins were linked to these records
    linked = db.session.execute(text(
        "SELECT role FROM platform.users WHERE engineer_id = :e OR customer_id IS NOT NULL"
        " OR partner_company_id IS NOT NULL"), {"e": e1.id}).scalars().all()
    assert sorted(linked) == ["customer", "engineer", "partner"]
    # matching: requests ranked by the real engine, a pipeline in every stage, one concluded
    stages = set(db.session.execute(text(
        "SELECT pipeline_status FROM matching_context.matching_candidates")).scalars())
    assert {"CANDIDATE", "PROPOSED", "INTERVIEW", "PASSED", "REJECTED", "CONCLUDED"} <= stages
    assert db.session.execute(text("SELECT count(*) FROM matching_context.matching_results"
                                   " WHERE status = 'CONCLUDED'")).scalar() == 1
    db.session.commit()
    assert not demo.load(today=date(2026, 11, 27), echo=lambda *_: None)
