"""Codes stored in the database and their Japanese labels (translated in the catalog).

The sales vocabulary shared by cases, engineers and matching (work style, Japanese level,
roles, phases, chain restrictions) lives here; every dict keeps the order shown in forms.
"""

from __future__ import annotations

from ..core.i18n import lazy_gettext as _l

# 引合 → 提案中 → 受注 → 稼働中 → 完了 / 失注 / 中止
PROJECT_STATUS = {
    "INQUIRY": _l("引合"), "PROPOSING": _l("提案中"), "ORDERED": _l("受注"), "ACTIVE": _l("稼働中"),
    "COMPLETED": _l("完了"), "LOST": _l("失注"), "CANCELLED": _l("中止"),
}
# Which status may follow which (the case's workflow).
PROJECT_TRANSITIONS = {
    "INQUIRY": ("PROPOSING", "ORDERED", "LOST", "CANCELLED"),
    "PROPOSING": ("ORDERED", "LOST", "CANCELLED", "INQUIRY"),
    "ORDERED": ("ACTIVE", "CANCELLED"),
    "ACTIVE": ("COMPLETED", "CANCELLED"),
    "COMPLETED": (),
    "LOST": ("INQUIRY",),
    "CANCELLED": (),
}
OPEN_STATUSES = ("INQUIRY", "PROPOSING", "ORDERED")
STATUS_BADGE = {"INQUIRY": "secondary", "PROPOSING": "info", "ORDERED": "primary", "ACTIVE": "success",
                "COMPLETED": "dark", "LOST": "danger", "CANCELLED": "warning"}

PRIORITY = {1: _l("最優先"), 2: _l("高"), 3: _l("中"), 4: _l("低"), 5: _l("最低")}

WORK_STYLE = {"ONSITE": _l("常駐"), "REMOTE": _l("リモート"), "HYBRID": _l("併用")}

# 商流制限: who we may staff the case with.
CHAIN_RESTRICTION = {
    "NONE": _l("制限なし"),
    "PARTNER_ONE_TIER": _l("一社先まで"),
    "NO_SOLE_PROPRIETORS": _l("個人事業主不可"),
    "NO_FURTHER_TIERS": _l("再委託不可（自社社員・契約社員のみ）"),
    "EMPLOYEES_ONLY": _l("正社員のみ"),
}

# Highest first; matching compares ranks (NATIVE > BUSINESS > N1 > ... > NONE).
JAPANESE_LEVEL = {
    "NATIVE": _l("ネイティブ"), "BUSINESS": _l("ビジネスレベル"), "N1": "JLPT N1", "N2": "JLPT N2",
    "N3": "JLPT N3", "N4": "JLPT N4", "N5": "JLPT N5", "NONE": _l("不問・なし"),
}
JAPANESE_RANK = {code: rank for rank, code in enumerate(reversed(list(JAPANESE_LEVEL)))}

ROLES = {"PM": "PM", "PL": "PL", "SE": "SE", "PG": "PG", "ARCHITECT": _l("アーキテクト"),
         "INFRA": _l("インフラ"), "QA": _l("テスター・QA"), "PMO": "PMO"}

PHASE_TYPE = {
    "REQUIREMENTS": _l("要件定義"), "BASIC_DESIGN": _l("基本設計"), "DETAILED_DESIGN": _l("詳細設計"),
    "BUILD": _l("製造"), "TEST": _l("テスト"), "OPERATIONS": _l("運用保守"),
}
PHASE_STATUS = {"PLANNED": _l("予定"), "IN_PROGRESS": _l("進行中"), "DONE": _l("完了")}
MILESTONE_STATUS = {"OPEN": _l("未完了"), "DONE": _l("完了"), "MISSED": _l("遅延")}

REQUIREMENT_TYPE = {
    "SKILL": _l("スキル"), "PHASE": _l("工程"), "ROLE": _l("役割"), "LANGUAGE": _l("語学"),
    "CERTIFICATION": _l("資格"), "OTHER": _l("その他"),
}

HONORIFIC = {"御中": "御中", "様": "様"}
HOLIDAY_RULE = {"PREVIOUS": _l("前営業日"), "NEXT": _l("翌営業日")}
INVOICE_GROUPING = {"PER_CUSTOMER": _l("顧客ごとに合算"), "PER_CONTRACT": _l("契約ごと")}
