"""Ranking in SQL: hard filters, and scores worked out by hand (weight × fit)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.engineers.services import add_work_history
from app.extensions import db
from app.matching.models import MatchingCandidate, ScoringCriterion
from app.matching.scoring import Weights, rank_candidates
from app.matching.services import create_request, save_weights
from tests.projects import factories as make

TODAY = date.today()
START = TODAY + timedelta(days=60)


def request_for(project, **fields):
    values = {"title": "要員", "start_date": START, "rate_max": 700000, "work_style": "ONSITE",
              "nearest_station": "東京", "required_skills": [("Java", 3)], "preferred_skills": [("AWS", None)],
              "roles": ["SE"], "phases": ["BUILD"], "chain_restriction": "NONE"} | fields
    return create_request(project, **values)


@pytest.fixture
def case(system):
    return make.project(make.customer().id, status="INQUIRY")


def ranked(request, **kw):
    return {row.engineer_id: row for row in rank_candidates(request, **kw)}


def test_a_full_worked_example_of_the_score(case):
    engineer = make.engineer(skills=[("Java", 5, 4)], desired_rate=650000, nearest_station="東京駅",
                             roles=["SE"], work_style_preference="ANY")
    add_work_history(engineer, started_on=date(2023, 4, 1), project_summary="x", phases=["BUILD", "TEST"])
    request = request_for(case)
    row = ranked(request)[engineer.id]
    parts = row.breakdown
    # SKILLS: Java 0.7 × min(1, 5 / (3 + 2)) + 0.3 × 4/5 = 0.94 (counts twice); AWS missing = 0
    #         fit = (2 × 0.94 + 0) / 3 = 0.6267 → 40 × 0.6267 = 25.07 points
    assert parts["SKILLS"]["fit"] == pytest.approx(0.6267, abs=1e-4)
    assert parts["SKILLS"]["points"] == pytest.approx(25.07)
    assert [s["name"] for s in parts["SKILLS"]["skills"]] == ["Java", "AWS"]
    # RATE: 650,000 ≤ 700,000 → 1 → 20; START: on the bench → 1 → 15
    assert (parts["RATE"]["points"], parts["START_DATE"]["points"]) == (20, 15)
    # WORK_STYLE: ANY vs ONSITE = 1, 東京駅 = 東京 → 1 → 15; OTHER: SE ∩ SE, BUILD done → 10
    assert (parts["WORK_STYLE"]["points"], parts["OTHER"]["points"]) == (15, 10)
    assert row.score == Decimal("85.07")
    assert sum(p["points"] for p in parts.values()) == pytest.approx(85.07)


def test_rate_start_and_style_fits_fall_off_as_documented(case):
    pricey = make.engineer(skills=[("Java", 3, 3)], desired_rate=770000, work_style_preference="REMOTE",
                           availability_status="ROLLING_OFF", available_from=START - timedelta(days=15))
    row = ranked(request_for(case, roles=[], phases=[]))[pricey.id].breakdown
    # 770,000 is 10 % over 700,000; tolerance 20 % → fit 0.5
    assert row["RATE"]["fit"] == pytest.approx(0.5)
    # free 15 days before the start, buffer 30 days → 0.5 + 0.5 × 15/30 = 0.75
    assert row["START_DATE"]["fit"] == pytest.approx(0.75)
    # remote-only vs on-site case → 0; station unknown → 0.5 → 0.8 × 0 + 0.2 × 0.5 = 0.1
    assert row["WORK_STYLE"]["fit"] == pytest.approx(0.1)
    assert row["OTHER"]["fit"] == 1           # nothing asked: full marks


def test_hard_filters_keep_out_who_cannot_take_the_case(case):
    bp = make.partner(is_sole_proprietor=True)
    fits = make.engineer(skills=[("Java", 4, 3)])
    too_junior = make.engineer(skills=[("Java", 2, 3)])
    no_java = make.engineer(skills=[("Go", 9, 5)])
    too_late = make.engineer(skills=[("Java", 9, 5)], availability_status="ASSIGNED",
                             available_from=START + timedelta(days=1))
    dispatched = make.engineer(skills=[("Java", 9, 5)], received_under_dispatch=True)
    unavailable = make.engineer(skills=[("Java", 9, 5)], availability_status="UNAVAILABLE")
    japanese = make.engineer(skills=[("Java", 9, 5)], japanese_level="N2")
    expired = make.engineer(skills=[("Java", 9, 5)], work_authorization="技術・人文知識・国際業務",
                            work_authorization_expires_on=START - timedelta(days=1))
    freelancer = make.engineer(skills=[("Java", 9, 5)], employment_type="FREELANCE")
    sole_bp = make.engineer(skills=[("Java", 9, 5)], employment_type="PARTNER", partner_company_id=bp.id)
    contract = make.engineer(skills=[("Java", 9, 5)], employment_type="CONTRACT_EMPLOYEE")
    def candidates(restriction):
        return set(ranked(request_for(case, required_japanese_level="BUSINESS", chain_restriction=restriction)))

    assert candidates("NONE") == {fits.id, freelancer.id, sole_bp.id, contract.id}
    assert candidates("PARTNER_ONE_TIER") == {fits.id, freelancer.id, sole_bp.id, contract.id}
    assert candidates("NO_SOLE_PROPRIETORS") == {fits.id, contract.id}
    assert candidates("NO_FURTHER_TIERS") == {fits.id, contract.id}
    assert candidates("EMPLOYEES_ONLY") == {fits.id}
    # without a Japanese requirement the N2 engineer is in, the others stay out
    assert japanese.id in set(ranked(request_for(case)))
    assert not {too_junior.id, no_java.id, too_late.id, dispatched.id, unavailable.id, expired.id} \
        & set(ranked(request_for(case)))


def test_personal_attributes_never_change_a_score(case):
    one = make.engineer(skills=[("Java", 5, 4)], birth_date=date(1960, 1, 1), gender="女性", nationality="ベトナム")
    two = make.engineer(skills=[("Java", 5, 4)], birth_date=date(2000, 1, 1), gender="男性", nationality="日本")
    rows = ranked(request_for(case))
    assert rows[one.id].score == rows[two.id].score
    assert rows[one.id].breakdown == rows[two.id].breakdown


def test_weights_come_from_scoring_criteria(case):
    engineer = make.engineer(skills=[("Java", 5, 4)], desired_rate=770000)
    request = request_for(case, roles=[], phases=[], preferred_skills=[])
    criteria = {c.code: c for c in db.session.scalars(db.select(ScoringCriterion))}
    save_weights({"SKILLS": (50, True), "RATE": (50, True), "START_DATE": (0, False), "WORK_STYLE": (0, True),
                  "OTHER": (0, True)}, {code: c.version for code, c in criteria.items()})
    row = ranked(request)[engineer.id]
    # skills 0.94, rate 0.5 → (50 × 0.94 + 50 × 0.5) / 100 × 100 = 72
    assert row.score == Decimal("72.00")
    assert row.breakdown["START_DATE"]["weight"] == 0
    explicit = rank_candidates(request, Weights({"SKILLS": 1, "RATE": 0, "START_DATE": 0, "WORK_STYLE": 0,
                                                 "OTHER": 0}))
    assert explicit[0].score == Decimal("94.00")


def test_candidates_are_stored_ranked_and_regenerated_without_losing_the_pipeline(case):
    best = make.engineer(skills=[("Java", 8, 5)])
    good = make.engineer(skills=[("Java", 4, 3)])
    request = request_for(case)
    stored = db.session.scalars(db.select(MatchingCandidate).where(
        MatchingCandidate.matching_request_id == request.id).order_by(MatchingCandidate.rank)).all()
    assert [(c.engineer_id, c.rank) for c in stored] == [(best.id, 1), (good.id, 2)]
    assert stored[0].score_breakdown["SKILLS"]["weight"] == 40 and request.generated_at is not None
