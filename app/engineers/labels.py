"""Engineer Context codes and their Japanese labels (shared vocabulary: app.projects.labels)."""

from __future__ import annotations

from ..core.i18n import lazy_gettext as _l

EMPLOYMENT_TYPE = {"EMPLOYEE": _l("正社員"), "CONTRACT_EMPLOYEE": _l("契約社員"),
                   "FREELANCE": _l("個人事業主"), "PARTNER": _l("BP（パートナー）")}
AVAILABILITY = {"AVAILABLE": _l("待機中"), "ROLLING_OFF": _l("終了予定"), "ASSIGNED": _l("稼働中"),
                "UNAVAILABLE": _l("稼働不可")}
AVAILABILITY_BADGE = {"AVAILABLE": "success", "ROLLING_OFF": "warning", "ASSIGNED": "primary",
                      "UNAVAILABLE": "secondary"}
WORK_STYLE_PREFERENCE = {"ANY": _l("どちらでも"), "ONSITE": _l("常駐希望"), "REMOTE": _l("リモート希望"),
                         "HYBRID": _l("併用希望")}
SKILL_CATEGORY = {
    "LANGUAGE": _l("言語"), "FRAMEWORK": _l("フレームワーク"), "DATABASE": _l("データベース"),
    "CLOUD": _l("クラウド"), "INFRASTRUCTURE": _l("インフラ"), "OS": "OS", "TOOL": _l("ツール"),
    "METHOD": _l("手法"), "BUSINESS": _l("業務知識"), "OTHER": _l("その他"),
}
SKILL_LEVEL = {1: _l("1: 学習中"), 2: _l("2: 指導のもと実務可"), 3: _l("3: 独力で実務可"),
               4: _l("4: 指導できる"), 5: _l("5: 第一人者")}
AVAILABILITY_SOURCE = {"MANUAL": _l("手入力"), "CONTRACT_ROLL_OFF": _l("契約終了")}
GENDER = {"": _l("未回答"), "男性": _l("男性"), "女性": _l("女性"), "その他": _l("その他")}
