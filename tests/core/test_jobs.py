"""Background jobs: deferred inside the caller's transaction, run by a real procrastinate worker
in this process, in an app context, as the identity they were deferred with."""

from __future__ import annotations

import pytest
from procrastinate import RetryStrategy
from sqlalchemy import text

from app.core.identity import SYSTEM, Identity, acting_as, current_identity
from app.core.jobs import JobRefused, current_job, jobs
from app.extensions import db

SEEN: list[dict] = []


@jobs.task(name="tests.whoami", queue="tests")
def whoami(note: str) -> None:
    identity = current_identity()
    db_role, user_id = db.session.execute(text(
        "SELECT current_user, platform.current_user_id()")).one()
    SEEN.append({"note": note, "role": identity.role, "user_id": identity.user_id,
                 "db_role": db_role, "db_user": user_id, "attempt": current_job().attempt})


@jobs.task(name="tests.flaky", queue="tests", retry=RetryStrategy(max_attempts=2, wait=60))
def flaky() -> None:
    info = current_job()
    SEEN.append({"attempt": info.attempt, "last": info.is_last_attempt})
    # the write is rolled back with the failure; only the last attempt's survives
    db.session.execute(text("INSERT INTO platform.company_closures (closure_date, name)"
                            " VALUES ('2026-08-14', :n)"), {"n": f"attempt {info.attempt}"})
    if info.attempt < 2:
        raise RuntimeError("transient")


@pytest.fixture(autouse=True)
def _clear():
    SEEN.clear()


def _job_rows(admin_engine):
    with admin_engine.connect() as conn:
        return conn.execute(text(
            "SELECT task_name, status, args FROM procrastinate.procrastinate_jobs ORDER BY id")).all()


def test_a_job_deferred_in_a_rolled_back_transaction_never_exists(system, admin_engine):
    whoami.defer(note="x")
    db.session.rollback()
    assert _job_rows(admin_engine) == []


def test_a_job_runs_as_system_by_default(system, run_jobs):
    whoami.defer(note="system")
    db.session.commit()
    run_jobs(["tests"])
    assert SEEN == [{"note": "system", "role": "admin", "user_id": None,
                     "db_role": "ses_admin_role", "db_user": None, "attempt": 1}]


def test_a_job_runs_as_the_user_it_was_deferred_for(app, make_user, run_jobs, admin_engine):
    finance = make_user("finance")
    with acting_as(Identity("finance", finance)):
        whoami.defer(note="mine", identity=Identity("finance", finance))
        db.session.commit()
    (row,) = _job_rows(admin_engine)
    assert row.args["_identity"] == {"role": "finance", "user_id": str(finance),
                                     "display_name": "", "locale": "ja"}
    run_jobs(["tests"])
    (seen,) = SEEN
    assert seen == {"note": "mine", "role": "finance", "user_id": finance,
                    "db_role": "ses_finance_role", "db_user": finance, "attempt": 1}


def test_a_job_for_a_disabled_user_is_refused(app, make_user, admin_engine):
    user = make_user("project_manager")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE platform.users SET is_active = false WHERE id = :u"), {"u": user})
    with pytest.raises(JobRefused):
        jobs.run_in_app(whoami.func, Identity("project_manager", user), {"note": "x"})
    assert SEEN == []


def test_a_failing_job_is_retried_and_its_writes_of_the_failed_attempt_are_rolled_back(
        system, run_jobs, admin_engine):
    flaky.defer()
    db.session.commit()
    run_jobs(["tests"])
    assert SEEN == [{"attempt": 1, "last": False}]
    run_jobs(["tests"], retries=True)
    assert SEEN[1] == {"attempt": 2, "last": False}
    with admin_engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM platform.company_closures")).scalars().all()
    assert names == ["attempt 2"]
    assert _job_rows(admin_engine) == []      # succeeded jobs are removed


def test_a_queueing_lock_keeps_one_waiting_job(system, admin_engine):
    assert whoami.defer(note="a", queueing_lock="same") is not None
    assert whoami.defer(note="b", queueing_lock="same") is None
    db.session.commit()
    assert [r.args["note"] for r in _job_rows(admin_engine)] == ["a"]


def test_system_identity_is_not_written_into_the_job(system, admin_engine):
    whoami.defer(note="s", identity=SYSTEM)
    db.session.commit()
    assert "_identity" not in _job_rows(admin_engine)[0].args


def test_the_worker_command_runs_what_is_due_and_exits(app, system):
    whoami.defer(note="cli")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["ses", "worker", "--once", "--queue", "tests"])
    assert result.exit_code == 0, result.output
    assert [s["note"] for s in SEEN] == ["cli"]
