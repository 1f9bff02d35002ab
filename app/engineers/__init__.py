"""技術者管理 (Engineer Context): the engineer pool, partner companies, skills, certifications, availability.

Tables live in the ``engineer_context`` schema (migrations/sql/engineer_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("engineers", __name__, url_prefix="/engineers")
