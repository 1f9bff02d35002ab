"""The proposal pipeline: transitions, results, the MatchingCompleted event, 並行営業, access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError

from app.core.db import ConflictError
from app.core.identity import Identity, acting_as
from app.extensions import db
from app.matching.models import MatchingCandidate, MatchingRequest, MatchingResult
from app.matching.services import MatchingError, create_request, move_candidate, parallel_proposals
from tests.projects import factories as make

START = date.today() + timedelta(days=45)


def open_request(project, headcount=1):
    return create_request(project, title="要員", start_date=START, required_skills=[("Java", 2)],
                          headcount=headcount, work_style="ONSITE", chain_restriction="NONE")


def candidate_of(request, engineer) -> MatchingCandidate:
    return db.session.scalar(select(MatchingCandidate).where(
        MatchingCandidate.matching_request_id == request.id, MatchingCandidate.engineer_id == engineer.id))


def walk(candidate, *steps):
    result = None
    for step in steps:
        result = move_candidate(candidate, step, candidate.version, note=f"{step} メモ")
    return result


@pytest.fixture
def setting(system):
    project = make.project(make.customer().id)
    engineers = [make.engineer(skills=[("Java", 5, 4)]) for _ in range(2)]
    return project, engineers


def test_a_candidate_walks_to_concluded_and_emits_matching_completed(setting, admin_engine):
    project, (engineer, _) = setting
    request = open_request(project)
    candidate = candidate_of(request, engineer)
    result = walk(candidate, "PROPOSED", "INTERVIEW", "PASSED", "CONCLUDED")
    db.session.commit()
    assert (result.status, result.project_id, result.engineer_id) == ("CONCLUDED", project.id, engineer.id)
    assert result.matching_score == candidate.score
    assert [h["status"] for h in candidate.history] == ["PROPOSED", "INTERVIEW", "PASSED", "CONCLUDED"]
    assert candidate.proposed_at and candidate.interview_at and candidate.decided_at
    assert db.session.get(MatchingRequest, request.id).status == "CLOSED"     # headcount 1 filled
    with admin_engine.connect() as conn:
        events = conn.execute(text("SELECT event_type, aggregate_id, payload FROM platform.domain_events")).all()
    assert [(e.event_type, e.aggregate_id) for e in events] == [("MatchingCompleted", result.id)]
    assert events[0].payload["engineer_id"] == str(engineer.id)


def test_an_interview_may_be_skipped_but_steps_cannot_be_jumped(setting):
    project, (engineer, _) = setting
    candidate = candidate_of(open_request(project), engineer)
    with pytest.raises(MatchingError, match="「候補」から「成約」には進められません"):
        move_candidate(candidate, "CONCLUDED", candidate.version)
    walk(candidate, "PROPOSED", "PASSED")                       # 面談なし (e.g. dispatch)
    assert candidate.pipeline_status == "PASSED"
    with pytest.raises(ConflictError):
        move_candidate(candidate, "CONCLUDED", candidate.version - 1)


def test_rejections_and_withdrawals_are_kept_as_results(setting):
    project, (one, two) = setting
    request = open_request(project, headcount=2)
    walk(candidate_of(request, one), "PROPOSED", "REJECTED")
    walk(candidate_of(request, two), "WITHDRAWN")
    statuses = db.session.scalars(select(MatchingResult.status).order_by(MatchingResult.status)).all()
    assert statuses == ["REJECTED", "WITHDRAWN"]
    with pytest.raises(MatchingError):
        move_candidate(candidate_of(request, one), "PROPOSED", candidate_of(request, one).version)
    assert db.session.get(MatchingRequest, request.id).status == "OPEN"


def test_a_closed_request_refuses_pipeline_changes(setting):
    project, (one, two) = setting
    request = open_request(project)
    walk(candidate_of(request, one), "PROPOSED", "PASSED", "CONCLUDED")
    with pytest.raises(MatchingError, match="終了したマッチング依頼"):
        move_candidate(candidate_of(request, two), "PROPOSED", candidate_of(request, two).version)


def test_parallel_proposals_count_every_managers_requests(app, make_user):
    pm1, pm2 = make_user("project_manager"), make_user("project_manager")
    with acting_as(Identity("admin", make_user("admin"))):
        customer = make.customer()
        engineer = make.engineer(skills=[("Java", 5, 4)])
        mine, theirs = make.project(customer.id, pm1), make.project(customer.id, pm2)
        theirs_request, mine_request = open_request(theirs), open_request(mine)
        walk(candidate_of(theirs_request, engineer), "PROPOSED")
        ids = (engineer.id, mine_request.id, theirs_request.id)
        db.session.commit()
    with acting_as(Identity("project_manager", pm1)):
        # pm1 cannot see pm2's request, but learns the engineer is proposed elsewhere
        assert db.session.get(MatchingRequest, ids[2]) is None
        assert parallel_proposals([ids[0]], ids[1]) == {ids[0]: 1}
        assert parallel_proposals([ids[0]], ids[2]) == {}
        db.session.rollback()


@pytest.mark.parametrize("role", ["engineer", "customer", "partner", "finance"])
def test_only_sales_staff_reach_requests_and_candidates(app, make_user, role, system):
    links = {"engineer": {"engineer_id": make.engineer().id}, "customer": {"customer_id": make.customer().id},
             "partner": {"partner_company_id": make.partner().id}, "finance": {}}[role]
    db.session.commit()
    user = make_user(role, **links)
    identity = Identity(role, user, **links)
    for table in ("matching_requests", "matching_candidates"):
        db.session.rollback()
        with acting_as(identity), pytest.raises(ProgrammingError, match="permission denied"):
            db.session.execute(text(f"SELECT id FROM matching_context.{table}")).all()
        db.session.rollback()
