"""The business rules a contract must satisfy (DOMAIN.md §1, §2, §4), each with a clear message on
the field it concerns.  Errors block saving; warnings are shown and the user decides.

* period: end before start; overlapping contracts of the same engineer and side;
* settlement: range required and not inverted, fixed rates present;
* parties: the case's customer on the sell side; the engineer's own partner company on the buy
  side; a purchase backs a sale of the same engineer and case;
* 二重派遣: an engineer received under dispatch is never placed again;
* chain restrictions (商流制限) of the sale;
* 取適法 / フリーランス法: a partner's payment more than 60 days after the service (warning).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from ..core.calendar import BusinessCalendar, add_months, closing_date
from ..core.i18n import lazy_gettext as _l
from ..extensions import db
from . import lookups

EMPLOYEES = ("EMPLOYEE", "CONTRACT_EMPLOYEE")
PAYMENT_LIMIT_DAYS = 60


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    warning: bool = False


class ContractInvalid(Exception):
    """The contract breaks one or more rules; ``problems`` lists every error by field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems

    @property
    def field(self) -> str:
        return self.problems[0].field

    @property
    def message(self) -> str:
        return self.problems[0].message

    def by_field(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem.message)
        return found


def _error(field: str, message) -> Problem:
    return Problem(field, str(message))


def _warning(field: str, message) -> Problem:
    return Problem(field, str(message), warning=True)


REQUIRED = {
    "contract_type": _l("契約形態を選択してください。"),
    "project_id": _l("案件を選択してください。"),
    "engineer_id": _l("技術者を選択してください。"),
    "start_date": _l("開始日を入力してください。"),
    "end_date": _l("終了日を入力してください。"),
    "monthly_price": _l("月額単価を入力してください。"),
}


def check_required(v: Mapping[str, Any]) -> list[Problem]:
    problems = [_error(f, m) for f, m in REQUIRED.items() if v.get(f) is None]
    if v.get("side") == "SELL" and v.get("customer_id") is None and v.get("project_id") is None:
        problems.append(_error("customer_id", _l("顧客を選択してください。")))
    if v.get("side") == "BUY" and v.get("partner_company_id") is None:
        problems.append(_error("partner_company_id", _l("仕入先のパートナー企業を選択してください。")))
    return problems


def check_period(v: Mapping[str, Any]) -> list[Problem]:
    if v.get("start_date") and v.get("end_date") and v["end_date"] < v["start_date"]:
        return [_error("end_date", _l("終了日が開始日より前になっています。"))]
    return []


def check_settlement(v: Mapping[str, Any]) -> list[Problem]:
    method = v.get("settlement_method")
    if method == "NONE" or method is None:
        return []
    low, high = v.get("lower_hours"), v.get("upper_hours")
    problems = []
    if low is None or low <= 0:
        problems.append(_error("lower_hours", _l("精算幅の下限時間を入力してください。")))
    if high is None:
        problems.append(_error("upper_hours", _l("精算幅の上限時間を入力してください。")))
    elif low is not None and high < low:
        problems.append(_error("upper_hours", _l("精算幅が逆転しています（上限が下限より小さい）。")))
    if method == "FIXED":
        for field in ("excess_rate", "deduction_rate"):
            if v.get(field) is None:
                problems.append(_error(field, _l("固定単価の精算では超過単価と控除単価を入力してください。")))
    return problems


def check_type_specific(v: Mapping[str, Any]) -> list[Problem]:
    kind, side = v.get("contract_type"), v.get("side")
    if kind == "DISPATCH" and side == "SELL" and not v.get("dispatch_license_number"):
        return [_error("dispatch_license_number", _l("派遣契約には派遣元の許可番号が必要です。"))]
    if kind == "CONTRACTED_WORK" and not v.get("deliverables"):
        return [_error("deliverables", _l("請負契約には成果物を記載してください。"))]
    if kind == "QUASI_MANDATE" and side == "SELL" and not v.get("responsible_person"):
        return [_warning("responsible_person",
                         _l("準委任契約では当社の業務責任者を定めてください（署名依頼の前に必須）。"))]
    return []


def check_parties(v: Mapping[str, Any]) -> list[Problem]:
    project = lookups.project(v.get("project_id"))
    engineer = lookups.engineer(v.get("engineer_id"))
    problems = []
    if v.get("project_id") and project is None:
        problems.append(_error("project_id", _l("案件が見つからないか、担当していない案件です。")))
    if v.get("engineer_id") and engineer is None:
        problems.append(_error("engineer_id", _l("技術者が見つかりません。")))
    if v.get("side") == "SELL" and project and v.get("customer_id") not in (None, project["customer_id"]):
        problems.append(_error("customer_id", _l("顧客が案件の顧客と一致しません。")))
    if v.get("side") == "BUY" and engineer:
        problems += _check_buy_party(v, engineer)
    return problems


def _check_buy_party(v: Mapping[str, Any], engineer: Mapping) -> list[Problem]:
    if engineer["employment_type"] in EMPLOYEES:
        return [_error("engineer_id", _l("自社社員の技術者に仕入契約は作成できません。"))]
    partner = lookups.partner(v.get("partner_company_id"))
    if v.get("partner_company_id") and partner is None:
        return [_error("partner_company_id", _l("パートナー企業が見つかりません。"))]
    if engineer["employment_type"] == "PARTNER" and engineer["partner_company_id"] != v.get("partner_company_id"):
        return [_error("partner_company_id", _l("技術者の所属パートナー企業と一致しません。"))]
    sell_id = v.get("sell_contract_id")
    if sell_id:
        sale = db.session.execute(text(
            "SELECT side, engineer_id, project_id FROM contract_context.contracts"
            " WHERE id = :id AND deleted_at IS NULL"), {"id": sell_id}).mappings().first()
        if sale is None or sale["side"] != "SELL" or sale["engineer_id"] != engineer["id"]:
            return [_error("sell_contract_id", _l("同じ技術者の売上契約を選択してください。"))]
    return []


