"""The engineer pool's rules, without HTTP."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.core.db import ConflictError
from app.core.listing import ListState
from app.engineers import queries
from app.engineers.models import AvailabilityPeriod, SkillAssessment
from app.engineers.services import (
    EngineerError,
    record_roll_off,
    refresh_availability,
    remove_skill,
    set_skill,
    update_engineer,
)
from app.engineers.skills import skill_key
from app.extensions import db
from tests.projects import factories as make


def test_a_partner_engineer_needs_a_partner_company_and_nobody_else_has_one(system):
    bp = make.partner()
    with pytest.raises(EngineerError) as error:
        make.engineer(employment_type="PARTNER")
    assert error.value.field == "partner_company_id"
    with pytest.raises(EngineerError):
        make.engineer(employment_type="EMPLOYEE", partner_company_id=bp.id)
    assert make.engineer(employment_type="PARTNER", partner_company_id=bp.id).partner_company_id == bp.id


def test_codes_are_unique_ignoring_case(system):
    make.engineer(code="E0100")
    with pytest.raises(EngineerError) as error:
        make.engineer(code="e0100")
    assert error.value.field == "code"


def test_initials_come_from_the_reading_given_name_first(system):
    assert make.engineer(full_name="山﨑 翔太", full_name_kana="やまざき しょうた").initials == "S.Y"


def test_skills_are_upserted_by_name_and_mirrored_for_matching(system):
    engineer = make.engineer(skills=[("Java", 5, 4), ("Spring Boot", 2, 2)])
    set_skill(engineer, skill_name="ＪＡＶＡ", skill_category="LANGUAGE", years_experience=Decimal("6.5"),
              skill_level=5)
    assert [(s["key"], s["years"], s["level"]) for s in engineer.skills] == [("java", 6.5, 5), ("spring boot", 2.0, 2)]
    spring = db.session.scalar(db.select(SkillAssessment).where(SkillAssessment.skill_name == "Spring Boot"))
    remove_skill(engineer, spring.id)
    assert [s["name"] for s in engineer.skills] == ["Java"]
    assert skill_key("  Spring　Boot ") == "spring boot"


def test_a_stale_edit_is_refused_and_nothing_changes(system):
    engineer = make.engineer(desired_rate=600000)
    seen = engineer.version
    update_engineer(engineer, seen, desired_rate=650000, full_name=engineer.full_name, code=engineer.code,
                    employment_type="EMPLOYEE")
    with pytest.raises(ConflictError):
        update_engineer(engineer, seen, desired_rate=700000)
    assert engineer.desired_rate == 650000


def test_a_contract_roll_off_makes_the_engineer_available_the_next_day(system):
    engineer = make.engineer(availability_status="ASSIGNED")
    case = make.project(make.customer().id)
    contract_id = db.session.execute(db.text(
        "INSERT INTO contract_context.contracts (contract_number, contract_type, project_id, engineer_id, title,"
        " start_date, end_date, monthly_price, customer_id, settlement_method) VALUES ('K-T1', 'QUASI_MANDATE', :p, :e, 't', '2026-04-01',"
        " '2026-12-31', 700000, :c, 'NONE') RETURNING id"), {"p": case.id, "e": engineer.id, "c": case.customer_id}).scalar()
    record_roll_off(engineer.id, contract_id, date(2026, 12, 31))
    period = db.session.scalar(db.select(AvailabilityPeriod).where(AvailabilityPeriod.engineer_id == engineer.id))
    assert (period.source, period.available_from) == ("CONTRACT_ROLL_OFF", date(2027, 1, 1))
    refresh_availability(engineer, today=date(2026, 11, 27))
    assert (engineer.available_from, engineer.availability_status) == (date(2027, 1, 1), "ROLLING_OFF")
    refresh_availability(engineer, today=date(2027, 1, 5))
    assert engineer.availability_status == "AVAILABLE"
    record_roll_off(engineer.id, contract_id, date(2027, 3, 31))     # extended: the date moves
    assert db.session.get(AvailabilityPeriod, period.id).available_from == date(2027, 4, 1)


def test_partner_registration_number_must_carry_a_valid_check_digit(system):
    with pytest.raises(EngineerError) as error:
        make.partner(registration_number="T1123456789012")
    assert error.value.field == "registration_number"
    assert make.partner(registration_number="T7123456789012").registration_number == "T7123456789012"
    # a sole proprietor's number is not a corporate number: only its shape is checked
    assert make.partner(registration_number="T1123456789012", is_sole_proprietor=True)


def test_pool_filters_by_skill_status_and_availability_date(system):
    java = make.engineer(skills=[("Java", 5, 4)], availability_status="AVAILABLE")
    later = make.engineer(skills=[("Java", 3, 3), ("AWS", 2, 2)], availability_status="ROLLING_OFF",
                          available_from=date(2027, 2, 1))
    make.engineer(skills=[("Go", 3, 3)], availability_status="UNAVAILABLE")
    state = ListState(sort="code", descending=False, page=1)

    def codes(**filters):
        page = queries.search_engineers(queries.EngineerFilters(**filters), state)
        return [row.code for row in page.items]

    assert codes(skill="java") == [java.code, later.code]
    assert codes(skill="Java, aws") == [later.code]
    assert codes(skill="java", available_by=date(2027, 1, 1)) == [java.code]
    assert codes(availability="ROLLING_OFF") == [later.code]
    board = queries.availability_board(date(2027, 1, 10))
    assert [r.code for r in board["bench"]] == [java.code]
    assert [r.code for r in board["next_month"]] == [later.code]


def test_personal_data_is_stored_encrypted_and_read_back_typed(system, admin_engine):
    engineer = make.engineer(birth_date=date(1990, 4, 1), phone="090-1234-5678")
    db.session.commit()
    with admin_engine.connect() as conn:
        stored = conn.execute(db.text("SELECT birth_date_encrypted, phone_encrypted FROM engineer_context.engineers"
                                      " WHERE id = :e"), {"e": engineer.id}).one()
    assert "1990" not in stored.birth_date_encrypted and "090" not in stored.phone_encrypted
    db.session.expire_all()
    assert (engineer.birth_date, engineer.phone) == (date(1990, 4, 1), "090-1234-5678")


def test_a_signed_sales_contract_becomes_the_engineers_roll_off(system):
    import uuid as _uuid
    from datetime import datetime

    from app.core.events import CONTRACT_SIGNED, DomainEvent, handlers_for
    from app.engineers.handlers import roll_off_from_contract

    assert roll_off_from_contract in handlers_for(CONTRACT_SIGNED)
    engineer = make.engineer(availability_status="AVAILABLE")
    case = make.project(make.customer().id)
    contract_id = db.session.execute(db.text(
        "INSERT INTO contract_context.contracts (contract_number, contract_type, project_id, engineer_id, title,"
        " start_date, end_date, monthly_price, customer_id, settlement_method) VALUES ('K-T2', 'QUASI_MANDATE',"
        " :p, :e, 't', :s, :end, 700000, :c, 'NONE') RETURNING id"),
        {"p": case.id, "e": engineer.id, "c": case.customer_id, "s": date.today(),
         "end": date.today() + timedelta(days=365)}).scalar()
    event = DomainEvent(id=_uuid.uuid4(), event_type=CONTRACT_SIGNED, source_context="contract",
                        aggregate_type="contract", aggregate_id=contract_id, payload={}, actor_user_id=None,
                        occurred_at=datetime.now())
    roll_off_from_contract(event)
    roll_off_from_contract(event)                  # delivered twice: still one period
    periods = db.session.scalars(db.select(AvailabilityPeriod).where(AvailabilityPeriod.engineer_id == engineer.id)).all()
    assert len(periods) == 1 and periods[0].source == "CONTRACT_ROLL_OFF"
    assert engineer.availability_status == "ASSIGNED"
    assert engineer.available_from == date.today() + timedelta(days=366)
