"""Japanese labels of the timesheet codes (English in the area's catalog)."""

from ..core.i18n import lazy_gettext as _l

KIND = {"NORMAL": _l("通常"), "HOLIDAY_WORK": _l("休日出勤"), "PAID_LEAVE": _l("有給"),
        "ABSENCE": _l("欠勤"), "SPECIAL_LEAVE": _l("特別休暇"), "SUBSTITUTE_HOLIDAY": _l("振替休日")}
LOCATION = {"ONSITE": _l("常駐"), "REMOTE": _l("リモート")}
STATUS = {"DRAFT": _l("入力中"), "SUBMITTED": _l("提出済み"), "PARTNER_CONFIRMED": _l("BP確認済み"),
          "MANAGER_APPROVED": _l("当社承認済み"), "APPROVED": _l("締め済み"), "RETURNED": _l("差戻し")}
STATUS_BADGE = {"DRAFT": "secondary", "SUBMITTED": "info", "PARTNER_CONFIRMED": "info",
                "MANAGER_APPROVED": "primary", "APPROVED": "success", "RETURNED": "danger"}
STEP = {"SUBMIT": _l("提出"), "PARTNER_CONFIRM": _l("パートナー確認"), "MANAGER_APPROVE": _l("当社承認"),
        "CUSTOMER_CONFIRM": _l("顧客確認（作業実績確認）"), "REOPEN": _l("承認の取り消し")}
DECISION = {"SUBMITTED": _l("提出"), "APPROVED": _l("承認"), "RETURNED": _l("差戻し")}
ACTION = {"submit": _l("提出する"), "partner_confirm": _l("確認して当社へ送る"),
          "partner_return": _l("差し戻す"), "manager_approve": _l("承認する"),
          "manager_return": _l("差し戻す"), "manager_reopen": _l("承認を取り消して差し戻す"),
          "customer_confirm": _l("作業実績を確認する"), "customer_return": _l("差し戻す")}
ADJUSTMENT_REASON = {"MISSED_CLOCK": _l("打刻漏れ"), "OFFICE_CLOSED": _l("顧客事業所の休業"),
                     "LOCATION_CORRECTION": _l("リモート・常駐の訂正"), "BREAK_CORRECTION": _l("休憩時間の訂正"),
                     "APPROVED_OVERTIME": _l("承認済みの残業"), "SUBSTITUTE_HOLIDAY": _l("振替休日"),
                     "SICK_LEAVE": _l("病欠"), "OTHER": _l("その他")}
ADJUSTMENT_STATUS = {"REQUESTED": _l("申請中"), "APPROVED": _l("承認済み（未請求）"),
                     "REJECTED": _l("却下"), "BILLED": _l("請求済み")}


def translated(mapping: dict) -> dict:
    """``mapping`` with its labels in the current language, for a template that repeats them
    (a month's 31 rows show the same choices: translated once per page, not per row)."""
    return {key: str(label) for key, label in mapping.items()}
