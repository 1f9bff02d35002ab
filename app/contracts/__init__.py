"""契約管理 (Contract Context): templates, contracts with settlement terms, amendments, e-signatures.

Tables live in the ``contract_context`` schema (migrations/sql/contract_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

from . import models  # noqa: E402,F401
