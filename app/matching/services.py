"""Matching requests, their candidates and the proposal pipeline (the Matching Context's API).

A request is made from a case; its candidates are ranked in SQL (``scoring.py``) and each
carries its score breakdown.  Moving a candidate to 成約 records a ``matching_results`` row
and the ``MatchingCompleted`` event in the same transaction; 不合格 and 辞退 are recorded as
results too (statistics).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from ..core.db import check_version
from ..core.events import MATCHING_COMPLETED, record_event
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..engineers.skills import skill_key
from ..extensions import db
from ..projects.fields import clean_fields
from ..projects.labels import OPEN_STATUSES
from ..projects.models import Project
from .labels import PIPELINE_STATUS, PIPELINE_TRANSITIONS
from .models import MatchingCandidate, MatchingRequest, MatchingResult, ScoringCriterion
from .scoring import store_candidates

REQUEST_FIELDS = (
    "title", "required_skills", "preferred_skills", "start_date", "end_date", "rate_min", "rate_max",
    "work_style", "location", "nearest_station", "required_japanese_level", "chain_restriction", "roles",
    "phases", "headcount", "conditions")


class MatchingError(Exception):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def skills_json(pairs, mandatory: bool) -> list[dict]:
    """[("Java", 3), ("AWS", None)] -> the JSON stored in required_skills / preferred_skills."""
    return [{"key": skill_key(name), "name": name, "mandatory": mandatory,
             "min_years": float(years) if years is not None else None} for name, years in pairs or ()]


def request_defaults(project: Project) -> dict:
    """A new request starts from the case's conditions and requirements."""
    reqs = project.requirements or {}
    skills = reqs.get("skills") or []
    return {
        "title": f"{project.title} 要員", "start_date": project.start_date, "end_date": project.end_date,
        "rate_min": project.rate_min, "rate_max": project.rate_max, "work_style": project.work_style,
        "location": project.location, "nearest_station": project.nearest_station,
        "required_japanese_level": project.required_japanese_level, "chain_restriction": project.chain_restriction,
        "roles": list(reqs.get("roles") or []), "phases": list(reqs.get("phases") or []),
        "headcount": project.headcount,
        "required_skills": [(s["name"], s.get("min_years")) for s in skills if s.get("mandatory")],
        "preferred_skills": [(s["name"], s.get("min_years")) for s in skills if not s.get("mandatory")],
    }


def _apply(request: MatchingRequest, fields: dict) -> None:
    fields = clean_fields(fields, REQUEST_FIELDS)
    for key, mandatory in (("required_skills", True), ("preferred_skills", False)):
        if key in fields:
            fields[key] = skills_json(fields[key], mandatory)
    for name, value in fields.items():
        setattr(request, name, value)
    if request.start_date is None:
        raise MatchingError("start_date", _l("開始日を入力してください。"))
    if request.end_date and request.end_date < request.start_date:
        raise MatchingError("end_date", _l("終了日は開始日以降にしてください。"))
    if request.rate_min is not None and request.rate_max is not None and request.rate_max < request.rate_min:
        raise MatchingError("rate_max", _l("上限は下限以上にしてください。"))


def create_request(project: Project, **fields) -> MatchingRequest:
    """Open a matching request for a case and rank the engineer pool for it."""
    if project.status not in OPEN_STATUSES:
        raise MatchingError("project_id", _l("引合・提案中・受注の案件にだけマッチング依頼を作成できます。"))
    request = MatchingRequest(project_id=project.id, conditions={}, requested_by=_actor())
    with db.session.no_autoflush:
        _apply(request, fields)
    db.session.add(request)
    db.session.flush()
    store_candidates(request)
    return request


def update_request(request: MatchingRequest, seen_version, **fields) -> MatchingRequest:
    """Change the conditions of an open request and rank the pool again."""
    check_version(request, seen_version)
    _require_open(request)
    with db.session.no_autoflush:
        _apply(request, fields)
    db.session.flush()
    store_candidates(request)
    return request


def regenerate(request: MatchingRequest) -> int:
    """Rank the pool again (new engineers, changed availability or weights)."""
    _require_open(request)
    return store_candidates(request)


def close_request(request: MatchingRequest, status: str, seen_version) -> None:
    check_version(request, seen_version)
    _require_open(request)
    if status not in ("CLOSED", "CANCELLED"):
        raise MatchingError("status", _l("終了か取消を選んでください。"))
    request.status = status
    db.session.flush()


