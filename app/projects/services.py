"""Cases (案件): create, edit, move through the workflow, requirements, phases and milestones.

Business API of the Project Context; functions only flush.  Moving a case to 受注 records the
``ProjectOrdered`` event in the same transaction (core.events outbox).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from ..core.db import check_version
from ..core.events import PROJECT_ORDERED, record_event
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..engineers.skills import skill_key
from ..extensions import db
from .fields import clean_fields, code_taken
from .labels import PHASE_TYPE, PROJECT_STATUS, PROJECT_TRANSITIONS, ROLES
from .models import Customer, Project, ProjectMilestone, ProjectPhase, ProjectRequirement

PROJECT_FIELDS = (
    "code", "customer_id", "end_user_name", "title", "description", "priority", "start_date",
    "end_date", "location", "nearest_station", "work_style", "headcount", "rate_min", "rate_max",
    "settlement_lower_hours", "settlement_upper_hours", "chain_position", "chain_restriction",
    "required_japanese_level", "project_manager_id", "sales_manager_id")


class ProjectError(Exception):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def create_project(**fields) -> Project:
    """Register a case (status 引合).  A sales user must be its manager or sales rep."""
    project = Project(**clean_fields(fields, PROJECT_FIELDS))
    project.requirements = {}
    _check_project(project)
    db.session.add(project)
    db.session.flush()
    return project


def update_project(project: Project, seen_version, **fields) -> Project:
    check_version(project, seen_version)
    for name, value in clean_fields(fields, PROJECT_FIELDS).items():
        setattr(project, name, value)
    _check_project(project)
    db.session.flush()
    return project


def _check_project(project: Project) -> None:
    if code_taken(Project, project.code, project.id):
        raise ProjectError("code", _l("この案件コードは既に使われています。"))
    with db.session.no_autoflush:
        if db.session.get(Customer, project.customer_id) is None:
            raise ProjectError("customer_id", _l("顧客企業を選択してください。"))
    pairs = (("end_date", project.start_date, project.end_date, _l("終了日は開始日以降にしてください。")),
             ("rate_max", project.rate_min, project.rate_max, _l("上限は下限以上にしてください。")),
             ("settlement_upper_hours", project.settlement_lower_hours, project.settlement_upper_hours,
              _l("精算幅の上限は下限以上にしてください。")))
    for field, low, high, message in pairs:
        if low is not None and high is not None and high < low:
            raise ProjectError(field, message)
    identity = current_identity()
    if identity and identity.role == "project_manager" and identity.user_id not in (
            project.project_manager_id, project.sales_manager_id):
        raise ProjectError("sales_manager_id", _l("自分が営業担当かPMでない案件は登録・変更できません。"))


def change_status(project: Project, new_status: str, seen_version, reason: str | None = None) -> Project:
    """Move a case along 引合 → 提案中 → 受注 → 稼働中 → 完了 (or 失注 / 中止).

    受注 stamps ``ordered_at`` and records ProjectOrdered; 失注 and 中止 need a reason.
    """
    check_version(project, seen_version)
    if new_status not in PROJECT_TRANSITIONS.get(project.status, ()):
        raise ProjectError("status", _l("「%(old)s」から「%(new)s」には変更できません。",
                                        old=PROJECT_STATUS[project.status],
                                        new=PROJECT_STATUS.get(new_status, new_status)))
    reason = (reason or "").strip() or None
    if new_status in ("LOST", "CANCELLED") and not reason:
        raise ProjectError("reason", _l("失注・中止の理由を入力してください。"))
    if new_status == "ORDERED" and (project.start_date is None or project.rate_max is None):
        raise ProjectError("status", _l("受注にするには開始日と単価（上限）を入力してください。"))
    project.status = new_status
    if reason:
        project.closed_reason = reason
    if new_status == "ORDERED":
        project.ordered_at = datetime.now(UTC)
    db.session.flush()
    if new_status == "ORDERED":
        _record_ordered(project)
    return project


def _record_ordered(project: Project) -> None:
    customer = db.session.get(Customer, project.customer_id)
    record_event(PROJECT_ORDERED, source_context="project_context", aggregate_type="project",
                 aggregate_id=project.id, payload={
                     "project_id": project.id, "code": project.code, "title": project.title,
                     "customer_id": project.customer_id, "customer_name": customer.name,
                     "start_date": project.start_date, "end_date": project.end_date,
                     "headcount": project.headcount, "rate_min": project.rate_min,
                     "rate_max": project.rate_max, "sales_manager_id": project.sales_manager_id,
                     "project_manager_id": project.project_manager_id})


# --- requirements (rows, mirrored into projects.requirements) --------------------------------------

def add_requirement(project: Project, *, requirement_type: str, name: str, min_years=None,
                    min_level=None, is_mandatory: bool = True, description: str | None = None) -> ProjectRequirement:
    """Add a requirement; phases and roles are stored by their code (基本設計 → BASIC_DESIGN)."""
    name = _requirement_name(requirement_type, name)
    count = db.session.scalar(select(func.count()).where(ProjectRequirement.project_id == project.id))
    requirement = ProjectRequirement(
        project_id=project.id, requirement_type=requirement_type, name=name, min_years=min_years,
        min_level=min_level, is_mandatory=is_mandatory, description=description, sort_order=count)
    db.session.add(requirement)
    db.session.flush()
    sync_requirements(project)
    return requirement


def _requirement_name(requirement_type: str, name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ProjectError("name", _l("名称を入力してください。"))
    vocabulary = {"PHASE": PHASE_TYPE, "ROLE": ROLES}.get(requirement_type)
    if vocabulary is None:
        return name
    for code, label in vocabulary.items():
        if name.upper() == code or name == str(label):
            return code
    allowed = "、".join(str(label) for label in vocabulary.values())
    raise ProjectError("name", _l("次のいずれかを入力してください: %(allowed)s", allowed=allowed))


def requirement_label(requirement: ProjectRequirement) -> str:
    """A requirement's name as typed: phases and roles by their label (BASIC_DESIGN → 基本設計)."""
    vocabulary = {"PHASE": PHASE_TYPE, "ROLE": ROLES}.get(requirement.requirement_type, {})
    return str(vocabulary.get(requirement.name, requirement.name))


