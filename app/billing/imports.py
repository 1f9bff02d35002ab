"""Migration from spreadsheets: contracts with their settlement terms, and the approved monthly
hours per contract (many customers send their own timesheet format; staff type the month's
total).  CSV (UTF-8 or Shift_JIS) or Excel; preview with every row's errors, then all or
nothing.  Rows are written through the contract and timesheet contexts' own services, so the
same rules apply as on their pages.  The columns are documented in docs/billing.md.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import text

from ..contracts.services import create_contract
from ..contracts.validation import ContractInvalid
from ..core import tabular as t
from ..core.i18n import lazy_gettext as _l
from ..core.tabular.columns import nfkc
from ..extensions import db
from ..timesheets.services import TimesheetError, record_approved_monthly_hours
from .issue import BillingError

SIDE = {"SELL": _l("売上"), "BUY": _l("仕入")}
CONTRACT_TYPE = {"QUASI_MANDATE": _l("準委任"), "DISPATCH": _l("派遣"), "CONTRACTED_WORK": _l("請負")}
STATUS = {"DRAFT": _l("下書き"), "CONCLUDED": _l("締結"), "ACTIVE": _l("稼働中"), "ENDED": _l("終了")}
METHOD = {"UPPER_LOWER": _l("上下割"), "MIDDLE": _l("中間割"), "FIXED": _l("固定単価"), "NONE": _l("精算なし")}
ROUNDING = {"FLOOR": _l("切り捨て"), "HALF_UP": _l("四捨五入"), "CEIL": _l("切り上げ")}
SCOPE = {"MONTHLY": _l("月合計"), "DAILY": _l("日毎")}
HOLIDAY = {"PREVIOUS": _l("前営業日"), "NEXT": _l("翌営業日")}
PARTIAL = {"BUSINESS_DAYS": _l("営業日割"), "CALENDAR_DAYS": _l("暦日割"), "NONE": _l("日割りなし")}

CONTRACT_COLUMNS = [
    t.Column("contract_number", "契約番号", t.code(40)),
    t.choice_column("side", "区分", SIDE, required=True),
    t.Column("project_code", "案件コード", t.code(), required=True),
    t.Column("engineer_code", "技術者コード", t.code(), required=True),
    t.Column("customer_code", "顧客コード", t.code()),
    t.Column("partner_code", "パートナー企業コード", t.code()),
    t.Column("sell_contract_number", "売上契約番号", t.code(40)),
    t.Column("title", "件名", t.text(200), required=True),
    t.choice_column("contract_type", "契約形態", CONTRACT_TYPE, required=True),
    t.choice_column("status", "状態", STATUS),
    t.Column("start_date", "開始日", t.date_value(), required=True),
    t.Column("end_date", "終了日", t.date_value(), required=True),
    t.Column("monthly_price", "月額単価", t.yen(), required=True),
    t.Column("tax_rate_percent", "税率", t.integer(0, 10)),
    t.choice_column("settlement_method", "精算方法", METHOD),
    t.Column("lower_hours", "下限時間", t.decimal(2, 0, 744)),
    t.Column("upper_hours", "上限時間", t.decimal(2, 0, 744)),
    t.Column("excess_rate", "超過単価", t.yen()),
    t.Column("deduction_rate", "控除単価", t.yen()),
    t.Column("rate_rounding_unit", "単価の端数単位", t.integer(1, 1000)),
    t.choice_column("rate_rounding_mode", "単価の端数処理", ROUNDING),
    t.Column("hours_rounding_minutes", "時間の丸め（分）", t.integer(1, 60)),
    t.choice_column("hours_rounding_scope", "丸めの単位", SCOPE),
    t.choice_column("hours_rounding_mode", "時間の端数処理", ROUNDING),
    t.choice_column("partial_month_rule", "日割り", PARTIAL),
    t.Column("closing_day", "締め日", t.integer(0, 28)),
    t.Column("payment_month_offset", "支払月", t.integer(0, 3)),
    t.Column("payment_day", "支払日", t.integer(0, 28)),
    t.choice_column("payment_holiday_rule", "休日の扱い", HOLIDAY),
]
LOOKUPS = {
    "project_code": ("project_id", "SELECT id FROM project_context.projects WHERE code = :c AND deleted_at IS NULL",
                     _l("案件コードが見つかりません。")),
    "engineer_code": ("engineer_id", "SELECT id FROM engineer_context.engineers WHERE code = :c AND deleted_at IS NULL",
                      _l("技術者コードが見つかりません。")),
    "customer_code": ("customer_id", "SELECT id FROM project_context.customers WHERE code = :c AND deleted_at IS NULL",
                      _l("顧客コードが見つかりません。")),
    "partner_code": ("partner_company_id",
                     "SELECT id FROM engineer_context.partner_companies WHERE code = :c AND deleted_at IS NULL",
                     _l("パートナー企業コードが見つかりません。")),
    "sell_contract_number": ("sell_contract_id", "SELECT id FROM contract_context.contracts WHERE contract_number = :c"
                             " AND side = 'SELL' AND deleted_at IS NULL", _l("売上契約番号が見つかりません。")),
}


def _resolve(values: dict) -> dict:
    """Codes in the file → the ids the contract service takes."""
    resolved = {k: v for k, v in values.items() if k not in LOOKUPS and v is not None}
    for key, (target, sql, message) in LOOKUPS.items():
        if values.get(key) is None:
            continue
        found = db.session.execute(text(sql), {"c": values[key]}).scalar()
        if found is None:
            raise BillingError(key, message)
        resolved[target] = found
    return resolved


def save_contract_row(values: dict):
    try:
        return create_contract(_resolve(values))
    except ContractInvalid as invalid:
        raise BillingError(invalid.field, " / ".join(p.message for p in invalid.problems)) from invalid


def sequential(save_row, label_key: str | None = None) -> dict:
    """``check`` and ``save`` where a row may refer to an earlier row of the same file (a
    purchase contract to its sale): the dry run keeps the earlier rows until the end, then
    rolls everything back."""
    spec = t.row_by_row(save_row, (BillingError,), label_key=label_key)

    def check(rows) -> None:
        if label_key:
            t.mark_duplicates(rows, label_key)
        outer = db.session.begin_nested()
        try:
            for row in rows:
                if not row.ok:
                    continue
                inner = db.session.begin_nested()
                try:
                    save_row(dict(row.values))
                    db.session.flush()
                    inner.commit()
                except BillingError as error:
                    inner.rollback()
                    row.add_error(error.field or "", error.message)
        finally:
            outer.rollback()

    return {"check": check, "save": spec["save"]}


CONTRACT_IMPORT = t.ImportSpec(name="billing-contracts", title=_l("契約の取り込み（精算条件つき）"),
                               columns=CONTRACT_COLUMNS, **sequential(save_contract_row, "contract_number"))

_HOURS = re.compile(r"^(\d{1,3})(?:[:：](\d{1,2}))?$|^(\d{1,3}(?:\.\d{1,2})?)$")


def hours_to_minutes():
    """160.5 / 160:30 / 160.50 → 9630 minutes (a month's approved hours)."""
    def parse(value) -> int:
        raw = nfkc(value) if not isinstance(value, int | float | Decimal) else str(value)
        match = _HOURS.match(raw)
        if not match:
            raise t.CellError(_l("稼働時間は「160.5」または「160:30」の形式で入力してください。"))
        if match.group(3):
            return int(Decimal(match.group(3)) * 60)
        minutes = int(match.group(2) or 0)
        if minutes >= 60:
            raise t.CellError(_l("分は0〜59で入力してください。"))
        return int(match.group(1)) * 60 + minutes
    return parse


def month_value():
    def parse(value) -> tuple[int, int]:
        raw = nfkc(value.strftime("%Y-%m") if hasattr(value, "strftime") else value).replace("/", "-")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise t.CellError(_l("対象月は「2026-10」の形式で入力してください。"))
        return int(match.group(1)), int(match.group(2))
    return parse


HOURS_COLUMNS = [
    t.Column("contract_number", "契約番号", t.code(40), required=True),
    t.Column("month", "対象月", month_value(), required=True, format=lambda v: f"{v[0]}-{v[1]:02d}" if v else ""),
    t.Column("minutes", "稼働時間", hours_to_minutes(), required=True),
    t.Column("note", "備考", t.text(500)),
]


def save_hours_row(values: dict):
    contract_id = db.session.execute(text(
        "SELECT id FROM contract_context.contracts WHERE contract_number = :c AND deleted_at IS NULL"),
        {"c": values["contract_number"]}).scalar()
    if contract_id is None:
        raise BillingError("contract_number", _l("契約番号が見つかりません。"))
    try:
        return record_approved_monthly_hours(contract_id, *values["month"], values["minutes"],
                                             note=values.get("note"))
    except TimesheetError as error:
        field = {"period": "month", "minutes": "minutes"}.get(error.field, "contract_number")
        raise BillingError(field, error.message) from error


def _hours_check_and_save():
    spec = t.row_by_row(save_hours_row, (BillingError,))

    def check(rows):
        seen: dict = {}
        for row in rows:
            key = (row.values.get("contract_number"), row.values.get("month"))
            if None not in key and key in seen:
                row.add_error("month", _l("%(line)d行目と同じ契約・月です。", line=seen[key]))
            seen.setdefault(key, row.line)
        spec["check"](rows)

    return {"check": check, "save": spec["save"]}


HOURS_IMPORT = t.ImportSpec(name="billing-hours", title=_l("承認済み月次稼働の取り込み"), columns=HOURS_COLUMNS,
                            **_hours_check_and_save())
