"""請求・支払管理 (Billing Context): invoice runs, qualified invoices, payments, journal, exports,
payment notices to partners and the customer portal's invoices.

Tables live in the ``billing_context`` schema (migrations/sql/billing_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("billing", __name__, url_prefix="/billing")

from . import cli, models  # noqa: E402,F401
