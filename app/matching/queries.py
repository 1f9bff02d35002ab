"""Read models of matching: the request list, a request's candidates with their engineers."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, or_, select

from ..core.listing import ListState, Page, paginate
from ..engineers.models import Engineer, PartnerCompany
from ..extensions import db
from ..projects.models import Project
from .models import MatchingCandidate, MatchingRequest, MatchingResult

REQUEST_SORTS = {"start": MatchingRequest.start_date, "created": MatchingRequest.created_at,
                 "title": MatchingRequest.title}


def filtered_requests(q: str, status: str, project_id: uuid.UUID | None) -> Select:
    counts = (select(func.count()).where(MatchingCandidate.matching_request_id == MatchingRequest.id)
              .correlate(MatchingRequest).scalar_subquery())
    active = (select(func.count()).where(MatchingCandidate.matching_request_id == MatchingRequest.id,
                                         MatchingCandidate.pipeline_status.in_(("PROPOSED", "INTERVIEW", "PASSED")))
              .correlate(MatchingRequest).scalar_subquery())
    statement = (select(MatchingRequest, Project.code.label("project_code"), Project.title.label("project_title"),
                        counts.label("candidates"), active.label("in_progress"))
                 .join(Project, Project.id == MatchingRequest.project_id))
    if q:
        like = f"%{q}%"
        statement = statement.where(or_(MatchingRequest.title.ilike(like), Project.title.ilike(like),
                                        Project.code.ilike(like)))
    if status:
        statement = statement.where(MatchingRequest.status == status)
    if project_id:
        statement = statement.where(MatchingRequest.project_id == project_id)
    return statement


def search_requests(q: str, status: str, project_id: uuid.UUID | None, state: ListState) -> Page:
    return paginate(filtered_requests(q, status, project_id), state, REQUEST_SORTS)


def candidates_of(request_id: uuid.UUID) -> list:
    """Candidates ranked, with the engineer's name and employment (no personal data)."""
    statement = (select(MatchingCandidate, Engineer.code, Engineer.full_name, Engineer.employment_type,
                        Engineer.availability_status, Engineer.desired_rate,
                        PartnerCompany.name.label("partner_name"))
                 .join(Engineer, Engineer.id == MatchingCandidate.engineer_id)
                 .outerjoin(PartnerCompany, PartnerCompany.id == Engineer.partner_company_id)
                 .where(MatchingCandidate.matching_request_id == request_id)
                 .order_by(MatchingCandidate.rank.nulls_last(), MatchingCandidate.score.desc()))
    return list(db.session.execute(statement))


def results_of(request_id: uuid.UUID) -> dict[uuid.UUID, MatchingResult]:
    rows = db.session.scalars(select(MatchingResult).where(MatchingResult.matching_request_id == request_id))
    return {row.matching_candidate_id: row for row in rows}
