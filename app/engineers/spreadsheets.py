"""Engineers (with skills) and partner companies as spreadsheets: columns and row savers.

A row whose code exists updates that record; otherwise it is created.  Personal data (phone,
address, birth date, gender, nationality) is neither imported nor exported here.  Skills are
written "Java:5:4、Spring Boot:3" (name : years : level 1-5, level 3 when omitted); when the
column is filled the engineer's skills become exactly that list.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..core import tabular as t
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from ..projects.labels import HOLIDAY_RULE, JAPANESE_LEVEL, ROLES
from .labels import AVAILABILITY, EMPLOYMENT_TYPE, WORK_STYLE_PREFERENCE
from .models import Engineer, PartnerCompany, SkillAssessment
from .services import (
    EngineerError,
    create_engineer,
    remove_skill,
    save_partner,
    set_skill,
    update_engineer,
)
from .skills import guess_category, skill_key


def skill_cells() -> Any:
    items, years, level = t.text_list(), t.decimal(1, 0, 60), t.integer(1, 5)

    def parse(value) -> list[tuple[str, Decimal, int]]:
        result = []
        for item in items(value):
            name, *rest = [part.strip() for part in item.replace("：", ":").split(":")]
            result.append((name, years(rest[0].removesuffix("年")) if rest and rest[0] else Decimal(0),
                           level(rest[1].removeprefix("Lv").removeprefix("lv")) if len(rest) > 1 and rest[1] else 3))
        return result
    return parse


def format_skills(skills) -> str:
    """(name, years, level) triples -> "Java:5:4、Spring Boot:3:3"."""
    return t.join_list(f"{name}:{float(years):g}:{level}" for name, years, level in skills or ())


def _codes(labels):
    one = t.choice(labels)
    return lambda value: [one(item) for item in t.text_list()(value)]


ENGINEER_COLUMNS = [
    t.Column("code", "技術者コード", t.code(), required=True, aliases=("code",)),
    t.Column("full_name", "氏名", t.text(100), required=True, aliases=("name",)),
    t.Column("full_name_kana", "氏名カナ", t.text(100)),
    t.choice_column("employment_type", "雇用形態", EMPLOYMENT_TYPE, required=True),
    t.Column("partner_code", "パートナーコード", t.code()),
    t.Column("received_under_dispatch", "派遣受入", t.boolean()),
    t.Column("email", "メールアドレス", t.text(254)),
    t.Column("nearest_station", "最寄駅", t.text(100)),
    t.choice_column("work_style_preference", "勤務形態の希望", WORK_STYLE_PREFERENCE),
    t.Column("desired_rate", "希望単価", t.yen()),
    t.choice_column("availability_status", "稼働状況", AVAILABILITY),
    t.Column("available_from", "稼働可能日", t.date_value()),
    t.choice_column("japanese_level", "日本語レベル", JAPANESE_LEVEL),
    t.Column("work_authorization", "在留資格", t.text(100)),
    t.Column("work_authorization_expires_on", "在留期限", t.date_value()),
    t.Column("experience_years", "IT経験年数", t.decimal(1, 0, 60)),
    t.Column("roles", "役割", _codes(ROLES), format=lambda codes: t.join_list(str(ROLES.get(c, c)) for c in codes or ())),
    t.Column("skills", "スキル", skill_cells(), format=format_skills),
    t.Column("summary", "自己PR", t.text(4000)),
]
ENGINEER_DEFAULTS = {"work_style_preference": "ANY", "availability_status": "AVAILABLE", "japanese_level": "NATIVE",
                     "received_under_dispatch": False, "roles": []}


def save_engineer_row(values: dict) -> Engineer:
    partner_code, skills = values.pop("partner_code"), values.pop("skills")
    values["partner_company_id"] = None
    if partner_code:
        values["partner_company_id"] = db.session.scalar(select(PartnerCompany.id).where(PartnerCompany.code == partner_code))
        if values["partner_company_id"] is None:
            raise EngineerError("partner_code", _l("このコードのパートナー企業はありません。"))
    existing = db.session.scalar(select(Engineer).where(Engineer.code == values["code"]))
    if existing is None:
        engineer = create_engineer(**(ENGINEER_DEFAULTS | {k: v for k, v in values.items() if v is not None}))
    else:
        kept = {k: v for k, v in values.items() if v is not None or k == "partner_company_id"}
        engineer = update_engineer(existing, existing.version, **kept)
    if skills:
        _replace_skills(engineer, skills)
    return engineer


def _replace_skills(engineer: Engineer, skills: list[tuple[str, Decimal, int]]) -> None:
    wanted = {skill_key(name) for name, _, _ in skills}
    for old in db.session.scalars(select(SkillAssessment).where(SkillAssessment.engineer_id == engineer.id)):
        if skill_key(old.skill_name) not in wanted:
            remove_skill(engineer, old.id)
    for name, years, level in skills:
        set_skill(engineer, skill_name=name, skill_category=guess_category(name), years_experience=years,
                  skill_level=level)


ENGINEER_IMPORT = t.ImportSpec(name="engineers", title=_l("技術者の取り込み"), columns=ENGINEER_COLUMNS,
                               **t.row_by_row(save_engineer_row, (EngineerError,), label_key="code"))


def engineer_records(engineers, partner_codes: dict) -> list[dict]:
    return [{c.key: getattr(e, c.key, None) for c in ENGINEER_COLUMNS}
            | {"partner_code": partner_codes.get(e.partner_company_id),
               "skills": [(s["name"], s["years"], s["level"]) for s in e.skills or ()]}
            for e in engineers]


PARTNER_COLUMNS = [
    t.Column("code", "パートナーコード", t.code(), required=True, aliases=("code",)),
    t.Column("name", "会社名", t.text(200), required=True, aliases=("name",)),
    t.Column("name_kana", "会社名カナ", t.text(200)),
    t.Column("corporate_number", "法人番号", t.text(13)),
    t.Column("registration_number", "登録番号", t.text(14)),
    t.Column("is_sole_proprietor", "個人事業主", t.boolean()),
    t.Column("capital_yen", "資本金", t.yen()),
    t.Column("employee_count", "従業員数", t.integer(0)),
    t.Column("subcontract_act_covered", "取適法対象", t.boolean()),
    t.Column("freelance_act_covered", "フリーランス法対象", t.boolean()),
    t.Column("postal_code", "郵便番号", t.text(8)),
    t.Column("address", "住所", t.text(300)),
    t.Column("phone", "電話番号", t.text(30)),
    t.Column("contact_name", "担当者", t.text(100)),
    t.Column("contact_email", "担当者メール", t.text(254)),
    t.Column("closing_day", "締め日", t.integer(0, 28)),
    t.Column("payment_month_offset", "支払月", t.integer(0, 3)),
    t.Column("payment_day", "支払日", t.integer(0, 28)),
    t.choice_column("payment_holiday_rule", "休日の扱い", HOLIDAY_RULE),
    t.Column("notes", "備考", t.text(2000)),
]
PARTNER_DEFAULTS = {"is_sole_proprietor": False, "subcontract_act_covered": False, "freelance_act_covered": False,
                    "closing_day": 0, "payment_month_offset": 1, "payment_day": 0, "payment_holiday_rule": "PREVIOUS"}


def save_partner_row(values: dict) -> PartnerCompany:
    existing = db.session.scalar(select(PartnerCompany).where(PartnerCompany.code == values["code"]))
    fields = {k: v for k, v in values.items() if v is not None}
    if existing is None:
        return save_partner(None, **(PARTNER_DEFAULTS | fields))
    return save_partner(existing, existing.version, **fields)


PARTNER_IMPORT = t.ImportSpec(name="partners", title=_l("パートナー企業の取り込み"), columns=PARTNER_COLUMNS,
                              **t.row_by_row(save_partner_row, (EngineerError,), label_key="code"))
