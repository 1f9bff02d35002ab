"""技術者管理 (Engineer Context): the engineer pool, partner companies, skills, certifications,
availability and work history; the anonymised skill sheet.

Tables live in the ``engineer_context`` schema (migrations/sql/engineer_context_ddl.sql).
"""

from flask import Blueprint

from ..core.i18n import lazy_gettext as _l
from ..core.nav import register

bp = Blueprint("engineers", __name__, url_prefix="/engineers")

register(_l("技術者"), "engineers.index", {"admin", "project_manager"}, order=20)
register(_l("パートナー企業"), "engineers.partners", {"admin", "project_manager"}, order=45)
register(_l("マイプロフィール"), "engineers.me", {"engineer"}, order=90)


@bp.context_processor
def _labels():
    from ..projects import labels as sales
    from . import labels

    return {"employment_labels": labels.EMPLOYMENT_TYPE, "availability_labels": labels.AVAILABILITY,
            "availability_badge": labels.AVAILABILITY_BADGE, "style_labels": labels.WORK_STYLE_PREFERENCE,
            "category_labels": labels.SKILL_CATEGORY, "level_labels": labels.SKILL_LEVEL,
            "source_labels": labels.AVAILABILITY_SOURCE, "japanese_labels": sales.JAPANESE_LEVEL,
            "sales_role_labels": sales.ROLES, "phase_labels": sales.PHASE_TYPE,
            "holiday_labels": sales.HOLIDAY_RULE}


from . import cli, handlers, records, routes, routes_io, routes_partners  # noqa: E402,F401  (routes and handlers register)
