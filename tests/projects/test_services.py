"""Cases and customers: validation, the status workflow and its event, requirements, search."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from app.core.db import ConflictError
from app.core.identity import Identity, acting_as
from app.core.listing import ListState
from app.extensions import db
from app.projects import queries
from app.projects.models import ProjectRequirement
from app.projects.services import (
    ProjectError,
    add_requirement,
    change_status,
    requirement_label,
    update_project,
    update_requirement,
)
from tests.projects import factories as make


def events(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(text("SELECT event_type, aggregate_id, payload FROM platform.domain_events")).all()


def test_period_rates_and_settlement_ranges_must_be_ordered(system):
    customer = make.customer()
    cases = [({"end_date": date(2026, 11, 1)}, "end_date"), ({"rate_min": 900000}, "rate_max"),
             ({"settlement_lower_hours": 180, "settlement_upper_hours": 140}, "settlement_upper_hours")]
    for fields, field in cases:
        with pytest.raises(ProjectError) as error:
            make.project(customer.id, **fields)
        assert error.value.field == field


def test_a_sales_user_must_be_on_the_case_they_register(app, make_user):
    manager, other = make_user("project_manager"), make_user("project_manager")
    with acting_as(Identity("admin", make_user("admin"))):
        customer = make.customer()
        db.session.commit()
    with acting_as(Identity("project_manager", manager)):
        with pytest.raises(ProjectError) as error:
            make.project(customer.id, other)
        assert error.value.field == "sales_manager_id"
        db.session.rollback()
        assert make.project(customer.id, manager).sales_manager_id == manager
        db.session.rollback()


def test_the_workflow_refuses_skipping_back_or_closing_without_reason(system):
    case = make.project(make.customer().id)
    with pytest.raises(ProjectError, match="「引合」から「完了」には変更できません"):
        change_status(case, "COMPLETED", case.version)
    with pytest.raises(ProjectError) as error:
        change_status(case, "LOST", case.version)
    assert error.value.field == "reason"
    change_status(case, "PROPOSING", case.version)
    change_status(case, "LOST", case.version, reason="単価が合わず")
    assert (case.status, case.closed_reason) == ("LOST", "単価が合わず")
    with pytest.raises(ConflictError):
        change_status(case, "INQUIRY", case.version - 1)


def test_ordering_a_case_records_project_ordered_in_the_same_transaction(system, admin_engine):
    case = make.project(make.customer().id)
    change_status(case, "ORDERED", case.version)
    db.session.rollback()
    assert events(admin_engine) == []                  # rolled back: no event
    case = make.project(make.customer().id, title="勘定系更改")
    change_status(case, "PROPOSING", case.version)
    change_status(case, "ORDERED", case.version)
    db.session.commit()
    [(kind, aggregate, payload)] = events(admin_engine)
    assert (kind, aggregate) == ("ProjectOrdered", case.id)
    assert payload["title"] == "勘定系更改" and payload["rate_max"] == 800000 and case.ordered_at


def test_ordering_needs_a_start_date_and_a_rate(system):
    case = make.project(make.customer().id, start_date=None, end_date=None)
    with pytest.raises(ProjectError, match="開始日と単価"):
        change_status(case, "ORDERED", case.version)


def test_requirements_are_mirrored_as_jsonb_with_codes_for_phases_and_roles(system):
    case = make.project(make.customer().id, skills=[("Java", 3, True), ("AWS", None, False)])
    add_requirement(case, requirement_type="PHASE", name="基本設計")
    add_requirement(case, requirement_type="ROLE", name="pl")
    with pytest.raises(ProjectError) as error:
        add_requirement(case, requirement_type="PHASE", name="なんとなく")
    assert "要件定義" in error.value.message
    assert case.requirements["skills"] == [
        {"key": "java", "name": "Java", "mandatory": True, "min_years": 3.0, "min_level": None},
        {"key": "aws", "name": "AWS", "mandatory": False, "min_years": None, "min_level": None}]
    assert (case.requirements["phases"], case.requirements["roles"]) == (["BASIC_DESIGN"], ["PL"])


def test_a_requirement_is_edited_under_its_version(system):
    case = make.project(make.customer().id, skills=[("Java", 3, True), ("AWS", None, False)])
    java = next(r for r in db.session.scalars(select(ProjectRequirement)) if r.name == "Java")
    update_requirement(case, java.id, java.version, requirement_type="SKILL", name="ＪＡＶＡ", min_years=5,
                       is_mandatory=False, description="Spring Boot")
    assert case.requirements["skills"][0] == {"key": "java", "name": "ＪＡＶＡ", "mandatory": False,
                                              "min_years": 5.0, "min_level": None}
    update_requirement(case, java.id, java.version, requirement_type="PHASE", name="詳細設計")
    assert (case.requirements["skills"][0]["name"], case.requirements["phases"]) == ("AWS", ["DETAILED_DESIGN"])
    assert requirement_label(java) == "詳細設計"
    with pytest.raises(ConflictError):
        update_requirement(case, java.id, java.version - 1, requirement_type="SKILL", name="Java")
    with pytest.raises(ProjectError) as error:
        update_requirement(case, java.id, java.version, requirement_type="ROLE", name="社長")
    assert error.value.field == "name"
    other = make.project(make.customer().id)
    with pytest.raises(LookupError):
        update_requirement(other, java.id, java.version, requirement_type="SKILL", name="Java")


def test_customer_registration_number_is_t_plus_the_corporate_number(system):
    with pytest.raises(ProjectError) as error:
        make.customer(corporate_number="1123456789012")
    assert error.value.field == "corporate_number"
    with pytest.raises(ProjectError) as error:
        make.customer(corporate_number="7123456789012", registration_number="T4011001098993")
    assert error.value.field == "registration_number"
    assert make.customer(corporate_number="4011001098993", registration_number="T4011001098993")


def test_an_edit_on_a_stale_version_changes_nothing(system):
    case = make.project(make.customer().id, title="元の件名")
    seen = case.version
    update_project(case, seen, title="新しい件名", code=case.code, customer_id=case.customer_id)
    with pytest.raises(ConflictError):
        update_project(case, seen, title="古い画面からの変更")
    assert case.title == "新しい件名"


def test_case_search_by_status_skill_period_customer_and_manager(system, make_user):
    pm = make_user("project_manager")
    one, two = make.customer(), make.customer()
    java = make.project(one.id, skills=[("Java", 3, True)], start_date=date(2027, 1, 1), end_date=date(2027, 6, 30))
    go = make.project(two.id, pm, skills=[("Go", 2, True)])
    change_status(go, "PROPOSING", go.version)
    state = ListState(sort="code", descending=False, page=1)

    def codes(**filters):
        chosen = queries.ProjectFilters(**filters)
        page = queries.search_projects(chosen, state, queries.status_counts(chosen))
        assert page.total == len(page.items)         # the total is the status counts the filter keeps
        return [row.code for row in page.items]

    assert codes(skill="JAVA") == [java.code]
    assert codes(statuses=("PROPOSING",)) == [go.code]
    assert codes(customer_id=one.id) == [java.code]
    assert codes(manager_id=pm) == [go.code]
    assert codes(period_from=date(2027, 4, 1)) == [java.code]
    assert codes(q="テスト案件") == [java.code, go.code]
    assert queries.status_counts(queries.ProjectFilters(statuses=("ACTIVE",))) == {"INQUIRY": 1, "PROPOSING": 1}
