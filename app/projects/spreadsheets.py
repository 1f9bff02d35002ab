"""Customers and cases as spreadsheets: the columns of import and export, and the row savers.

An imported row whose code exists updates that record; otherwise it is created.  Cases keep
the status given in the file (a migration of history: no ProjectOrdered event is recorded).
The column lists are documented in docs/sales.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from ..core import tabular as t
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import customers as customer_services
from .labels import (
    CHAIN_RESTRICTION,
    HOLIDAY_RULE,
    HONORIFIC,
    INVOICE_GROUPING,
    JAPANESE_LEVEL,
    PHASE_TYPE,
    PROJECT_STATUS,
    ROLES,
    WORK_STYLE,
)
from .models import Customer, Project, ProjectRequirement
from .services import ProjectError, add_requirement, create_project, update_project

CUSTOMER_COLUMNS = [
    t.Column("code", "顧客コード", t.code(), required=True, aliases=("code",)),
    t.Column("name", "会社名", t.text(200), required=True, aliases=("name",)),
    t.Column("name_kana", "会社名カナ", t.text(200)),
    t.Column("corporate_number", "法人番号", t.text(13)),
    t.Column("registration_number", "登録番号", t.text(14)),
    t.choice_column("honorific", "敬称", HONORIFIC),
    t.Column("postal_code", "郵便番号", t.text(8)),
    t.Column("address", "住所", t.text(300)),
    t.Column("phone", "電話番号", t.text(30)),
    t.Column("billing_department", "請求先部署", t.text(100)),
    t.Column("billing_contact_name", "請求先担当者", t.text(100)),
    t.Column("billing_email", "請求先メール", t.text(254)),
    t.Column("closing_day", "締め日", t.integer(0, 28)),
    t.Column("payment_month_offset", "支払月", t.integer(0, 3)),
    t.Column("payment_day", "支払日", t.integer(0, 28)),
    t.choice_column("payment_holiday_rule", "休日の扱い", HOLIDAY_RULE),
    t.choice_column("invoice_grouping", "請求書の単位", INVOICE_GROUPING),
    t.Column("attach_work_report", "作業報告書添付", t.boolean()),
    t.Column("notes", "備考", t.text(2000)),
]
CUSTOMER_DEFAULTS = {"honorific": "御中", "closing_day": 0, "payment_month_offset": 1, "payment_day": 0,
                     "payment_holiday_rule": "PREVIOUS", "invoice_grouping": "PER_CUSTOMER",
                     "attach_work_report": False}


def save_customer_row(values: dict) -> Customer:
    existing = db.session.scalar(select(Customer).where(Customer.code == values["code"]))
    fields = {k: v for k, v in values.items() if v is not None or existing is None}
    if existing is None:
        fields = CUSTOMER_DEFAULTS | {k: v for k, v in fields.items() if v is not None}
    return customer_services.save_customer(existing, existing.version if existing else None, **fields)


CUSTOMER_IMPORT = t.ImportSpec(name="customers", title=_l("顧客企業の取り込み"), columns=CUSTOMER_COLUMNS,
                               **t.row_by_row(save_customer_row, (ProjectError,), label_key="code"))


# --- cases -------------------------------------------------------------------------------------------

def skill_list() -> Any:
    """"Java:3、AWS" -> [("Java", 3), ("AWS", None)] (name, minimum years)."""
    items = t.text_list()
    years = t.decimal(1, 0, 50)

    def parse(value):
        result = []
        for item in items(value):
            name, _, raw = item.replace("：", ":").partition(":")
            result.append((name.strip(), years(raw.removesuffix("年")) if raw.strip() else None))
        return result
    return parse


def format_skills(skills) -> str:
    return t.join_list(f"{n}:{float(y):g}" if y is not None else n for n, y in skills or ())


def _code_list(labels):
    one = t.choice(labels)
    return lambda value: [one(item) for item in t.text_list()(value)]


def _label_list(labels):
    return lambda codes: t.join_list(str(labels.get(c, c)) for c in codes or ())


PROJECT_COLUMNS = [
    t.Column("code", "案件コード", t.code(), required=True, aliases=("code",)),
    t.Column("customer_code", "顧客コード", t.code(), required=True),
    t.Column("title", "案件名", t.text(200), required=True, aliases=("title",)),
    t.Column("end_user_name", "エンドユーザー", t.text(200)),
    t.choice_column("status", "ステータス", PROJECT_STATUS),
    t.Column("priority", "優先度", t.integer(1, 5)),
    t.Column("start_date", "開始日", t.date_value()),
    t.Column("end_date", "終了日", t.date_value()),
    t.Column("location", "勤務地", t.text(200)),
    t.Column("nearest_station", "最寄駅", t.text(100)),
    t.choice_column("work_style", "勤務形態", WORK_STYLE),
    t.Column("headcount", "募集人数", t.integer(1, 999)),
    t.Column("rate_min", "単価下限", t.yen()),
    t.Column("rate_max", "単価上限", t.yen()),
    t.Column("settlement_lower_hours", "精算下限時間", t.decimal(2, 0, 744)),
    t.Column("settlement_upper_hours", "精算上限時間", t.decimal(2, 0, 744)),
    t.Column("chain_position", "商流", t.integer(1, 9)),
    t.choice_column("chain_restriction", "商流制限", CHAIN_RESTRICTION),
    t.choice_column("required_japanese_level", "日本語レベル", JAPANESE_LEVEL),
    t.Column("required_skills", "必須スキル", skill_list(), format=format_skills),
    t.Column("preferred_skills", "歓迎スキル", skill_list(), format=format_skills),
    t.Column("phases", "工程", _code_list(PHASE_TYPE), format=_label_list(PHASE_TYPE)),
    t.Column("roles", "役割", _code_list(ROLES), format=_label_list(ROLES)),
    t.Column("sales_manager_email", "営業担当メール", t.text(254)),
    t.Column("project_manager_email", "PMメール", t.text(254)),
    t.Column("description", "概要", t.text(4000)),
]
PROJECT_DEFAULTS = {"priority": 3, "work_style": "ONSITE", "headcount": 1, "chain_position": 1,
                    "chain_restriction": "NONE"}


def _user_id(email: str | None, field: str):
    if not email:
        return None
    found = db.session.execute(text("SELECT id FROM platform.users WHERE lower(email) = lower(:e)"
                                    " AND role IN ('project_manager', 'admin')"), {"e": email}).scalar()
    if found is None:
        raise ProjectError(field, _l("このメールアドレスの営業・PMユーザーはいません。"))
    return found


def save_project_row(values: dict) -> Project:
    customer_id = db.session.scalar(select(Customer.id).where(Customer.code == values.pop("customer_code")))
    if customer_id is None:
        raise ProjectError("customer_code", _l("この顧客コードの顧客企業はありません。"))
    fields = {k: v for k, v in values.items() if v is not None} | {"customer_id": customer_id}
    fields["sales_manager_id"] = _user_id(fields.pop("sales_manager_email", None), "sales_manager_email")
    fields["project_manager_id"] = _user_id(fields.pop("project_manager_email", None), "project_manager_email")
    requirements = {k: fields.pop(k, None) or [] for k in ("required_skills", "preferred_skills", "phases", "roles")}
    status = fields.pop("status", None)
    existing = db.session.scalar(select(Project).where(Project.code == fields["code"]))
    if existing is None:
        project = create_project(**(PROJECT_DEFAULTS | fields))
    else:
        project = update_project(existing, existing.version, **fields)
    if status:
        project.status = status
    _replace_requirements(project, requirements)
    return project


def _replace_requirements(project: Project, requirements: dict) -> None:
    for old in db.session.scalars(select(ProjectRequirement).where(
            ProjectRequirement.project_id == project.id,
            ProjectRequirement.requirement_type.in_(("SKILL", "PHASE", "ROLE")))):
        db.session.delete(old)
    db.session.flush()
    for key, mandatory in (("required_skills", True), ("preferred_skills", False)):
        for name, years in requirements[key]:
            add_requirement(project, requirement_type="SKILL", name=name, min_years=years, is_mandatory=mandatory)
    for kind, key in (("PHASE", "phases"), ("ROLE", "roles")):
        for code in requirements[key]:
            add_requirement(project, requirement_type=kind, name=code)


PROJECT_IMPORT = t.ImportSpec(name="projects", title=_l("案件の取り込み"), columns=PROJECT_COLUMNS,
                              **t.row_by_row(save_project_row, (ProjectError,), label_key="code"))


def project_records(projects, customer_codes: dict, emails: dict) -> list[dict]:
    """Export rows of cases (with the columns above)."""
    records = []
    for project in projects:
        reqs = project.requirements or {}
        skills = reqs.get("skills") or []
        record = {c.key: getattr(project, c.key, None) for c in PROJECT_COLUMNS}
        record |= {
            "customer_code": customer_codes.get(project.customer_id),
            "required_skills": [(s["name"], s.get("min_years")) for s in skills if s.get("mandatory")],
            "preferred_skills": [(s["name"], s.get("min_years")) for s in skills if not s.get("mandatory")],
            "phases": reqs.get("phases") or [], "roles": reqs.get("roles") or [],
            "sales_manager_email": emails.get(project.sales_manager_id),
            "project_manager_email": emails.get(project.project_manager_id)}
        records.append(record)
    return records
