"""Application roles and the PostgreSQL roles they map onto.

Each logged-in user has one application role; every transaction of their requests runs under
the matching database role (``SET LOCAL ROLE``), so row level security decides what they see.
The app connects as ``ses_app``: a login role that owns nothing, holds no table privileges of
its own (NOINHERIT) and may only switch into the business roles.  Migrations run as
``ses_owner``, which owns every object.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ..core.i18n import lazy_gettext as _l
from ..core.identity import DB_ROLES, PERSONAL_DATA_ROLES  # noqa: F401  (the mapping lives there)

OWNER_ROLE = "ses_owner"
APP_LOGIN_ROLE = "ses_app"

ROLE_LABELS = {
    "admin": _l("管理者"),
    "project_manager": _l("営業・PM"),
    "engineer": _l("技術者"),
    "customer": _l("顧客"),
    "finance": _l("経理"),
    "partner": _l("パートナー企業"),
}

STAFF_ROLES = frozenset({"admin", "project_manager", "finance"})


def _role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())


def ensure_database_roles(conn: Connection, app_password: str | None = None) -> None:
    """Create the cluster-wide roles if missing and hand the database to the owner role.

    Idempotent, and it changes nothing that is already right (roles are shared by every
    database of the cluster, so several migrations may run this at once).  Needs a connection
    that may create roles (locally the cluster's superuser).
    """
    for role in DB_ROLES.values():
        if not _role_exists(conn, role):
            conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    if not _role_exists(conn, OWNER_ROLE):
        conn.execute(text(f"CREATE ROLE {OWNER_ROLE} NOLOGIN"))
    if not _role_exists(conn, APP_LOGIN_ROLE):
        conn.execute(text(f"CREATE ROLE {APP_LOGIN_ROLE} LOGIN NOINHERIT"))
    # The login role never bypasses row level security and never owns anything.
    privileged = conn.execute(text(
        "SELECT rolsuper OR rolbypassrls OR rolcreatedb OR rolcreaterole OR rolinherit"
        " FROM pg_roles WHERE rolname = :n"), {"n": APP_LOGIN_ROLE}).scalar()
    if privileged:
        conn.execute(text(f"ALTER ROLE {APP_LOGIN_ROLE} NOSUPERUSER NOBYPASSRLS NOCREATEDB"
                          " NOCREATEROLE NOINHERIT"))
    if app_password:
        statement = conn.execute(
            text(f"SELECT format('ALTER ROLE {APP_LOGIN_ROLE} PASSWORD %L', CAST(:p AS text))"),
            {"p": app_password}).scalar()
        conn.execute(text(statement))
    for role in DB_ROLES.values():
        _grant_membership(conn, role, APP_LOGIN_ROLE)
    me = conn.execute(text("SELECT current_user")).scalar()
    if me != OWNER_ROLE:
        _grant_membership(conn, OWNER_ROLE, me)
    database = conn.execute(text("SELECT current_database()")).scalar()
    conn.execute(text(f'ALTER DATABASE "{database}" OWNER TO {OWNER_ROLE}'))
    conn.execute(text(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {APP_LOGIN_ROLE}'))
    # Time zone of every session: month boundaries and business days are Japanese.
    conn.execute(text(f"ALTER DATABASE \"{database}\" SET timezone TO 'Asia/Tokyo'"))


def _grant_membership(conn: Connection, role: str, member: str) -> None:
    if not conn.execute(text("SELECT pg_has_role(:m, :r, 'MEMBER')"), {"m": member, "r": role}).scalar():
        conn.execute(text(f'GRANT {role} TO "{member}"'))
