"""マッチング管理 (Matching Context): requests, ranked candidates with explainable scores, the proposal pipeline.

Tables live in the ``matching_context`` schema (migrations/sql/matching_context_ddl.sql).
"""

from flask import Blueprint

from ..core.i18n import lazy_gettext as _l
from ..core.nav import register

bp = Blueprint("matching", __name__, url_prefix="/matching")

register(_l("マッチング"), "matching.index", {"admin", "project_manager"}, order=30)
register(_l("スコアリング設定"), "matching.weights", {"admin"}, order=95)


@bp.context_processor
def _labels():
    from ..engineers import labels as engineer_labels
    from ..projects import labels as sales
    from . import labels

    return {"pipeline_labels": labels.PIPELINE_STATUS, "pipeline_badge": labels.PIPELINE_BADGE,
            "request_labels": labels.REQUEST_STATUS, "request_badge": labels.REQUEST_BADGE,
            "criteria_labels": labels.CRITERIA_LABELS, "work_style_labels": sales.WORK_STYLE,
            "chain_labels": sales.CHAIN_RESTRICTION, "japanese_labels": sales.JAPANESE_LEVEL,
            "phase_labels": sales.PHASE_TYPE, "sales_role_labels": sales.ROLES,
            "employment_labels": engineer_labels.EMPLOYMENT_TYPE, "style_labels": engineer_labels.WORK_STYLE_PREFERENCE}


from . import routes, weights  # noqa: E402,F401  (routes register on bp)
