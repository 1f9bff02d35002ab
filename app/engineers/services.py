"""The engineer pool: profiles, skills, certifications, availability and work history.

Business API of the Engineer Context.  Functions only flush; the request (or CLI command)
commits.  Every write runs under the caller's database role, so row level security decides
whose rows may change: an engineer reaches only their own.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ..core.db import check_version
from ..core.i18n import lazy_gettext as _l
from ..core.identity import current_identity
from ..extensions import db
from ..projects.fields import clean_fields, code_taken, save_company
from .models import (
    AvailabilityPeriod,
    Certification,
    Engineer,
    PartnerCompany,
    SkillAssessment,
    WorkHistory,
)
from .naming import initials_from_kana
from .skills import skill_key

# Fields staff may set; an engineer may set only SELF_SERVICE_FIELDS (also column grants).
ENGINEER_FIELDS = (
    "code", "employment_type", "partner_company_id", "received_under_dispatch", "full_name",
    "full_name_kana", "initials", "email", "phone", "address", "birth_date", "gender", "nationality",
    "nearest_station", "work_style_preference", "desired_rate", "availability_status",
    "available_from", "japanese_level", "work_authorization", "work_authorization_expires_on",
    "experience_years", "roles", "summary")
SELF_SERVICE_FIELDS = (
    "full_name_kana", "email", "phone", "address", "nearest_station", "work_style_preference",
    "desired_rate", "available_from", "japanese_level", "work_authorization",
    "work_authorization_expires_on", "experience_years", "roles", "summary")
ROLL_OFF_SOON_DAYS = 62        # a roll-off within two months shows as 終了予定


class EngineerError(Exception):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)


def create_engineer(**fields) -> Engineer:
    """Add an engineer to the pool (our employee, a freelancer or a partner's engineer)."""
    engineer = Engineer(**clean_fields(fields, ENGINEER_FIELDS))
    _check_engineer(engineer)
    db.session.add(engineer)
    db.session.flush()
    return engineer


def update_engineer(engineer: Engineer, seen_version, **fields) -> Engineer:
    """Staff edit of a profile; refuses to overwrite a newer version (409)."""
    check_version(engineer, seen_version)
    for name, value in clean_fields(fields, ENGINEER_FIELDS).items():
        setattr(engineer, name, value)
    _check_engineer(engineer)
    db.session.flush()
    return engineer


def update_own_profile(engineer: Engineer, seen_version, **fields) -> Engineer:
    """An engineer's edit of their own profile: contact data, preferences, summary."""
    check_version(engineer, seen_version)
    for name, value in clean_fields(fields, SELF_SERVICE_FIELDS).items():
        setattr(engineer, name, value)
    _check_dates(engineer)
    db.session.flush()
    return engineer


def _check_engineer(engineer: Engineer) -> None:
    if code_taken(Engineer, engineer.code, engineer.id):
        raise EngineerError("code", _l("この技術者コードは既に使われています。"))
    if (engineer.employment_type == "PARTNER") != (engineer.partner_company_id is not None):
        raise EngineerError("partner_company_id",
                            _l("BP（パートナー）の技術者にはパートナー企業を、それ以外には選択しないでください。"))
    if not engineer.initials and engineer.full_name_kana:
        engineer.initials = initials_from_kana(engineer.full_name_kana)
    _check_dates(engineer)


def _check_dates(engineer: Engineer) -> None:
    if engineer.desired_rate is not None and engineer.desired_rate < 0:
        raise EngineerError("desired_rate", _l("0以上で入力してください。"))
    if engineer.work_authorization_expires_on and not engineer.work_authorization:
        raise EngineerError("work_authorization", _l("在留資格を入力してください。"))


# --- skills --------------------------------------------------------------------------------------

def set_skill(engineer: Engineer, *, skill_name: str, skill_category: str, skill_level: int,
              years_experience: Decimal, last_used_year: int | None = None,
              assessed_by: uuid.UUID | None = None, notes: str | None = None) -> SkillAssessment:
    """Add a skill or update the one of the same name (case-insensitive)."""
    name = unicodedata.normalize("NFKC", skill_name).strip()
    if not name:
        raise EngineerError("skill_name", _l("スキル名を入力してください。"))
    if last_used_year and last_used_year > date.today().year:
        raise EngineerError("last_used_year", _l("未来の年は入力できません。"))
    skill = db.session.scalar(select(SkillAssessment).where(
        SkillAssessment.engineer_id == engineer.id, func.lower(SkillAssessment.skill_name) == name.lower()))
    if skill is None:
        skill = SkillAssessment(engineer_id=engineer.id, skill_name=name)
        db.session.add(skill)
    skill.skill_category, skill.skill_level = skill_category, skill_level
    skill.years_experience, skill.last_used_year = years_experience, last_used_year
    skill.assessed_by, skill.notes = assessed_by, notes
    skill.assessed_at = func.now()
    db.session.flush()
    sync_skills(engineer)
    return skill


def remove_skill(engineer: Engineer, skill_id: uuid.UUID) -> None:
    skill = _own(SkillAssessment, engineer, skill_id)
    db.session.delete(skill)
    db.session.flush()
    sync_skills(engineer)


def sync_skills(engineer: Engineer) -> None:
    """Mirror the skill rows into ``engineers.skills`` (JSONB, GIN-indexed for matching)."""
    rows = db.session.scalars(select(SkillAssessment).where(SkillAssessment.engineer_id == engineer.id)
                              .order_by(SkillAssessment.years_experience.desc(), SkillAssessment.skill_name))
    engineer.skills = [skill_json(s.skill_name, s.skill_category, s.years_experience, s.skill_level)
                       for s in rows]
    db.session.flush()


def skill_json(name: str, category: str, years, level: int) -> dict:
    return {"key": skill_key(name), "name": name, "category": category,
            "years": float(Decimal(years or 0)), "level": int(level)}


def _own(model, engineer: Engineer, record_id: uuid.UUID):
    record = db.session.get(model, record_id)
    if record is None or record.engineer_id != engineer.id:
        raise LookupError(record_id)
    return record


# --- certifications, work history, availability ------------------------------------------------

def add_certification(engineer: Engineer, **fields) -> Certification:
    if fields.get("expires_on") and fields.get("acquired_on") and fields["expires_on"] < fields["acquired_on"]:
        raise EngineerError("expires_on", _l("有効期限は取得日より後にしてください。"))
    record = Certification(engineer_id=engineer.id, **fields)
    db.session.add(record)
    db.session.flush()
    return record


def add_work_history(engineer: Engineer, **fields) -> WorkHistory:
    if fields.get("ended_on") and fields["ended_on"] < fields["started_on"]:
        raise EngineerError("ended_on", _l("終了は開始より後にしてください。"))
    record = WorkHistory(engineer_id=engineer.id, **fields)
    db.session.add(record)
    db.session.flush()
    return record


def add_availability(engineer: Engineer, **fields) -> AvailabilityPeriod:
    if fields.get("available_to") and fields["available_to"] < fields["available_from"]:
        raise EngineerError("available_to", _l("終了日は開始日以降にしてください。"))
    record = AvailabilityPeriod(engineer_id=engineer.id, source="MANUAL", **fields)
    db.session.add(record)
    db.session.flush()
    refresh_availability(engineer)
    return record


def remove_record(model, engineer: Engineer, record_id: uuid.UUID) -> None:
    """Soft-delete one of the engineer's certifications, histories or availability periods."""
    db.session.delete(_own(model, engineer, record_id))
    db.session.flush()
    if model is AvailabilityPeriod:
        refresh_availability(engineer)


def record_roll_off(engineer_id: uuid.UUID, contract_id: uuid.UUID, last_working_day: date) -> None:
    """A contract ends on ``last_working_day``: the engineer is available the day after.

    Called by the Contract Context when a contract is concluded, extended or ended early; a
    second call for the same contract moves the date.
    """
    engineer = db.session.get(Engineer, engineer_id)
    period = db.session.scalar(select(AvailabilityPeriod).where(
        AvailabilityPeriod.engineer_id == engineer_id, AvailabilityPeriod.contract_id == contract_id))
    if period is None:
        period = AvailabilityPeriod(engineer_id=engineer_id, contract_id=contract_id, source="CONTRACT_ROLL_OFF")
        db.session.add(period)
    period.available_from = last_working_day + timedelta(days=1)
    db.session.flush()
    refresh_availability(engineer)


def refresh_availability(engineer: Engineer, today: date | None = None) -> None:
    """Derive ``available_from`` and the status from the latest open availability period."""
    today = today or date.today()
    latest = db.session.scalar(select(func.max(AvailabilityPeriod.available_from)).where(
        AvailabilityPeriod.engineer_id == engineer.id,
        (AvailabilityPeriod.available_to.is_(None)) | (AvailabilityPeriod.available_to >= today)))
    if latest is None or engineer.availability_status == "UNAVAILABLE":
        return
    engineer.available_from = latest
    identity = current_identity()
    if identity is not None and identity.role == "engineer":
        # an engineer declares dates; the status (a staff decision) is not theirs to set
        db.session.flush()
        return
    if latest <= today:
        engineer.availability_status = "AVAILABLE"
    elif (latest - today).days <= ROLL_OFF_SOON_DAYS:
        engineer.availability_status = "ROLLING_OFF"
    else:
        engineer.availability_status = "ASSIGNED"
    db.session.flush()


# --- partner companies ----------------------------------------------------------------------------

PARTNER_FIELDS = (
    "code", "name", "name_kana", "corporate_number", "registration_number", "is_sole_proprietor",
    "capital_yen", "employee_count", "subcontract_act_covered", "freelance_act_covered",
    "postal_code", "address", "phone", "contact_name", "contact_email", "closing_day",
    "payment_month_offset", "payment_day", "payment_holiday_rule", "notes")


def save_partner(partner: PartnerCompany | None, seen_version=None, **fields) -> PartnerCompany:
    """Create (``partner`` None) or update a partner company."""
    return save_company(PartnerCompany, partner, seen_version, fields, PARTNER_FIELDS, EngineerError,
                        _l("このパートナーコードは既に使われています。"))