def _require_open(request: MatchingRequest) -> None:
    if request.status != "OPEN":
        raise MatchingError("status", _l("終了したマッチング依頼は変更できません。"))


def _actor() -> uuid.UUID | None:
    identity = current_identity()
    return identity.user_id if identity else None


# --- the pipeline ---------------------------------------------------------------------------------

def move_candidate(candidate: MatchingCandidate, new_status: str, seen_version, note: str | None = None,
                   interview_at: datetime | None = None) -> MatchingResult | None:
    """Advance a candidate along 候補 → 提案 → 面談 → 合格/不合格 → 成約; returns the result row
    for a final status.  成約 records MatchingCompleted and may fill the request."""
    check_version(candidate, seen_version)
    request = db.session.get(MatchingRequest, candidate.matching_request_id)
    _require_open(request)
    if new_status not in PIPELINE_TRANSITIONS[candidate.pipeline_status]:
        raise MatchingError("status", _l("「%(old)s」から「%(new)s」には進められません。",
                                         old=PIPELINE_STATUS[candidate.pipeline_status],
                                         new=PIPELINE_STATUS.get(new_status, new_status)))
    now = datetime.now(UTC)
    note = (note or "").strip() or None
    stamp = {"PROPOSED": "proposed_at", "INTERVIEW": "interview_at"}.get(new_status, "decided_at")
    setattr(candidate, stamp, interview_at if stamp == "interview_at" and interview_at else now)
    candidate.pipeline_status = new_status
    candidate.history = [*candidate.history, {"at": now.isoformat(), "by": str(_actor() or ""),
                                              "status": new_status, "note": note}]
    if note:
        candidate.notes = note
    db.session.flush()
    if new_status in ("REJECTED", "WITHDRAWN", "CONCLUDED"):
        return _record_result(request, candidate, note)
    return None


def _record_result(request: MatchingRequest, candidate: MatchingCandidate, note: str | None) -> MatchingResult:
    result = MatchingResult(matching_request_id=request.id, matching_candidate_id=candidate.id,
                            project_id=request.project_id, engineer_id=candidate.engineer_id,
                            status=candidate.pipeline_status, matching_score=candidate.score,
                            decided_by=_actor(), notes=note)
    db.session.add(result)
    db.session.flush()
    if result.status == "CONCLUDED":
        record_event(MATCHING_COMPLETED, source_context="matching_context", aggregate_type="matching_result",
                     aggregate_id=result.id, payload={
                         "matching_result_id": result.id, "matching_request_id": request.id,
                         "project_id": request.project_id, "engineer_id": candidate.engineer_id,
                         "score": candidate.score, "decided_by": result.decided_by})
        _fill(request)
    return result


def _fill(request: MatchingRequest) -> None:
    concluded = db.session.scalar(select(func.count()).where(
        MatchingCandidate.matching_request_id == request.id, MatchingCandidate.pipeline_status == "CONCLUDED"))
    if concluded >= request.headcount:
        request.status = "CLOSED"
        db.session.flush()


def parallel_proposals(engineer_ids, request_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """並行営業: per engineer, how many other open requests they are proposed to (all staff's)."""
    ids = [i for i in engineer_ids if i]
    if not ids:
        return {}
    rows = db.session.execute(text("SELECT engineer_id, proposals FROM matching_context.active_proposal_counts("
                                   "CAST(:ids AS uuid[]), :request)"), {"ids": ids, "request": request_id})
    return dict(rows.all())


# --- weights (administrators) ---------------------------------------------------------------------

def save_weights(changes: dict[str, tuple[int, bool]], seen_versions: dict[str, int]) -> list[ScoringCriterion]:
    """Set each criterion's weight and whether it counts; at least one must count."""
    criteria = {c.code: c for c in db.session.scalars(select(ScoringCriterion))}
    if not any(active and weight > 0 for weight, active in changes.values()):
        raise MatchingError("SKILLS", _l("少なくとも1つの基準に重みを付けてください。"))
    for code, (weight, active) in changes.items():
        criterion = criteria[code]
        check_version(criterion, seen_versions.get(code))
        criterion.weight, criterion.is_active = weight, active
    db.session.flush()
    return list(criteria.values())
