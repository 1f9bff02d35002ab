"""The application as production serves it, plus benchmark-only reference endpoints.

    gunicorn --config scripts/gunicorn.conf.py --chdir scripts/bench bench_app:app

Never registered by ``wsgi.py``: this module exists only for the benchmarks.  For each scenario
captured by ``capture.py`` (``instance/bench/queries.json``):

* ``GET /__bench/ref/<n>``: the same SQL statements as the page, replayed in the same order on a
  pooled connection, in one transaction as the page, under the same role switch (SET LOCAL ROLE and the
  RLS settings of the page's user) -- no ORM, no template, no session lookup in Python;
* ``GET /__bench/owner/<n>``: the same statements as the tables' owner (``SET LOCAL ROLE ses_owner``,
  whose policy is ``USING (true)``) on a connection of the migration role, the session lookup
  included -- RLS reduced to nothing;
* ``GET /__bench/bare``: one ``SELECT 1`` round trip, the floor of the stack.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flask import Blueprint, Response, abort, current_app  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import csrf, db  # noqa: E402

QUERIES = Path(os.environ.get("SES_BENCH_QUERIES", ROOT / "instance" / "bench" / "queries.json"))
bench = Blueprint("bench", __name__, url_prefix="/__bench")


def decode(value):
    """The parameters ``capture.encode`` wrote, as the values the page passed."""
    import datetime as dt
    import decimal
    import uuid

    from psycopg.types.json import Jsonb

    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        tags = {"$uuid": uuid.UUID, "$datetime": dt.datetime.fromisoformat, "$date": dt.date.fromisoformat,
                "$time": dt.time.fromisoformat, "$decimal": decimal.Decimal,
                "$seconds": lambda s: dt.timedelta(seconds=s), "$jsonb": Jsonb}
        if len(value) == 1 and next(iter(value)) in tags:
            tag, raw = next(iter(value.items()))
            return tags[tag](raw)
        return {k: decode(v) for k, v in value.items()}
    return value


_scenarios: list[dict] = [dict(s, statements=[[sql, decode(p)] for sql, p in s["statements"]])
                          for s in (json.loads(QUERIES.read_text()) if QUERIES.exists() else [])]
_owner_engine = None


def _owner():
    global _owner_engine
    if _owner_engine is None:
        _owner_engine = create_engine(current_app.config["MIGRATION_DATABASE_URL"], pool_size=10,
                                      max_overflow=20, pool_pre_ping=True)
    return _owner_engine


def _replay(connection, statements: list, as_owner: bool) -> int:
    """Run the page's statements in one transaction, as the page does (its session lookup
    included, so the owner variant differs from the reference only by the role and its
    policies); returns the rows read."""
    rows = 0
    cursor = connection.cursor()
    for sql, params in statements:
        if as_owner and sql.startswith("SELECT set_config('role'"):
            params = dict(params, role="ses_owner")       # same settings, the owner's role
        elif as_owner and "db_roles" in (params or {}):     # the session lookup that switches role
            params = dict(params, db_roles=json.dumps(dict.fromkeys(json.loads(params["db_roles"]), "ses_owner")))
        cursor.execute(sql, params or None)
        if cursor.description is not None:
            rows += len(cursor.fetchall())
    connection.commit()
    return rows


def _run(n: int, as_owner: bool) -> Response:
    if not 0 <= n < len(_scenarios):
        abort(404)
    engine = _owner() if as_owner else db.engine
    connection = engine.raw_connection()
    try:
        rows = _replay(connection, _scenarios[n]["statements"], as_owner)
    finally:
        connection.close()
    return Response(f"{rows}\n", mimetype="text/plain")


@bench.get("/ref/<int:n>")
def reference(n: int):
    return _run(n, as_owner=False)


@bench.get("/owner/<int:n>")
def owner(n: int):
    return _run(n, as_owner=True)


@bench.get("/bare")
def bare():
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchall()
        connection.commit()
    finally:
        connection.close()
    return Response("1\n", mimetype="text/plain")


@bench.get("/scenarios")
def scenarios():
    return {str(n): {"name": s["name"], "path": s["path"], "user": s["user"]} for n, s in enumerate(_scenarios)}


def create_bench_app():
    application = create_app()
    csrf.exempt(bench)
    application.register_blueprint(bench)
    return application


app = create_bench_app()
