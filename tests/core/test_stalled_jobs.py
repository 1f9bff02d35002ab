"""A job whose worker was killed (SIGKILL, out of memory) is retried by the minutely
``maintenance.retry_stalled_jobs`` task; a job of a worker still beating is left alone, and a
job that lost its worker again and again is failed instead of looping."""

from __future__ import annotations

from sqlalchemy import text

from app.core.jobs import MAX_RECOVERIES, jobs
from app.extensions import db
from tests.stalled import job_states, kill_worker_running, recover_stalled_jobs

RAN: list[str] = []


@jobs.task(name="tests.stalled_work", queue="tests")
def stalled_work(note: str) -> None:
    RAN.append(note)


def _defer(system, note: str) -> None:
    stalled_work.defer(note=note)
    db.session.commit()


def test_the_stalled_job_task_is_scheduled_every_minute():
    crons = {name: p.cron for (name, _), p in jobs.procrastinate.periodic_registry.periodic_tasks.items()}
    assert crons["maintenance.retry_stalled_jobs"] == "* * * * *"


def test_a_job_of_a_killed_worker_runs_again(system, admin_engine, run_jobs):
    RAN.clear()
    _defer(system, "killed")
    kill_worker_running(admin_engine, "tests.stalled_work")
    run_jobs(["tests"])
    assert RAN == [] and job_states(admin_engine, "tests.stalled_work") == [("doing", 0)]
    recover_stalled_jobs(admin_engine, run_jobs)
    assert job_states(admin_engine, "tests.stalled_work") == [("todo", 1)]
    run_jobs(["tests"])
    assert RAN == ["killed"]
    assert job_states(admin_engine, "tests.stalled_work") == []          # done (and deleted)


def test_a_job_of_a_worker_still_beating_is_left_alone(system, admin_engine, run_jobs):
    RAN.clear()
    _defer(system, "busy")
    kill_worker_running(admin_engine, "tests.stalled_work", heartbeat_age="5 seconds")
    recover_stalled_jobs(admin_engine, run_jobs)
    assert job_states(admin_engine, "tests.stalled_work") == [("doing", 0)] and RAN == []


def test_a_job_that_keeps_losing_its_worker_is_failed_not_retried_forever(system, admin_engine, run_jobs):
    RAN.clear()
    _defer(system, "poison")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE procrastinate.procrastinate_jobs SET attempts = :a"
                          " WHERE task_name = 'tests.stalled_work'"), {"a": MAX_RECOVERIES - 1})
    kill_worker_running(admin_engine, "tests.stalled_work")
    recover_stalled_jobs(admin_engine, run_jobs)
    assert job_states(admin_engine, "tests.stalled_work") == [("failed", MAX_RECOVERIES)]    # the fatal attempt counted
    run_jobs(["tests"])
    assert RAN == []
