"""契約管理 (Contract Context): templates, contracts with settlement terms, amendments, e-signatures.

Tables live in the ``contract_context`` schema (migrations/sql/contract_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

from ..core import nav  # noqa: E402
from ..core.i18n import lazy_gettext as _l  # noqa: E402
from . import actions, cli, jobs, models, portal, routes  # noqa: E402,F401

nav.register(_l("契約"), "contracts.index", {"admin", "project_manager", "finance"}, order=40)
nav.register(_l("契約・電子署名"), "contracts.portal", {"customer", "partner"}, order=20)
nav.register(_l("契約書テンプレート"), "contracts.templates", {"admin"}, order=800)

from . import labels as _labels  # noqa: E402

bp.add_app_template_global(_labels, "contract_labels")
