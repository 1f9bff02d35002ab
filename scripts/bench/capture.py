#!/usr/bin/env python3
"""Capture the SQL of every benchmark scenario and EXPLAIN ANALYZE it on the large dataset.

    DATABASE_URL=... MIGRATION_DATABASE_URL=... .venv/bin/python scripts/bench/capture.py [--out DIR]

For each scenario: open a session as its user (``sessions.py``), request the page in-process
once, then again while recording every statement, then run each SELECT again under
``EXPLAIN (ANALYZE, BUFFERS)`` in the same identity (SET LOCAL ROLE + settings).  Writes
``DIR/queries.json`` (replayed by the reference endpoints of ``bench_app.py``) and prints, per
query, the execution time and any sequential scan of a table over 10,000 rows.  ``--markdown FILE`` writes the evidence (plans included) for the docs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

from scenarios import SCENARIOS  # noqa: E402
from sessions import client_for  # noqa: E402

BIG_TABLE = 10_000


def resolve(client, scenario) -> str | None:
    path = scenario.path
    if "{timesheet}" in path:
        response = client.get("/timesheets/mine")
        if response.status_code not in (302, 303):
            return None
        sheet = response.headers["Location"].split("#")[0].split("?")[0]
        path = path.replace("{timesheet}", sheet)
    if "{day}" in path:
        from datetime import date, timedelta
        day = date.today() - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        if day.month != date.today().month:
            day = date.today()
        path = path.replace("{day}", day.isoformat())
    return path


def capture(app, scenario, client) -> dict | None:
    from sqlalchemy import event

    from app.extensions import db

    path = resolve(client, scenario)
    if path is None:
        return None
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    headers = {"HX-Request": "true"} if scenario.partial else {}
    headers["X-CSRFToken"] = client.csrf
    # The page once unrecorded: what a running server has already learnt (which tables a role
    # is granted, app/core/grants.py) is not part of every request.
    client.open(path, method=scenario.method, headers=headers, data=dict(scenario.form))
    event.listen(engine, "before_cursor_execute", record)
    started = time.perf_counter()
    try:
        response = client.open(path, method=scenario.method, headers=headers, data=dict(scenario.form))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 400 or response.status_code == 404:
        print(f"  {scenario.name}: {path} -> {response.status_code}, skipped")
        return None
    return {"name": scenario.name, "path": path, "status": response.status_code, "ms": round(elapsed, 1),
            "raw": statements, "statements": [[s, encode(p)] for s, p in statements]}


def encode(value):
    """Parameters as JSON that ``bench_app.decode`` turns back into the same Python values."""
    import datetime as dt
    import decimal
    import uuid

    from psycopg.types.json import Json, Jsonb

    if isinstance(value, Json | Jsonb):
        return {"$jsonb": value.obj}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    for kind, tag in ((uuid.UUID, "$uuid"), (dt.datetime, "$datetime"), (dt.date, "$date"), (dt.time, "$time"),
                      (decimal.Decimal, "$decimal"), (dt.timedelta, "$seconds")):
        if isinstance(value, kind):
            return {tag: value.total_seconds() if tag == "$seconds" else
                    (value.isoformat() if hasattr(value, "isoformat") else str(value))}
    return value


def explain(app, email: str, statements: list, repeat: int = 1) -> list[dict]:
    """EXPLAIN ANALYZE each SELECT as the scenario's user (through the app's own identity hook),
    ``repeat`` times: the times reported are the medians (a shared machine's noise)."""

    from app.core.identity import Identity, acting_as
    from app.extensions import db

    results = []
    with app.app_context():
        user = _user(db, email)
        identity = Identity(user["role"], user["id"], engineer_id=user["engineer_id"],
                            customer_id=user["customer_id"], partner_company_id=user["partner_company_id"])
        db.session.rollback()
        for sql, params in statements:
            head = sql.lstrip().upper()
            if not (head.startswith("SELECT") or head.startswith("WITH")) or "SET_CONFIG(" in head \
                    or "PLATFORM.RESOLVE_SESSION" in head or "LOGIN_LOOKUP" in head:
                continue
            with acting_as(identity):
                connection = db.session.connection()
                try:
                    plans = [connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql,
                                                        params or {}).all()[0][0][0] for _ in range(repeat)]
                except Exception as error:   # run by the page under another identity (e.g. the system)
                    db.session.rollback()
                    print(f"    not explained as the user ({type(error.orig).__name__}): {' '.join(sql.split())[:80]}")
                    continue
                plan = plans[-1]
                text_plan = "\n".join(r[0] for r in connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql, params or {}).all())
                big = _big_seq_scans(connection, plan["Plan"])
                db.session.rollback()
            results.append({"sql": sql, "ms": median(p["Execution Time"] for p in plans),
                            "planning_ms": median(p["Planning Time"] for p in plans),
                            "seq_scans": big, "plan": text_plan})
    return results


