"""Small builders for sales tests (run inside ``acting_as`` an identity that may write)."""

from __future__ import annotations

import itertools
from datetime import date

from app.engineers.services import create_engineer, save_partner, set_skill
from app.projects.customers import save_customer
from app.projects.services import add_requirement, create_project

_numbers = itertools.count(1)


def customer(**fields):
    n = next(_numbers)
    values = {"code": f"C{n:03d}", "name": f"テスト商事{n}株式会社"} | fields
    return save_customer(None, **values)


def project(customer_id, manager_id=None, skills=(), **fields):
    n = next(_numbers)
    values = {"code": f"PJ-{n:04d}", "customer_id": customer_id, "title": f"テスト案件{n}",
              "start_date": date(2026, 12, 1), "end_date": date(2027, 3, 31), "rate_min": 600000,
              "rate_max": 800000, "sales_manager_id": manager_id, "project_manager_id": manager_id} | fields
    created = create_project(**values)
    for name, years, mandatory in skills:
        add_requirement(created, requirement_type="SKILL", name=name, min_years=years, is_mandatory=mandatory)
    return created


def partner(**fields):
    n = next(_numbers)
    return save_partner(None, **({"code": f"P{n:03d}", "name": f"パートナー{n}株式会社"} | fields))


def engineer(skills=(), **fields):
    n = next(_numbers)
    values = {"code": f"E{n:04d}", "employment_type": "EMPLOYEE", "full_name": f"技術者 {n}号",
              "full_name_kana": "ギジュツシャ イチ"} | fields
    created = create_engineer(**values)
    for name, years, level in skills:
        set_skill(created, skill_name=name, skill_category="LANGUAGE", years_experience=years, skill_level=level)
    return created
