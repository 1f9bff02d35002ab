"""Read models of customers and cases, also used by other contexts.

For other contexts (contracts, timesheets, billing):
    ``customer_choices()`` -> [(id, "C001 株式会社さくら銀行システム")]
    ``project_choices(customer_id=None, statuses=None)`` -> [(id, "PJ-0001 勘定系更改")]
    ``customer_names(ids)`` / ``project_names(ids)`` -> {id: name / title}
    ``customer_display_name(id)`` / ``project_display_name(id)`` -> name or ""
    ``customer_billing(id)`` -> dict of the billing terms (closing/payment days, honorific, ...)
    ``project_summary(id)`` -> dict(code, title, customer_id, period, rates, settlement, managers)
    ``staff_choices()`` -> [(user id, display name)] of sales/PM staff and admins
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select, text

from ..core.listing import ListState, Page, paginate
from ..engineers.skills import skill_key
from ..extensions import db
from .models import Customer, CustomerContact, Project


def customer_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Customer.id, Customer.code, Customer.name).order_by(Customer.code))
    return [(str(i), f"{c} {n}") for i, c, n in rows]


def project_choices(customer_id: uuid.UUID | None = None,
                    statuses: Iterable[str] | None = None) -> list[tuple[str, str]]:
    statement = select(Project.id, Project.code, Project.title).order_by(Project.code)
    if customer_id:
        statement = statement.where(Project.customer_id == customer_id)
    if statuses:
        statement = statement.where(Project.status.in_(list(statuses)))
    return [(str(i), f"{c} {t}") for i, c, t in db.session.execute(statement)]


def _names(column, label, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    return dict(db.session.execute(select(column, label).where(column.in_(ids))).all())


def customer_names(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    return _names(Customer.id, Customer.name, ids)


def project_names(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    return _names(Project.id, Project.title, ids)


def customer_display_name(customer_id: uuid.UUID | None) -> str:
    return customer_names([customer_id]).get(customer_id, "") if customer_id else ""


def project_display_name(project_id: uuid.UUID | None) -> str:
    return project_names([project_id]).get(project_id, "") if project_id else ""


def customer_billing(customer_id: uuid.UUID) -> dict | None:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        return None
    keys = ("id", "code", "name", "honorific", "registration_number", "postal_code", "address",
            "billing_department", "billing_contact_name", "billing_email", "closing_day",
            "payment_month_offset", "payment_day", "payment_holiday_rule", "invoice_grouping",
            "attach_work_report")
    return {key: getattr(customer, key) for key in keys}


def project_summary(project_id: uuid.UUID) -> dict | None:
    project = db.session.get(Project, project_id)
    if project is None:
        return None
    keys = ("id", "code", "title", "customer_id", "end_user_name", "status", "start_date", "end_date",
            "work_style", "location", "headcount", "rate_min", "rate_max", "settlement_lower_hours",
            "settlement_upper_hours", "chain_position", "chain_restriction", "project_manager_id",
            "sales_manager_id", "ordered_at")
    return {key: getattr(project, key) for key in keys}


def staff_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(text(
        "SELECT id, display_name FROM platform.users WHERE role IN ('project_manager', 'admin')"
        " AND is_active AND deleted_at IS NULL ORDER BY role DESC, display_name"))
    return [(str(i), n) for i, n in rows]


def staff_names(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = [i for i in set(ids) if i]
    if not ids:
        return {}
    rows = db.session.execute(text("SELECT id, display_name FROM platform.users WHERE id = ANY(:ids)"),
                              {"ids": ids})
    return dict(rows.all())


# --- customer list ---------------------------------------------------------------------------------

CUSTOMER_SORTS = {"code": Customer.code, "name": Customer.name_kana, "updated": Customer.updated_at}


def filtered_customers(q: str, *columns) -> Select:
    statement = select(*(columns or (Customer,)))
    q = (q or "").strip()[:100]
    if q:
        like = f"%{q}%"
        statement = statement.where(or_(Customer.name.ilike(like), Customer.name_kana.ilike(like),
                                        Customer.code.ilike(like)))
    return statement


def search_customers(q: str, state: ListState) -> Page:
    open_projects = (select(func.count()).where(Project.customer_id == Customer.id,
                                                Project.status.in_(("INQUIRY", "PROPOSING", "ORDERED", "ACTIVE")))
                     .correlate(Customer).scalar_subquery())
    return paginate(filtered_customers(q, Customer, open_projects.label("open_projects")), state, CUSTOMER_SORTS)


def customer_contacts(customer_id: uuid.UUID) -> list[CustomerContact]:
    return list(db.session.scalars(select(CustomerContact).where(CustomerContact.customer_id == customer_id)
                                   .order_by(CustomerContact.name_kana, CustomerContact.name)))


# --- case list -------------------------------------------------------------------------------------

PROJECT_SORTS = {"code": Project.code, "title": Project.title, "status": Project.status,
                 "priority": (Project.priority, Project.start_date), "start": Project.start_date,
                 "rate": Project.rate_max, "updated": Project.updated_at}


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    statuses: tuple[str, ...] = ()
    skill: str = ""
    customer: str = ""                     # a customer's code or part of its name
    customer_id: uuid.UUID | None = None   # one customer exactly (links from its page)
    manager_id: uuid.UUID | None = None
    period_from: date | None = None
    period_to: date | None = None

    @classmethod
    def from_args(cls, args) -> ProjectFilters:
        return cls(q=(args.get("q") or "").strip()[:100], statuses=tuple(args.getlist("status")),
                   skill=(args.get("skill") or "").strip()[:100],
                   customer=(args.get("customer") or "").strip()[:100],
                   customer_id=_uuid(args.get("customer_id")), manager_id=_uuid(args.get("manager_id")),
                   period_from=_date(args.get("period_from")), period_to=_date(args.get("period_to")))


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# What the case list shows: rows of these, not whole cases (descriptions, requirements, terms)
LIST_COLUMNS = (Project.id, Project.code, Project.title, Project.end_user_name, Project.status, Project.priority,
                Project.start_date, Project.rate_max, Project.requirements["skills"].label("skills"),
                Project.sales_manager_id, Customer.name.label("customer_name"))


def filtered_projects(filters: ProjectFilters, *columns) -> Select:
    """Cases as ``filters`` say: rows of ``columns``, or of the case and its customer's name."""
    statement = select(*(columns or (Project, Customer.name.label("customer_name")))) \
        .join(Customer, Customer.id == Project.customer_id)
    if filters.q:
        like = f"%{filters.q}%"
        statement = statement.where(or_(Project.title.ilike(like), Project.code.ilike(like),
                                        Project.end_user_name.ilike(like), Customer.name.ilike(like)))
    if filters.statuses:
        statement = statement.where(Project.status.in_(filters.statuses))
    for name in filter(None, (n.strip() for n in filters.skill.replace("、", ",").split(","))):
        statement = statement.where(Project.requirements.contains({"skills": [{"key": skill_key(name)}]}))
    if filters.customer:
        like = f"%{filters.customer}%"
        statement = statement.where(or_(Customer.code.ilike(like), Customer.name.ilike(like),
                                        Customer.name_kana.ilike(like)))
    if filters.customer_id:
        statement = statement.where(Project.customer_id == filters.customer_id)
    if filters.manager_id:
        statement = statement.where(or_(Project.project_manager_id == filters.manager_id,
                                        Project.sales_manager_id == filters.manager_id))
    # The case's period overlaps [period_from, period_to].
    if filters.period_from:
        statement = statement.where(or_(Project.end_date.is_(None), Project.end_date >= filters.period_from))
    if filters.period_to:
        statement = statement.where(or_(Project.start_date.is_(None), Project.start_date <= filters.period_to))
    return statement


def search_projects(filters: ProjectFilters, state: ListState, counts: Mapping[str, int]) -> Page:
    """A page of the list; ``counts``: ``status_counts(filters)``, whose statuses the filter
    keeps add up to the number of cases listed (no count of its own)."""
    total = sum(n for status, n in counts.items() if not filters.statuses or status in filters.statuses)
    return paginate(filtered_projects(filters, *LIST_COLUMNS), state, PROJECT_SORTS, total=total)


def status_counts(filters: ProjectFilters) -> Mapping[str, int]:
    """How many cases per status under the other filters (the status filter's badges)."""
    others = filtered_projects(ProjectFilters(**{**filters.__dict__, "statuses": ()}), Project.status)
    rows = db.session.execute(others.add_columns(func.count()).group_by(Project.status))
    return dict(rows.all())
