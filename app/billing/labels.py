"""Japanese labels (English through the catalog) and badge colours of billing codes."""

from __future__ import annotations

from ..core.i18n import lazy_gettext as _l

INVOICE_STATUS = {"DRAFT": _l("下書き"), "ISSUED": _l("発行済"), "PARTIALLY_PAID": _l("一部入金"),
                  "PAID": _l("入金済"), "OVERDUE": _l("延滞"), "CANCELLED": _l("取消")}
INVOICE_BADGE = {"DRAFT": "secondary", "ISSUED": "primary", "PARTIALLY_PAID": "info", "PAID": "success",
                 "OVERDUE": "danger", "CANCELLED": "dark"}
INVOICE_KIND = {"INVOICE": _l("請求書"), "CREDIT_NOTE": _l("返還請求書"), "REISSUE": _l("再発行")}
STATEMENT_STATUS = {"DRAFT": _l("下書き"), "ISSUED": _l("発行済"), "PARTIALLY_PAID": _l("一部支払"),
                    "PAID": _l("支払済"), "CANCELLED": _l("取消")}
RUN_STATUS = {"QUEUED": _l("待機中"), "RUNNING": _l("実行中"), "SUCCEEDED": _l("完了"), "FAILED": _l("失敗")}
RUN_BADGE = {"QUEUED": "secondary", "RUNNING": "info", "SUCCEEDED": "success", "FAILED": "danger"}
PAYMENT_METHOD = {"BANK_TRANSFER": _l("銀行振込"), "CASH": _l("現金"), "OFFSET": _l("預り金充当"),
                  "OTHER": _l("その他")}
HISTORY_ACTION = {"CREATED": _l("作成"), "UPDATED": _l("更新"), "STATUS": _l("状態変更"), "PAYMENT": _l("入金"),
                  "PDF_STORED": _l("PDF保存"), "ARCHIVED": _l("アーカイブ")}
ITEM_TYPE = {"SETTLEMENT": _l("精算"), "ADJUSTMENT": _l("勤怠調整"), "EXPENSE": _l("経費"), "OTHER": _l("その他")}
TAX_ROUNDING = {"FLOOR": _l("切り捨て"), "HALF_UP": _l("四捨五入"), "CEIL": _l("切り上げ")}
ACCOUNT_TYPE = {"ORDINARY": _l("普通"), "CHECKING": _l("当座")}
FEE_BORNE_BY = {"US": _l("当社負担"), "PARTNER": _l("先方負担（差し引き）")}


def template_labels() -> dict:
    return {"invoice_status": INVOICE_STATUS, "invoice_badge": INVOICE_BADGE, "invoice_kind": INVOICE_KIND,
            "statement_status": STATEMENT_STATUS, "run_status": RUN_STATUS, "run_badge": RUN_BADGE,
            "payment_method": PAYMENT_METHOD, "history_action": HISTORY_ACTION, "item_type": ITEM_TYPE,
            "tax_rounding": TAX_ROUNDING, "account_type": ACCOUNT_TYPE, "fee_borne_by": FEE_BORNE_BY}
