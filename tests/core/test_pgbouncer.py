"""Behind PgBouncer in transaction mode (docs/performance.md, section 7): every transaction
brings its own identity, so users whose requests share one server connection still see only
their own rows, and nothing of one user's role or settings is left for the next transaction.

PgBouncer here keeps a single server connection per user, so every client's transactions take
turns on the same PostgreSQL backend; statements are not prepared on the server
(``SES_DB_PREPARE_THRESHOLD=off``: PgBouncer 1.18, Debian's, does not track them)."""

from __future__ import annotations

import socket
import uuid

import pgbouncer
import pytest
from sqlalchemy import text

from app import create_app
from app.config import TestConfig
from app.core.identity import SYSTEM, Identity, acting_as, apply_identity
from app.extensions import db
from tests.conftest import Client, dispose_engines
from tests.projects import factories as make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def bounced_app(app, tmp_path_factory):
    """The application with its database connections going through PgBouncer."""
    port = _free_port()
    database = app.config["DATABASE_NAME"]
    process = pgbouncer.run(tmp_path_factory.mktemp("pgbouncer"), app.config["PG_SOCKET"], database, port)
    options = {**TestConfig.SQLALCHEMY_ENGINE_OPTIONS,
               "connect_args": {"application_name": "ses-test-bounced", "prepare_threshold": None}}
    config = type("BouncedConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://ses_app@127.0.0.1:{port}/{database}",
        "SQLALCHEMY_ENGINE_OPTIONS": options, "MIGRATION_DATABASE_URL": app.config["MIGRATION_DATABASE_URL"],
        "PG_SOCKET": app.config["PG_SOCKET"], "DATABASE_NAME": database})
    bounced = create_app(config)
    bounced.test_client_class = Client
    yield bounced
    dispose_engines(bounced)
    pgbouncer.stop(process)


def _client(bounced_app, login_as, role):
    """A client of the bounced application with a live login session of a new user."""
    direct = login_as(role)
    client = bounced_app.test_client()
    with direct.session_transaction() as session:
        values = dict(session)
    client.set_session_values(**values)
    client.user_id = direct.user_id
    return client


def test_users_sharing_one_server_connection_see_only_their_own_rows(bounced_app, login_as):
    first, second = (_client(bounced_app, login_as, "project_manager") for _ in range(2))
    with acting_as(SYSTEM):
        customer = make.customer()
        for client, title in ((first, "一人目の案件"), (second, "二人目の案件")):
            make.project(customer.id, manager_id=client.user_id, title=title)
        db.session.commit()
    # Row level security alone tells the two managers' cases apart; more rounds than psycopg's
    # default threshold for preparing a statement on the server.
    for _ in range(8):
        for client, own, other in ((first, "一人目の案件", "二人目の案件"), (second, "二人目の案件", "一人目の案件")):
            page = client.get("/projects/")
            assert page.status_code == 200
            assert own in page.text and other not in page.text and "1件中 1–1件" in page.text


def test_no_role_or_setting_outlives_its_transaction_on_the_shared_connection(bounced_app):
    customer = Identity(role="customer", user_id=uuid.uuid4(), customer_id=uuid.uuid4())
    probe = text("SELECT pg_backend_pid(), current_user, current_setting('app.current_user_id', true),"
                 " current_setting('app.current_customer_id', true)")
    with bounced_app.app_context(), db.engine.connect() as one, db.engine.connect() as two:
        with one.begin():                                  # one client's transaction, as the app runs it
            apply_identity(one, customer)
            first = one.execute(probe).one()
        with two.begin():                                  # the next client's, with no identity of its own
            after = two.execute(probe).one()
    assert first[1:] == ("ses_customer_role", str(customer.user_id), str(customer.customer_id))
    assert after[0] == first[0], "PgBouncer should have handed the same server connection on"
    assert after[1] == "ses_app" and not after[2] and not after[3]
