"""案件管理 (Project Context): customers, contacts and cases with requirements, phases and milestones.

Tables live in the ``project_context`` schema (migrations/sql/project_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")