def _user(db, email: str) -> dict:
    from sqlalchemy import text

    from app.core.identity import SYSTEM, acting_as
    db.session.rollback()
    with acting_as(SYSTEM):
        row = db.session.execute(text(
            "SELECT id, role, engineer_id, customer_id, partner_company_id FROM platform.users WHERE email = :e"),
            {"e": email}).mappings().one()
        db.session.rollback()
    return dict(row)


def _big_seq_scans(connection, node: dict) -> list[str]:
    found = []
    if node.get("Node Type") == "Seq Scan":
        relation = node["Relation Name"]
        rows = connection.exec_driver_sql(
            "SELECT max(reltuples) FROM pg_class WHERE relname = %(r)s", {"r": relation}).scalar() or 0
        if rows > BIG_TABLE:
            found.append(f"{relation} ({int(rows):,} rows)")
    for child in node.get("Plans", []):
        found.extend(_big_seq_scans(connection, child))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "instance" / "bench")
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--repeat", type=int, default=5, help="EXPLAIN ANALYZE runs per query (median)")
    args = parser.parse_args()
    from app import create_app
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = True
    captured, evidence = [], []
    for scenario in SCENARIOS:
        email = f"{scenario.user}@large.ses.example"
        record = capture(app, scenario, client_for(app, email))
        if record is None:
            continue
        record["user"] = email
        captured.append(record)
        queries = explain(app, email, record.pop("raw"), args.repeat)
        evidence.append((record, queries))
        worst = max((q["ms"] for q in queries), default=0)
        scans = sorted({s for q in queries for s in q["seq_scans"]})
        print(f"  {scenario.name}: {len(record['statements'])} statements, {len(queries)} SELECTs,"
              f" slowest {worst:.2f} ms, seq scans on big tables: {', '.join(scans) or 'none'}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "queries.json").write_text(json.dumps(captured, ensure_ascii=False, indent=1))
    if args.markdown:
        args.markdown.write_text(_markdown(evidence, args.repeat))
    return 0


def _markdown(evidence, repeat: int) -> str:
    lines = ["# EXPLAIN evidence: the main pages' queries on the large dataset", "",
             "Generated by `scripts/bench/capture.py --markdown docs/performance-explain.md` (see "
             "docs/performance.md for the machine and the dataset).  Each SELECT a page runs, executed "
             "under `EXPLAIN (ANALYZE, BUFFERS)` as the page's user (SET LOCAL ROLE + the RLS settings), "
             f"{repeat} times: the times are the medians, the plan is the last run's.", ""]
    for record, queries in evidence:
        lines += [f"## {record['name']} — `{record['path']}` as {record['user']}", "",
                  "| # | execution ms | planning ms | sequential scans of tables > 10,000 rows | query |",
                  "|---|---:|---:|---|---|"]
        for n, q in enumerate(queries, start=1):
            sql = " ".join(q["sql"].split())[:110].replace("|", "\\|")
            lines.append(f"| {n} | {q['ms']:.3f} | {q['planning_ms']:.3f} | {', '.join(q['seq_scans']) or '—'} | `{sql}…` |")
        slowest = max(queries, key=lambda q: q["ms"], default=None)
        if slowest:
            lines += ["", "Plan of the slowest query:", "", "```", slowest["plan"], "```", ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
