"""案件管理 (Project Context): customers, contacts and cases with requirements, phases and milestones.

Tables live in the ``project_context`` schema (migrations/sql/project_context_ddl.sql).
"""

from flask import Blueprint

from ..core.i18n import lazy_gettext as _l
from ..core.nav import register

bp = Blueprint("projects", __name__, url_prefix="/projects")

register(_l("案件"), "projects.index", {"admin", "project_manager"}, order=10)
register(_l("顧客企業"), "projects.customers_index", {"admin", "project_manager"}, order=40)


@bp.context_processor
def _labels():
    from . import labels

    return {"status_labels": labels.PROJECT_STATUS, "status_badge": labels.STATUS_BADGE,
            "priority_labels": labels.PRIORITY, "work_style_labels": labels.WORK_STYLE,
            "chain_labels": labels.CHAIN_RESTRICTION, "japanese_labels": labels.JAPANESE_LEVEL,
            "phase_labels": labels.PHASE_TYPE, "sales_role_labels": labels.ROLES,
            "requirement_type_labels": labels.REQUIREMENT_TYPE, "phase_status_labels": labels.PHASE_STATUS,
            "milestone_status_labels": labels.MILESTONE_STATUS, "holiday_labels": labels.HOLIDAY_RULE,
            "grouping_labels": labels.INVOICE_GROUPING}


from . import cli, plan, routes, routes_customers, routes_io  # noqa: E402,F401  (routes register on bp)