def check_overlap(v: Mapping[str, Any], contract_id: uuid.UUID | None) -> list[Problem]:
    if not (v.get("engineer_id") and v.get("start_date") and v.get("end_date")):
        return []
    if v.get("status") == "TERMINATED" or v["end_date"] < v["start_date"]:
        return []
    row = db.session.execute(text(
        "SELECT * FROM contract_context.overlapping_contracts(:e, :s, :a, :b, :x) LIMIT 1"),
        {"e": v["engineer_id"], "s": v.get("side"), "a": v["start_date"], "b": v["end_date"],
         "x": contract_id}).mappings().first()
    if row is None:
        return []
    return [_error("start_date", _l(
        "この技術者には期間が重なる契約 %(number)s（%(start)s〜%(end)s）があります。",
        number=row["contract_number"], start=row["start_date"].strftime("%Y/%m/%d"),
        end=row["end_date"].strftime("%Y/%m/%d")))]


def check_double_dispatch(v: Mapping[str, Any]) -> list[Problem]:
    """二重派遣: an engineer received under dispatch may not be sent on under any contract."""
    if v.get("side") != "SELL" or not v.get("engineer_id"):
        return []
    engineer = lookups.engineer(v["engineer_id"])
    received = engineer is not None and engineer["received_under_dispatch"]
    if not received and v.get("start_date") and v.get("end_date"):
        received = db.session.execute(text(
            "SELECT contract_context.received_dispatch(:e, :a, :b)"),
            {"e": v["engineer_id"], "a": v["start_date"], "b": max(v["start_date"], v["end_date"])}
        ).scalar() is not None
    if received:
        return [_error("engineer_id", _l(
            "派遣で受け入れた技術者を別の契約で送り出すことはできません（二重派遣）。"))]
    return []


def check_chain_restriction(v: Mapping[str, Any]) -> list[Problem]:
    restriction = v.get("chain_restriction")
    engineer = lookups.engineer(v.get("engineer_id"))
    if engineer is None or v.get("side") != "SELL" or restriction in (None, "NONE"):
        return []
    partner = lookups.partner(engineer["partner_company_id"])
    sole = engineer["employment_type"] == "FREELANCE" or bool(partner and partner["is_sole_proprietor"])
    if restriction == "EMPLOYEES_ONLY" and engineer["employment_type"] not in EMPLOYEES:
        return [_error("chain_restriction", _l("商流制限「自社社員のみ」の案件に社外の技術者は配置できません。"))]
    if restriction == "NO_FURTHER_TIERS" and engineer["employment_type"] not in EMPLOYEES:
        return [_error("chain_restriction", _l("商流制限「再委託不可」の案件はパートナー・個人事業主に再委託できません。"))]
    if restriction == "NO_SOLE_PROPRIETORS" and sole:
        return [_error("chain_restriction", _l("商流制限「個人事業主不可」の案件に個人事業主は配置できません。"))]
    return []


def payment_days(v: Mapping[str, Any], calendar: BusinessCalendar | None = None) -> int:
    """The longest wait, over the contract's first twelve months, from a month's closing date to
    the payment date its terms give (DOMAIN.md §4: 04-30 -> 06-30 is 61 days)."""
    calendar = calendar or BusinessCalendar()
    start: date = v["start_date"]
    end: date = max(v["end_date"], start)
    year, month, longest = start.year, start.month, 0
    for _ in range(min(12, (end.year - start.year) * 12 + end.month - start.month + 1)):
        close = closing_date(year, month, v.get("closing_day") or 0)
        due = calendar.payment_due_date(close, v.get("payment_month_offset") or 0,
                                        v.get("payment_day") or 0, v.get("payment_holiday_rule") or "PREVIOUS")
        longest = max(longest, (due - close).days)
        year, month = add_months(year, month, 1)
    return longest


def check_payment_law(v: Mapping[str, Any]) -> list[Problem]:
    if v.get("side") != "BUY" or not (v.get("start_date") and v.get("end_date")):
        return []
    partner = lookups.partner(v.get("partner_company_id"))
    if partner is None or not (partner["subcontract_act_covered"] or partner["freelance_act_covered"]):
        return []
    days = payment_days(v, BusinessCalendar.load())
    if days <= PAYMENT_LIMIT_DAYS:
        return []
    return [_warning("payment_month_offset", _l(
        "支払サイトが役務の提供から最長%(days)d日になります。取適法・フリーランス法の対象の取引先には60日以内に支払う必要があります。",
        days=days))]


def check(values: Mapping[str, Any], contract_id: uuid.UUID | None = None) -> list[Problem]:
    """Every error and warning for a contract's (typed, defaulted) values."""
    problems = check_required(values) + check_period(values) + check_settlement(values)
    problems += check_type_specific(values) + check_parties(values)
    problems += check_double_dispatch(values) + check_chain_restriction(values)
    problems += check_overlap(values, contract_id) + check_payment_law(values)
    return problems
