"""Bulk loading with COPY, and the checks that replace the triggers COPY skips.

The loader connects with the migration role and runs with ``session_replication_role =
replica``: no trigger fires (no per-row cross-context lookup, no outbox job per row), while
CHECK, NOT NULL, unique and exclusion constraints still hold.  What the skipped triggers would
have checked is verified afterwards, set-based, by :func:`verify_references`, which reads the
references to check from the catalog (the arguments of every ``validate_cross_context_references``
trigger and every foreign key), so a column another context adds is covered without changes here.

COPY FROM refuses a table under row level security unless the role bypasses it, hence the
superuser / BYPASSRLS requirement.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import psycopg

PROGRESS_EVERY = 250_000


class ScaleError(RuntimeError):
    """The large dataset cannot be (or was not) loaded correctly."""


class Loader:
    """One transaction on one connection; COPY into tables whose columns are read from the
    catalog, so a column the generator does not know (added later, nullable or defaulted) is
    simply left to its default."""

    def __init__(self, conn: psycopg.Connection, echo=print):
        self.conn = conn
        self.echo = echo
        self._columns: dict[str, dict[str, bool]] = {}
        self.counts: dict[str, int] = {}

    def check_role(self) -> None:
        bypasses = self.conn.execute(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        if not bypasses:
            raise ScaleError("the large dataset is loaded with COPY, which needs a superuser or"
                             " BYPASSRLS role: set MIGRATION_DATABASE_URL to such a role")
        self.conn.execute("SET LOCAL session_replication_role = replica")

    def columns(self, table: str) -> dict[str, bool]:
        """Column name -> whether the generator must fill it (NOT NULL, no default)."""
        if table not in self._columns:
            rows = self.conn.execute(
                "SELECT attname, attnotnull AND NOT atthasdef AND attgenerated = '' AND attidentity = ''"
                " FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
                " AND attgenerated = ''", (table,)).fetchall()
            if not rows:
                raise ScaleError(f"table {table} does not exist")
            self._columns[table] = dict(rows)
        return self._columns[table]

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        """COPY ``rows`` (tuples in the order of ``columns``) into ``table``; returns the count."""
        present = self.columns(table)
        missing = sorted(c for c, required in present.items() if required and c not in columns)
        if missing:
            raise ScaleError(f"{table}: the generator does not fill the required column(s) {missing}")
        keep = [i for i, c in enumerate(columns) if c in present]
        names = ", ".join(f'"{columns[i]}"' for i in keep)
        project = len(keep) != len(columns)
        started, count = time.perf_counter(), 0
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[i] for i in keep] if project else row)
                count += 1
                if count % PROGRESS_EVERY == 0:
                    self.echo(f"    {table}: {count:,} rows ...")
        self.counts[table] = self.counts.get(table, 0) + count
        self.echo(f"  {table}: {count:,} rows ({time.perf_counter() - started:.1f} s)")
        return count

    def scalar(self, sql: str, params: Sequence | dict | None = None):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None


# --- what the skipped triggers would have checked ------------------------------------------------

_REFERENCE_TRIGGERS = """
SELECT n.nspname, c.relname, t.tgargs
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE p.proname = 'validate_cross_context_references' AND NOT t.tgisinternal AND NOT c.relispartition
"""

_FOREIGN_KEYS = """
SELECT con.conrelid::regclass::text, con.confrelid::regclass::text,
       array_agg(a.attname ORDER BY k.i), array_agg(fa.attname ORDER BY k.i)
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid AND NOT c.relispartition
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, i)
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum
WHERE con.contype = 'f' AND (n.nspname LIKE '%%\\_context' OR n.nspname = 'platform')
  AND con.conparentid = 0
GROUP BY con.oid, con.conrelid, con.confrelid
"""


def _trigger_arguments(raw: bytes) -> list[str]:
    return [a.decode() for a in raw.split(b"\x00") if a]


def broken_references(conn: psycopg.Connection) -> list[str]:
    """Every cross-context reference and foreign key that points nowhere, as messages."""
    problems = []
    for schema, table, raw in conn.execute(_REFERENCE_TRIGGERS).fetchall():
        args = _trigger_arguments(raw)
        for column, target_schema, target_table in zip(args[::3], args[1::3], args[2::3], strict=True):
            bad = conn.execute(
                f'SELECT count(*) FROM {schema}.{table} s WHERE s."{column}" IS NOT NULL AND NOT EXISTS'
                f' (SELECT 1 FROM {target_schema}.{target_table} t WHERE t.id = s."{column}"'
                f' AND t.deleted_at IS NULL)').fetchone()[0]
            if bad:
                problems.append(f"{schema}.{table}.{column} -> {target_schema}.{target_table}: {bad} missing")
    for table, target, columns, target_columns in conn.execute(_FOREIGN_KEYS).fetchall():
        if table.split(".")[0] in ("procrastinate",):
            continue
        match = " AND ".join(f't."{f}" = s."{c}"' for c, f in zip(columns, target_columns, strict=True))
        present = " AND ".join(f's."{c}" IS NOT NULL' for c in columns)
        bad = conn.execute(f"SELECT count(*) FROM {table} s WHERE {present} AND NOT EXISTS"
                           f" (SELECT 1 FROM {target} t WHERE {match})").fetchone()[0]
        if bad:
            problems.append(f"{table}({', '.join(columns)}) -> {target}: {bad} missing")
    return problems
