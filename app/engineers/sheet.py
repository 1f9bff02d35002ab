"""The skill sheet (スキルシート) sent to customers: anonymised by default.

Without opt-in it carries no name (initials instead), no age, gender or nationality; the
context is a plain dict, so the PDF template cannot reach anything else.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..projects.labels import JAPANESE_LEVEL, PHASE_TYPE, ROLES
from .labels import SKILL_CATEGORY, WORK_STYLE_PREFERENCE
from .models import Certification, Engineer, SkillAssessment, WorkHistory


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def skill_sheet_context(engineer: Engineer, *, show_name: bool, show_personal: bool, today: date) -> dict:
    skills = db.session.scalars(select(SkillAssessment).where(SkillAssessment.engineer_id == engineer.id)
                                .order_by(SkillAssessment.skill_category, SkillAssessment.years_experience.desc()))
    certificates = db.session.scalars(select(Certification).where(Certification.engineer_id == engineer.id)
                                      .order_by(Certification.acquired_on.desc()))
    histories = db.session.scalars(select(WorkHistory).where(WorkHistory.engineer_id == engineer.id)
                                   .order_by(WorkHistory.started_on.desc()))
    personal = {}
    if show_personal:
        personal = {"age": age_on(engineer.birth_date, today), "gender": engineer.gender,
                    "nationality": engineer.nationality}
    return {
        "name": engineer.full_name if show_name else (engineer.initials or engineer.code),
        "name_kana": engineer.full_name_kana if show_name else None,
        "personal": personal, "today": today,
        "experience_years": engineer.experience_years, "nearest_station": engineer.nearest_station,
        "roles": [str(ROLES.get(r, r)) for r in engineer.roles or ()],
        "japanese": str(JAPANESE_LEVEL.get(engineer.japanese_level, "")),
        "work_style": str(WORK_STYLE_PREFERENCE.get(engineer.work_style_preference, "")),
        "available_from": engineer.available_from, "summary": engineer.summary,
        "skills": [{"category": str(SKILL_CATEGORY.get(s.skill_category, s.skill_category)), "name": s.skill_name,
                    "years": s.years_experience, "level": s.skill_level, "last_used": s.last_used_year} for s in skills],
        "certificates": [{"name": c.name, "acquired_on": c.acquired_on} for c in certificates],
        "histories": [{"started_on": h.started_on, "ended_on": h.ended_on, "summary": h.project_summary,
                       "industry": h.industry, "role": h.role, "team_size": h.team_size,
                       "phases": [str(PHASE_TYPE.get(p, p)) for p in h.phases or ()],
                       "technologies": list(h.technologies or ()), "description": h.description}
                      for h in histories],
    }
