"""請求・支払管理 (Billing Context): invoice runs, qualified invoices, payments, journal, exports,
payment notices to partners and the customer portal's invoices.

Tables live in the ``billing_context`` schema (migrations/sql/billing_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("billing", __name__, url_prefix="/billing")

from ..core import nav  # noqa: E402
from ..core.i18n import lazy_gettext as _l  # noqa: E402
from . import cli, jobs, models, portal, routes, routes_admin, routes_money, routes_runs  # noqa: E402,F401

FINANCE = {"finance", "admin"}
nav.register(_l("請求書"), "billing.index", FINANCE, order=600)
nav.register(_l("月次請求処理"), "billing.runs", FINANCE, order=610)
nav.register(_l("入金消込"), "billing.receivables", FINANCE, order=620)
nav.register(_l("支払通知書"), "billing.purchases", FINANCE, order=630)
nav.register(_l("会計連携"), "billing.exports", FINANCE, order=640)
nav.register(_l("請求元設定"), "billing.settings", FINANCE, order=650)
nav.register(_l("請求書"), "billing.portal", {"customer"}, order=600)
nav.register(_l("支払通知書"), "billing.partner_portal", {"partner"}, order=600)