def requirement_of(project: Project, requirement_id: uuid.UUID) -> ProjectRequirement:
    """One requirement of ``project``; LookupError for another case's (or a removed) one."""
    requirement = db.session.get(ProjectRequirement, requirement_id)
    if requirement is None or requirement.project_id != project.id:
        raise LookupError(requirement_id)
    return requirement


def update_requirement(project: Project, requirement_id: uuid.UUID, seen_version, *, requirement_type: str,
                       name: str, min_years=None, is_mandatory: bool = True,
                       description: str | None = None) -> ProjectRequirement:
    """Edit one requirement (optimistic lock on its version) and re-mirror the JSONB."""
    requirement = requirement_of(project, requirement_id)
    check_version(requirement, seen_version)
    requirement.name = _requirement_name(requirement_type, name)
    requirement.requirement_type = requirement_type
    requirement.min_years, requirement.is_mandatory = min_years, is_mandatory
    requirement.description = description or None
    db.session.flush()
    sync_requirements(project)
    return requirement


def remove_requirement(project: Project, requirement_id: uuid.UUID) -> None:
    requirement = requirement_of(project, requirement_id)
    db.session.delete(requirement)
    db.session.flush()
    sync_requirements(project)


def sync_requirements(project: Project) -> None:
    """Rebuild ``projects.requirements`` (JSONB) from the requirement rows."""
    rows = db.session.scalars(select(ProjectRequirement).where(ProjectRequirement.project_id == project.id)
                              .order_by(ProjectRequirement.sort_order))
    mirror: dict = {"skills": [], "phases": [], "roles": [], "certifications": [], "languages": [], "other": []}
    for row in rows:
        if row.requirement_type == "SKILL":
            mirror["skills"].append({
                "key": skill_key(row.name), "name": row.name, "mandatory": row.is_mandatory,
                "min_years": float(row.min_years) if row.min_years is not None else None,
                "min_level": row.min_level})
        else:
            key = {"PHASE": "phases", "ROLE": "roles", "CERTIFICATION": "certifications",
                   "LANGUAGE": "languages"}.get(row.requirement_type, "other")
            mirror[key].append(row.name)
    mirror["japanese_level"] = project.required_japanese_level
    project.requirements = mirror
    db.session.flush()


# --- phases and milestones ------------------------------------------------------------------------

def add_phase(project: Project, **fields) -> ProjectPhase:
    if fields.get("start_date") and fields.get("end_date") and fields["end_date"] < fields["start_date"]:
        raise ProjectError("end_date", _l("終了日は開始日以降にしてください。"))
    count = db.session.scalar(select(func.count()).where(ProjectPhase.project_id == project.id))
    phase = ProjectPhase(project_id=project.id, sort_order=count, **fields)
    db.session.add(phase)
    db.session.flush()
    return phase


def add_milestone(project: Project, **fields) -> ProjectMilestone:
    phase_id = fields.get("phase_id")
    if phase_id and getattr(db.session.get(ProjectPhase, phase_id), "project_id", None) != project.id:
        raise ProjectError("phase_id", _l("この案件のフェーズを選択してください。"))
    milestone = ProjectMilestone(project_id=project.id, **fields)
    db.session.add(milestone)
    db.session.flush()
    return milestone


def set_milestone_status(milestone: ProjectMilestone, status: str, seen_version, on=None) -> None:
    check_version(milestone, seen_version)
    milestone.status = status
    milestone.completed_on = on if status == "DONE" else None
    db.session.flush()


def remove_child(model, project: Project, record_id: uuid.UUID) -> None:
    """Soft-delete a phase or milestone of ``project``."""
    record = db.session.get(model, record_id)
    if record is None or record.project_id != project.id:
        raise LookupError(record_id)
    db.session.delete(record)
    db.session.flush()
