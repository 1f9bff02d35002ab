"""Test fixtures: a real PostgreSQL 15, started by the test run itself.

* The controlling process starts a throwaway cluster (fsync off) in a temporary folder, migrates
  a template database with ``alembic upgrade head`` -- so every run tests the migrations -- and
  removes the cluster at the end.  Each xdist worker clones the template into its own database.
* Requests run exactly as in production: real commits, under the user's database role.  After
  each test every table is emptied (and reference data restored) by ``test_support.reset()``.
* ``login_as(role)`` gives a test client with a live login session; ``client.htmx`` sends htmx
  headers; the CSRF token goes with every unsafe request, as the browser would send it.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import pgcluster  # noqa: E402

from app.config import TestConfig  # noqa: E402

TEMPLATE_DB = "ses_template"
TEST_PASSWORD = "correct-horse-battery"


# --- the cluster: started once by the controlling process ---------------------------------------

def _url(socket: str, user: str, database: str) -> str:
    return f"postgresql+psycopg://{user}@/{database}?host={socket}"


def pytest_configure(config):
    if hasattr(config, "workerinput"):      # an xdist worker: the controller did this
        return
    base = Path(tempfile.mkdtemp(prefix="ses-test-pg-"))
    socket = str(pgcluster.start(base, fast=True))
    config._ses_pg_base = base
    os.environ["SES_TEST_PG_SOCKET"] = socket
    _create_database(socket, TEMPLATE_DB)
    _migrate(socket, TEMPLATE_DB)
    _install_reset_function(socket, TEMPLATE_DB)


def pytest_configure_node(node):
    node.workerinput["ses_pg_socket"] = os.environ["SES_TEST_PG_SOCKET"]


def pytest_unconfigure(config):
    base = getattr(config, "_ses_pg_base", None)
    if base is not None:
        pgcluster.stop(base, remove=True)


def _admin_execute(socket: str, sql: str, database: str = "postgres") -> None:
    with psycopg.connect(host=socket, user="postgres", dbname=database, autocommit=True) as conn:
        conn.execute(sql)


def _create_database(socket: str, name: str, template: str | None = None) -> None:
    _admin_execute(socket, f'DROP DATABASE IF EXISTS "{name}"')
    suffix = f' TEMPLATE "{template}"' if template else ""
    _admin_execute(socket, f'CREATE DATABASE "{name}"{suffix}')


def _migrate(socket: str, database: str) -> None:
    import flask_migrate

    from app import create_app

    app = create_app(_config_for(socket, database))
    with app.app_context():
        flask_migrate.upgrade()


RESET_FUNCTION = """
CREATE SCHEMA test_support;
-- Reference data present right after migration (e.g. scoring weights) is kept and restored.
CREATE TABLE test_support.snapshot_tables (name text PRIMARY KEY, columns text NOT NULL);
DO $$
DECLARE r record; cols text;
BEGIN
    FOR r IN SELECT n.nspname AS s, c.relname AS t FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE (n.nspname LIKE '%\\_context' OR n.nspname = 'platform')
               AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', r.s, r.t) INTO STRICT cols;
        IF cols::boolean THEN
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
            FROM pg_attribute WHERE attrelid = format('%I.%I', r.s, r.t)::regclass
              AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
            EXECUTE format('CREATE TABLE test_support.%I AS SELECT %s FROM %I.%I',
                           r.s || '__' || r.t, cols, r.s, r.t);
            INSERT INTO test_support.snapshot_tables VALUES (format('%I.%I', r.s, r.t), cols);
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION test_support.reset() RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    SET LOCAL session_replication_role = replica;   -- no triggers, no FK checks
    FOR r IN SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE (n.nspname LIKE '%\\_context' OR n.nspname = 'platform')
               AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    LOOP
        EXECUTE 'DELETE FROM ' || r.t;
    END LOOP;
    FOR r IN SELECT name, columns FROM test_support.snapshot_tables LOOP
        EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM test_support.%I', r.name, r.columns,
                       r.columns, replace(replace(r.name, '"', ''), '.', '__'));
    END LOOP;
    -- the job queue (revision 0008): no job survives its test
    IF to_regclass('procrastinate.procrastinate_jobs') IS NOT NULL THEN
        DELETE FROM procrastinate.procrastinate_events;
        DELETE FROM procrastinate.procrastinate_periodic_defers;
        DELETE FROM procrastinate.procrastinate_jobs;
        DELETE FROM procrastinate.procrastinate_workers;
    END IF;
