"""The database-level access matrix: every table x every role x SELECT/INSERT/UPDATE/DELETE,
against tests/security/tables.py; and the catalog facts row level security relies on."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from .access import ROLES
from .tables import TABLES

DB_ROLE = {"admin": "ses_admin_role", "project_manager": "ses_project_manager_role",
           "engineer": "ses_engineer_role", "customer": "ses_customer_role", "finance": "ses_finance_role",
           "partner": "ses_partner_role"}
OPERATIONS = {"S": "SELECT", "I": "INSERT", "U": "UPDATE", "D": "DELETE"}
POLICY_COMMAND = {"S": "r", "I": "a", "U": "w", "D": "d"}
SECURED = "(n.nspname LIKE '%\\_context' OR n.nspname = 'platform')"

TABLES_SQL = f"""
SELECT c.oid, format('%I.%I', n.nspname, c.relname), n.nspname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {SECURED} AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 2"""


def _tables(conn) -> list[tuple]:
    return conn.execute(text(TABLES_SQL)).all()


def test_every_table_is_declared(app, admin_engine):
    with admin_engine.connect() as conn:
        names = {name for _, name, _ in _tables(conn)}
    assert not sorted(names - set(TABLES)), "declare these tables in tests/security/tables.py"
    assert not sorted(set(TABLES) - names), "declared tables that no longer exist"


def _privileged(conn, role: str, oid: int, schema: str, letter: str) -> bool:
    check = ("has_table_privilege(:r, CAST(:o AS oid), 'DELETE')" if letter == "D"
             else f"has_any_column_privilege(:r, CAST(:o AS oid), '{OPERATIONS[letter]}')")
    return conn.execute(text(f"SELECT has_schema_privilege(:r, :s, 'USAGE') AND {check}"),
                        {"r": role, "o": oid, "s": schema}).scalar()


def _has_policy(conn, role: str, oid: int, letter: str) -> bool:
    return conn.execute(text(
        "SELECT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = CAST(:o AS oid) AND p.polpermissive"
        " AND p.polcmd IN ('*', CAST(:c AS \"char\"))"
        " AND (CAST(CAST(:r AS regrole) AS oid) = ANY (p.polroles) OR 0 = ANY (p.polroles)))"),
        {"o": oid, "c": POLICY_COMMAND[letter], "r": role}).scalar()


def test_what_each_role_may_do_to_each_table(app, admin_engine):
    mismatches = []
    with admin_engine.connect() as conn:
        for oid, name, schema in _tables(conn):
            for role in ROLES:
                actual = "".join(letter for letter in "SIUD"
                                 if _privileged(conn, DB_ROLE[role], oid, schema, letter)
                                 and _has_policy(conn, DB_ROLE[role], oid, letter))
                declared = TABLES.get(name, {}).get(role, "")
                if actual != declared:
                    mismatches.append(f"{name} {role}: database allows {actual or '-'}, declared {declared or '-'}")
    assert not mismatches, "\n".join(mismatches)


def _statement(conn, table: str, letter: str, role: str) -> str:
    """A statement that touches no row but needs the privilege (a column the role holds it on)."""
    operation = OPERATIONS[letter]
    column = conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " AND attgenerated = '' ORDER BY has_column_privilege(%s, attrelid, attnum, %s) DESC, attnum LIMIT 1",
        (table, role, "SELECT" if letter == "D" else operation)).fetchone()[0]
    return {"S": f'SELECT "{column}" FROM {table} LIMIT 0',
            "I": f'INSERT INTO {table} ("{column}") SELECT NULL WHERE false',
            "U": f'UPDATE {table} SET "{column}" = "{column}" WHERE false',
            "D": f"DELETE FROM {table} WHERE false"}[letter]


@pytest.mark.parametrize("role", ROLES)
def test_refused_statements_are_refused_by_postgresql(role, app, pg_socket, database_name):
    """Executed as the role: what it holds no privilege for fails with 'permission denied'."""
    wrong = []
    with psycopg.connect(host=pg_socket, user="postgres", dbname=database_name) as conn:
        for table, declared in sorted(TABLES.items()):
            allowed = declared.get(role, "")
            for letter in "SIUD":
                sql = _statement(conn, table, letter, DB_ROLE[role])
                conn.execute("SAVEPOINT probe")
                conn.execute(f"SET LOCAL ROLE {DB_ROLE[role]}")
                try:
                    conn.execute(sql)
                    refused = False
                except psycopg.errors.InsufficientPrivilege:
                    refused = True
                conn.execute("ROLLBACK TO SAVEPOINT probe")
                if refused and letter in allowed:
                    wrong.append(f"{table} {letter}: refused but declared allowed")
                if not refused and letter not in allowed and not _no_policy(conn, table, letter, role):
                    wrong.append(f"{table} {letter}: accepted but declared refused")
        conn.rollback()
    assert not wrong, "\n".join(wrong)


def _no_policy(conn, table: str, letter: str, role: str) -> bool:
    """Privilege without a policy: the statement runs but can never touch a row."""
    return not conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = %s::regclass AND p.polpermissive"
        " AND p.polcmd IN ('*', %s::\"char\") AND (%s::regrole::oid = ANY (p.polroles) OR 0 = ANY (p.polroles)))",
        (table, POLICY_COMMAND[letter], DB_ROLE[role])).fetchone()[0]


def test_every_table_has_row_level_security_enabled_forced_and_a_policy(app, admin_engine):
    with admin_engine.connect() as conn:
        loose = conn.execute(text(f"""
            SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {SECURED} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                       AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))""")).scalars().all()
    assert not loose


def test_partitions_are_reachable_only_through_their_parent(app, admin_engine):
    with admin_engine.connect() as conn:
        granted = conn.execute(text(f"""
            SELECT format('%I.%I', n.nspname, c.relname), r.rolname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN pg_roles r
            WHERE {SECURED} AND c.relispartition AND (r.rolname LIKE 'ses\\_%\\_role' OR r.rolname = 'ses_app')
              AND (has_table_privilege(r.oid, c.oid, 'SELECT') OR has_table_privilege(r.oid, c.oid, 'INSERT')
                   OR has_table_privilege(r.oid, c.oid, 'UPDATE') OR has_table_privilege(r.oid, c.oid, 'DELETE'))
        """)).all()
    assert not granted


def test_the_login_role_is_powerless(app, admin_engine):
    with admin_engine.connect() as conn:
        login = conn.execute(text(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'ses_app'")).one()
        assert tuple(login) == (False, False, False, False)
        owned = conn.execute(text(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
            " WHERE r.rolname = 'ses_app' OR r.rolname LIKE 'ses\\_%\\_role'")).scalar()
        assert owned == 0
        business = conn.execute(text(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'ses\\_%\\_role'"
            " AND (rolsuper OR rolbypassrls OR rolcanlogin)")).scalars().all()
        assert business == []
        # ses_app can switch to each business role (SET LOCAL ROLE), nothing more
        memberships = set(conn.execute(text(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
            " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'ses_app'")).scalars())
        assert memberships == set(DB_ROLE.values())


def test_security_definer_functions_pin_their_search_path(app, admin_engine):
    with admin_engine.connect() as conn:
        unpinned = conn.execute(text(f"""
            SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND ({SECURED} OR n.nspname = 'public')
              AND NOT coalesce(p.proconfig::text LIKE '%search_path=%', false)""")).scalars().all()
    assert not unpinned
