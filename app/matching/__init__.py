"""マッチング管理 (Matching Context): requests, ranked candidates with explainable scores, the proposal pipeline.

Tables live in the ``matching_context`` schema (migrations/sql/matching_context_ddl.sql).
"""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")
