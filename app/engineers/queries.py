"""Read models of the engineer pool, also used by other contexts.

For other contexts (contracts, timesheets, billing) -- names and choices only, never personal
data:
    ``engineer_choices(employment_types=None)`` -> [(id, "E0001 山﨑 翔太")]
    ``partner_choices()`` -> [(id, "P001 株式会社ブルーテック")]
    ``engineer_names(ids)`` / ``partner_names(ids)`` -> {id: name}
    ``engineer_display_name(id)`` / ``partner_display_name(id)`` -> name or ""
    ``engineer_summary(id)`` -> dict(code, full_name, employment_type, partner_company_id, ...)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, or_, select, text

from ..core.listing import ListState, Page, paginate
from ..extensions import db
from .models import Engineer, PartnerCompany
from .skills import skill_key


def _label(code: str, name: str) -> str:
    return f"{code} {name}"


def engineer_choices(employment_types: Iterable[str] | None = None) -> list[tuple[str, str]]:
    statement = select(Engineer.id, Engineer.code, Engineer.full_name).order_by(Engineer.code)
    if employment_types:
        statement = statement.where(Engineer.employment_type.in_(list(employment_types)))
    return [(str(i), _label(c, n)) for i, c, n in db.session.execute(statement)]


def partner_choices() -> list[tuple[str, str]]:
    statement = select(PartnerCompany.id, PartnerCompany.code, PartnerCompany.name).order_by(PartnerCompany.code)
    return [(str(i), _label(c, n)) for i, c, n in db.session.execute(statement)]


def engineer_names(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return dict(db.session.execute(select(Engineer.id, Engineer.full_name).where(Engineer.id.in_(ids))).all())


def partner_names(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return dict(db.session.execute(
        select(PartnerCompany.id, PartnerCompany.name).where(PartnerCompany.id.in_(ids))).all())


def engineer_display_name(engineer_id: uuid.UUID | None) -> str:
    return engineer_names([engineer_id]).get(engineer_id, "") if engineer_id else ""


def partner_display_name(partner_id: uuid.UUID | None) -> str:
    return partner_names([partner_id]).get(partner_id, "") if partner_id else ""


def engineer_summary(engineer_id: uuid.UUID) -> dict | None:
    """Non-personal facts about one engineer (for contracts: employment type, partner, dispatch)."""
    row = db.session.execute(select(
        Engineer.id, Engineer.code, Engineer.full_name, Engineer.employment_type,
        Engineer.partner_company_id, Engineer.received_under_dispatch, Engineer.desired_rate,
        Engineer.availability_status, Engineer.available_from).where(Engineer.id == engineer_id)).first()
    return row._asdict() if row else None


# --- the pool list ---------------------------------------------------------------------------------

LIST_COLUMNS = (Engineer.id, Engineer.code, Engineer.full_name, Engineer.full_name_kana,
                Engineer.employment_type, Engineer.availability_status, Engineer.available_from,
                Engineer.desired_rate, Engineer.japanese_level, Engineer.work_style_preference,
                Engineer.nearest_station, Engineer.skills, Engineer.roles, Engineer.updated_at,
                PartnerCompany.name.label("partner_name"))
SORTS = {"code": Engineer.code, "name": Engineer.full_name_kana, "available": Engineer.available_from,
         "rate": Engineer.desired_rate, "updated": Engineer.updated_at}


@dataclass(frozen=True)
class EngineerFilters:
    q: str = ""
    skill: str = ""
    employment_type: str = ""
    availability: str = ""
    partner: str = ""                     # a partner company's code or part of its name
    partner_id: uuid.UUID | None = None   # one partner company exactly (links from its page)
    available_by: date | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> EngineerFilters:
        partner = args.get("partner_id") or ""
        try:
            partner_id = uuid.UUID(partner) if partner else None
        except ValueError:
            partner_id = None
        try:
            available_by = date.fromisoformat(args.get("available_by") or "")
        except ValueError:
            available_by = None
        return cls(q=(args.get("q") or "").strip()[:100], skill=(args.get("skill") or "").strip()[:100],
                   employment_type=args.get("employment_type") or "",
                   availability=args.get("availability") or "",
                   partner=(args.get("partner") or "").strip()[:100], partner_id=partner_id,
                   available_by=available_by)


def filtered_engineers(filters: EngineerFilters) -> Select:
    return select(*LIST_COLUMNS).outerjoin(PartnerCompany, PartnerCompany.id == Engineer.partner_company_id) \
        .where(*_conditions(filters))


def _conditions(filters: EngineerFilters) -> list:
    conditions = []
    if filters.q:
        like = f"%{filters.q}%"
        conditions.append(or_(Engineer.full_name.ilike(like), Engineer.full_name_kana.ilike(like),
                              Engineer.code.ilike(like), Engineer.nearest_station.ilike(like)))
    for name in filter(None, (n.strip() for n in filters.skill.replace("、", ",").split(","))):
        conditions.append(Engineer.skills.contains([{"key": skill_key(name)}]))
    if filters.employment_type:
        conditions.append(Engineer.employment_type == filters.employment_type)
    if filters.availability:
        conditions.append(Engineer.availability_status == filters.availability)
    if filters.partner:
        like = f"%{filters.partner}%"
        conditions.append(Engineer.partner_company_id.in_(select(PartnerCompany.id).where(or_(
            PartnerCompany.code.ilike(like), PartnerCompany.name.ilike(like), PartnerCompany.name_kana.ilike(like)))))
    if filters.partner_id:
        conditions.append(Engineer.partner_company_id == filters.partner_id)
    if filters.available_by:
        conditions.append(and_(Engineer.availability_status != "UNAVAILABLE", or_(
            Engineer.available_from <= filters.available_by,
            and_(Engineer.available_from.is_(None), Engineer.availability_status == "AVAILABLE"))))
    return conditions


def search_engineers(filters: EngineerFilters, state: ListState) -> Page:
    # Counted without the partner join: the count is then an index-only scan, not a read of
    # every engineer row (5,000 rows: 2.2 -> 0.5 ms).
    return paginate(filtered_engineers(filters), state, SORTS,
                    count_statement=select(Engineer.id).where(*_conditions(filters)))


def skill_names(limit: int = 300) -> list[str]:
    """Known skill names, most common first (suggestions for the skill filter), from the
    materialized view report_context.skill_name_usage (refreshed every 15 minutes)."""
    return list(db.session.scalars(text(
        "SELECT skill_name FROM report_context.skill_name_usage ORDER BY engineers DESC, skill_name"
        " LIMIT :limit"), {"limit": limit}))


# --- who is free when ------------------------------------------------------------------------------

def _month_bounds(today: date, offset: int) -> tuple[date, date]:
    year, month = divmod(today.month - 1 + offset, 12)
    start = date(today.year + year, month + 1, 1)
    year2, month2 = divmod(start.month, 12)
    return start, date(start.year + year2, month2 + 1, 1)


def availability_board(today: date) -> dict[str, list]:
    """待機中 now, and roll-offs (available from) this month and next month."""
    base = select(*LIST_COLUMNS).outerjoin(PartnerCompany, PartnerCompany.id == Engineer.partner_company_id)
    base = base.where(Engineer.availability_status != "UNAVAILABLE").order_by(Engineer.available_from, Engineer.code)
    bench = base.where(or_(Engineer.available_from.is_(None), Engineer.available_from <= today),
                       Engineer.availability_status == "AVAILABLE")
    this_start, next_start = _month_bounds(today, 0)[1], _month_bounds(today, 1)[1]
    this_month = base.where(Engineer.available_from > today, Engineer.available_from < this_start)
    next_month = base.where(Engineer.available_from >= this_start, Engineer.available_from < next_start)
    return {key: list(db.session.execute(statement)) for key, statement in
            (("bench", bench), ("this_month", this_month), ("next_month", next_month))}
