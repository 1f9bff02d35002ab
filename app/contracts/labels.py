"""Japanese labels of the contract codes (English in the area's catalog)."""

from ..core.i18n import lazy_gettext as _l

CONTRACT_TYPE = {"QUASI_MANDATE": _l("準委任（SES）"), "DISPATCH": _l("派遣"),
                 "CONTRACTED_WORK": _l("請負")}
SIDE = {"SELL": _l("売上（顧客との契約）"), "BUY": _l("仕入（パートナーとの契約）")}
SIDE_SHORT = {"SELL": _l("売上"), "BUY": _l("仕入")}
STATUS = {"DRAFT": _l("下書き"), "PENDING_APPROVAL": _l("承認待ち"), "CONCLUDED": _l("締結"),
          "ACTIVE": _l("稼働中"), "ENDED": _l("終了"), "TERMINATED": _l("解約")}
STATUS_BADGE = {"DRAFT": "secondary", "PENDING_APPROVAL": "warning", "CONCLUDED": "info",
                "ACTIVE": "success", "ENDED": "dark", "TERMINATED": "danger"}
SETTLEMENT_METHOD = {"UPPER_LOWER": _l("上下割"), "MIDDLE": _l("中間割"), "FIXED": _l("固定単価"),
                     "NONE": _l("精算なし（月額固定）")}
ROUNDING_MODE = {"FLOOR": _l("切り捨て"), "HALF_UP": _l("四捨五入"), "CEIL": _l("切り上げ")}
ROUNDING_TARGET = {"RATE": _l("単価を丸める"), "AMOUNT": _l("精算額を丸める")}
RATE_UNIT = {1: _l("1円単位"), 10: _l("10円単位"), 100: _l("100円単位"), 1000: _l("1,000円単位")}
HOURS_UNIT = {1: _l("1分"), 5: _l("5分"), 10: _l("10分"), 15: _l("15分"), 30: _l("30分"), 60: _l("60分")}
HOURS_SCOPE = {"MONTHLY": _l("月合計で丸める"), "DAILY": _l("日ごとに丸める")}
PARTIAL_MONTH = {"BUSINESS_DAYS": _l("営業日で日割り"), "CALENDAR_DAYS": _l("暦日で日割り"),
                 "NONE": _l("日割りしない")}
HOLIDAY_RULE = {"PREVIOUS": _l("前営業日"), "NEXT": _l("翌営業日")}
CHAIN_RESTRICTION = {"NONE": _l("制限なし"), "NO_FURTHER_TIERS": _l("再委託不可"),
                     "PARTNER_ONE_TIER": _l("パートナー1社先まで"),
                     "NO_SOLE_PROPRIETORS": _l("個人事業主不可"), "EMPLOYEES_ONLY": _l("自社社員のみ")}
PARTY = {"OUR_COMPANY": _l("当社"), "CUSTOMER": _l("顧客"), "PARTNER": _l("パートナー企業")}
TAX_RATE = {10: _l("10%"), 8: _l("8%（軽減）"), 0: _l("非課税・不課税")}


def closing_day(day: int) -> str:
    return str(_l("末日")) if not day else str(_l("%(d)d日", d=day))


def payment_terms(closing: int, offset: int, day: int, rule: str) -> str:
    """締め・支払の一文: 「月末締め翌月末払い（前営業日）」."""
    months = {0: _l("当月"), 1: _l("翌月"), 2: _l("翌々月"), 3: _l("3か月後の")}[offset]
    pay_day = _l("末日") if not day else _l("%(d)d日", d=day)
    return str(_l("%(closing)s締め%(months)s%(day)s払い（休日の場合は%(rule)s）",
                  closing=closing_day(closing), months=months, day=pay_day, rule=HOLIDAY_RULE[rule]))

TERM_FIELDS = {"monthly_price": _l("月額"), "settlement_method": _l("精算方法"),
               "lower_hours": _l("精算幅 下限"), "upper_hours": _l("精算幅 上限"),
               "excess_rate": _l("超過単価"), "deduction_rate": _l("控除単価"),
               "rate_rounding_unit": _l("単価の端数"), "rate_rounding_mode": _l("単価の丸め方"),
               "rounding_target": _l("丸める対象"), "hours_rounding_minutes": _l("稼働時間の単位"),
               "hours_rounding_scope": _l("稼働時間の丸め"), "hours_rounding_mode": _l("稼働時間の丸め方")}