END $$;
"""


def _install_reset_function(socket: str, database: str) -> None:
    _admin_execute(socket, RESET_FUNCTION, database)


def _config_for(socket: str, database: str) -> type[TestConfig]:
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = _url(socket, "ses_app", database)
        MIGRATION_DATABASE_URL = _url(socket, "postgres", database)
        PG_SOCKET = socket
        DATABASE_NAME = database

    return Config


# --- per worker: a database of its own, one app ----------------------------------------------------

@pytest.fixture(scope="session")
def pg_socket(request) -> str:
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["ses_pg_socket"] if workerinput else os.environ["SES_TEST_PG_SOCKET"]


@pytest.fixture(scope="session")
def database_name(request, pg_socket) -> str:
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    name = f"ses_test_{worker}"
    _create_database(pg_socket, name, template=TEMPLATE_DB)
    return name


@pytest.fixture(scope="session")
def app(pg_socket, database_name):
    from app import create_app

    app = create_app(_config_for(pg_socket, database_name))
    yield app
    dispose_engines(app)


def dispose_engines(app) -> None:
    from app.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def admin_engine(pg_socket, database_name):
    """A superuser connection for set-up and inspection (bypasses row level security)."""
    engine = create_engine(_url(pg_socket, "postgres", database_name))
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(request):
    """Service-level tests get an app context (db.session); the database is reset afterwards."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    admin_engine = request.getfixturevalue("admin_engine")
    with app.app_context():
        yield
        from app.extensions import db
        db.session.rollback()
        db.session.remove()
    with admin_engine.begin() as conn:
        conn.execute(text("SELECT test_support.reset()"))


# --- acting as someone -----------------------------------------------------------------------------

@pytest.fixture
def system(app):
    """Run the test body's database work as the system administrator (like jobs and the CLI)."""
    from app.core.identity import SYSTEM, acting_as

    with acting_as(SYSTEM) as identity:
        yield identity


# --- background jobs ------------------------------------------------------------------------------

@pytest.fixture
def run_jobs(app, admin_engine):
    """Run the background jobs that are due, in this process, with a real procrastinate worker
    on the test database; ``retries=True`` first makes jobs waiting for a retry due now."""
    from app.core.jobs import jobs

    def run(queues: list[str] | None = None, *, retries: bool = False) -> None:
        if retries:
            with admin_engine.begin() as conn:
                conn.execute(text("UPDATE procrastinate.procrastinate_jobs SET scheduled_at = now()"
                                  " WHERE status = 'todo' AND scheduled_at > now()"))
        jobs.run_pending(app, queues)

    return run


# --- web clients -----------------------------------------------------------------------------------

@contextmanager
def _outside_test_app_context(inner):
    """Run ``inner`` (a context manager) with the test's app context hidden."""
    from flask.globals import _cv_app

    hidden = _cv_app.set(None)
    try:
        with inner as value:
            yield value
    finally:
        _cv_app.reset(hidden)


class Client(FlaskClient):
    """Sends the CSRF token like our pages do (``hx-headers`` on <body>) and can act as htmx."""

    csrf_token: str | None = None

    def open(self, *args, htmx: bool = False, csrf: bool = True, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if htmx:
            headers.setdefault("HX-Request", "true")
        method = (kwargs.get("method") or "GET").upper()
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers.setdefault("X-CSRFToken", self.ensure_csrf_token())
        # Each request gets its own app context, g and identity, as in production -- not the
        # test's (Flask would otherwise reuse the test's app context and its g).
        from flask.globals import _cv_app

        from app.core.identity import acting_as

        hidden = _cv_app.set(None)
        try:
            with acting_as(None):
                return super().open(*args, headers=headers, **kwargs)
        finally:
            _cv_app.reset(hidden)

    def session_transaction(self, *args, **kwargs):
        return _outside_test_app_context(super().session_transaction(*args, **kwargs))

    def set_session_values(self, **values) -> None:
        with self.session_transaction() as session:
            session.update(values)

    def ensure_csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if raw is None:
                raw = session["csrf_token"] = secrets.token_hex(20)
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)


@pytest.fixture
def client(app) -> Client:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash() -> str:
    from app.auth.services import hash_password

    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(app, admin_engine, password_hash):
    """Create a user directly in the database (fast: the password hash is computed once)."""

    def make(role: str = "admin", *, email: str | None = None, display_name: str | None = None,
             engineer_id=None, customer_id=None, partner_company_id=None, is_active: bool = True,
             locale: str = "ja") -> uuid.UUID:
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@test.example"
        with admin_engine.begin() as conn:
            return conn.execute(text(
                "INSERT INTO platform.users (email, display_name, role, engineer_id, customer_id,"
                " partner_company_id, password_hash, is_active, locale) VALUES (:e, :n, :r, :en, :cu,"
                " :pa, :h, :a, :l) RETURNING id"),
                {"e": email, "n": display_name or f"テスト {role}", "r": role, "en": engineer_id,
                 "cu": customer_id, "pa": partner_company_id, "h": password_hash, "a": is_active,
                 "l": locale}).scalar_one()

    return make


@pytest.fixture
def login_as(app, make_user):
    """A fresh client logged in as a new user of ``role`` (or as an existing user id)."""
    from app.auth.services import open_session
    from app.extensions import db

    def login(role: str = "admin", user_id: uuid.UUID | None = None, **user_fields) -> Client:
        user_id = user_id or make_user(role, **user_fields)
        token = open_session(user_id, "127.0.0.1", "pytest")
        db.session.commit()
        app.test_client_class = Client
        client = app.test_client()
        client.set_session_values(_user_id=token, _fresh=True)
        client.user_id = user_id
        return client

    return login
