"""Killing a worker in a test: its jobs stay ``doing`` under a worker that no longer sends a
heartbeat -- the state a SIGKILL leaves in procrastinate's tables -- and the stalled-job task
(``maintenance.retry_stalled_jobs``) puts them back in the queue."""

from __future__ import annotations

from sqlalchemy import text


def kill_worker_running(admin_engine, task_name: str, *, heartbeat_age: str = "10 minutes") -> list[int]:
    """The due jobs of ``task_name`` become jobs a worker started and then died on (a heartbeat
    ``heartbeat_age`` old); their ids."""
    with admin_engine.begin() as conn:
        worker = conn.execute(text(
            "INSERT INTO procrastinate.procrastinate_workers (last_heartbeat)"
            " VALUES (now() - CAST(:age AS interval)) RETURNING id"), {"age": heartbeat_age}).scalar()
        return list(conn.execute(text(
            "UPDATE procrastinate.procrastinate_jobs SET status = 'doing', worker_id = :w"
            " WHERE task_name = :t AND status = 'todo' RETURNING id"), {"w": worker, "t": task_name}).scalars())


def job_left_behind(admin_engine, task_name: str, queue: str, args: str) -> int:
    """A job of ``task_name`` that a dead worker had started (e.g. it finished the work and was
    killed before procrastinate recorded the job as done)."""
    with admin_engine.begin() as conn:
        conn.execute(text("SELECT procrastinate.ses_defer_job(:t, :q, CAST(:a AS jsonb))"),
                     {"t": task_name, "q": queue, "a": args})
    (job_id,) = kill_worker_running(admin_engine, task_name)
    return job_id


def recover_stalled_jobs(admin_engine, run_jobs) -> None:
    """Run the minutely stalled-job task once, as the worker's schedule would."""
    with admin_engine.begin() as conn:
        conn.execute(text("SELECT procrastinate.ses_defer_job('maintenance.retry_stalled_jobs',"
                          " 'maintenance', CAST('{\"timestamp\": 0}' AS jsonb))"))
    run_jobs(["maintenance"])


def job_states(admin_engine, task_name: str) -> list[tuple[str, int]]:
    with admin_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT status, attempts FROM procrastinate.procrastinate_jobs WHERE task_name = :t ORDER BY id"),
            {"t": task_name})]
