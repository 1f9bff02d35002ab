"""Matching codes and their Japanese labels."""

from __future__ import annotations

from ..core.i18n import lazy_gettext as _l

# 候補 → 提案 → 面談 → 合格 / 不合格 → 成約 (辞退 at any open step)
PIPELINE_STATUS = {"CANDIDATE": _l("候補"), "PROPOSED": _l("提案"), "INTERVIEW": _l("面談"), "PASSED": _l("合格"),
                   "REJECTED": _l("不合格"), "CONCLUDED": _l("成約"), "WITHDRAWN": _l("辞退・見送り")}
PIPELINE_TRANSITIONS = {
    "CANDIDATE": ("PROPOSED", "WITHDRAWN"),
    "PROPOSED": ("INTERVIEW", "PASSED", "REJECTED", "WITHDRAWN"),
    "INTERVIEW": ("PASSED", "REJECTED", "WITHDRAWN"),
    "PASSED": ("CONCLUDED", "WITHDRAWN"),
    "REJECTED": (), "CONCLUDED": (), "WITHDRAWN": (),
}
ACTIVE_PIPELINE = ("PROPOSED", "INTERVIEW", "PASSED")
FINAL_PIPELINE = ("REJECTED", "CONCLUDED", "WITHDRAWN")
PIPELINE_BADGE = {"CANDIDATE": "light border text-dark", "PROPOSED": "info", "INTERVIEW": "primary", "PASSED": "success",
                  "REJECTED": "secondary", "CONCLUDED": "dark", "WITHDRAWN": "secondary"}

REQUEST_STATUS = {"OPEN": _l("募集中"), "CLOSED": _l("充足・終了"), "CANCELLED": _l("取消")}
REQUEST_BADGE = {"OPEN": "success", "CLOSED": "dark", "CANCELLED": "secondary"}

CRITERIA_LABELS = {"SKILLS": _l("スキル適合"), "RATE": _l("単価適合"), "START_DATE": _l("開始日適合"),
                   "WORK_STYLE": _l("勤務形態・勤務地"), "OTHER": _l("その他（役割・工程）")}
