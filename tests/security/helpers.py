"""What the security tests share: the logged-in clients of every role, URLs for any route, and
a fingerprint of the database to prove a refused request wrote nothing."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from app import create_app
from app.config import TestConfig
from tests.world import build_world

from .access import ANONYMOUS, ROLES

# The routes, read once at collection time (no database is touched to build the map).
ROUTE_APP = create_app(TestConfig)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# A record nobody can see: detail pages answer 404 for it.
UNKNOWN_ID = uuid.UUID("00000000-0000-4000-8000-00000000dead")
# Tables written by reading pages (sessions touched, failed logins kept on purpose).
BOOKKEEPING = {"platform.user_sessions", "platform.login_attempts"}


def routes(methods: tuple[str, ...]) -> list:
    """(endpoint, werkzeug rule, method) for every route answering one of ``methods``."""
    found = []
    for rule in ROUTE_APP.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(set(rule.methods) & set(methods)):
            found.append((rule.endpoint, rule, method))
    return sorted(found, key=lambda r: (r[0], r[1].rule, r[2]))


def has_uuid(rule) -> bool:
    return any(type(c).__name__ == "UUIDConverter" for c in rule._converters.values())


def url_for_rule(rule, values: dict) -> str:
    args = {}
    for name in rule.arguments:
        if name in values:
            args[name] = values[name]
            continue
        converter = rule._converters[name]
        if type(converter).__name__ == "AnyConverter":
            args[name] = sorted(converter.items)[0]
        else:
            args[name] = {"UUIDConverter": UNKNOWN_ID, "IntegerConverter": 1,
                          "FloatConverter": 1.0}.get(type(converter).__name__, "x")
    return rule.build(args, append_unknown=False)[1]


WORLD_USERS = {"admin": "admin", "project_manager": "pm1", "engineer": "user_e1", "customer": "user_c1",
               "finance": "finance", "partner": "user_bp1"}


def clients_for_every_role(app, admin_engine, password_hash, login_as, client):
    """{role or 'anonymous': client}, the logged-in ones being users of ``tests.world``."""
    with admin_engine.begin() as conn:
        world = build_world(conn, password_hash)
    clients = {role: login_as(role, user_id=getattr(world, WORLD_USERS[role])) for role in ROLES}
    clients[ANONYMOUS] = client
    return world, clients


_FINGERPRINT_SQL: dict[str, str] = {}


def _fingerprint_sql(conn) -> str:
    """One statement probing every table (built once per database: the tables do not change)."""
    key = str(conn.engine.url)
    if key not in _FINGERPRINT_SQL:
        tables = conn.execute(text(
            "SELECT format('%I.%I', n.nspname, c.relname),"
            " bool_or(a.attname = 'updated_at'), bool_or(a.attname = 'version') FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            " WHERE (n.nspname LIKE '%\\_context' OR n.nspname IN ('platform', 'procrastinate'))"
            " AND c.relkind IN ('r', 'p') AND NOT c.relispartition GROUP BY 1 ORDER BY 1")).all()
        probes = [f"SELECT '{t}', count(*), {'max(updated_at)::text' if u else 'NULL'},"
                  f" {'sum(version)' if v else 'NULL'} FROM {t}"
                  for t, u, v in tables if t not in BOOKKEEPING]
        _FINGERPRINT_SQL[key] = " UNION ALL ".join(probes)
    return _FINGERPRINT_SQL[key]


def fingerprint(admin_engine) -> dict[str, tuple]:
    """Rows, last change and version sum of every table: equal before and after means nothing
    was written."""
    with admin_engine.connect() as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(text(_fingerprint_sql(conn)))}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in after if before.get(t) != after[t])
