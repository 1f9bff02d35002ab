"""Background jobs: procrastinate (a PostgreSQL queue) under our identity and transaction rules.

Declaring and deferring a job, from any context::

    from app.core.jobs import jobs

    @jobs.task(queue="billing", retry=3)
    def run_invoice_batch(batch_id: str) -> None:
        ...   # runs in an app context; db.session is committed on success, rolled back on error

    run_invoice_batch.defer(batch_id=str(batch.id))                      # acting as SYSTEM
    run_invoice_batch.defer(batch_id=..., identity=current_identity())   # as the requesting user

    @jobs.periodic(cron="0 3 * * *", queue="maintenance")
    def nightly_cleanup(timestamp: int) -> None:
        ...

* ``defer()`` writes the job through ``db.session``, i.e. **inside the caller's transaction**:
  a job deferred by a request exists only if that request commits (like the event outbox).
  Arguments must be JSON values (pass uuids and dates as strings).  With ``queueing_lock`` a job
  already waiting under the same lock is kept and ``defer`` returns ``None``.
* The worker (``flask --app wsgi ses worker``) runs each job inside a Flask app context, in one
  transaction, ``with acting_as(identity)``: ``SYSTEM`` (the administrator) unless the job was
  deferred with ``identity=``; a user identity is refused if the user was disabled meanwhile.
* Inside a job, ``current_job()`` tells the attempt number and whether it is the last one.
* Tests run the queue in-process: ``jobs.run_pending(app)`` starts a real procrastinate worker
  against the test database that stops once nothing is due (see ``tests/conftest.py``).

procrastinate's tables live in the schema ``procrastinate`` (revision 0008); its own connections
log in as ``ses_app`` with ``search_path=procrastinate``.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
from flask import Flask, current_app, has_app_context
from procrastinate.periodic import PeriodicRegistry
from sqlalchemy import text

from ..extensions import db
from .identity import SYSTEM, Identity, acting_as

logger = logging.getLogger(__name__)

IDENTITY_ARG = "_identity"
_IDENTITY_FIELDS = ("role", "user_id", "engineer_id", "customer_id", "partner_company_id",
                    "display_name", "locale")
_DEFER_SQL = text(
    "SELECT procrastinate.ses_defer_job(:task, :queue, CAST(:args AS jsonb), :queueing_lock,"
    " :lock, :scheduled_at, :priority)")


class JobRefused(Exception):
    """The job may not run (e.g. the user it acts for has been disabled); never retried."""


@dataclass(frozen=True)
class JobInfo:
    job_id: int | None
    task_name: str
    attempt: int               # 1 for the first run
    is_last_attempt: bool


_current_job: ContextVar[JobInfo | None] = ContextVar("ses_current_job", default=None)


def current_job() -> JobInfo | None:
    """The job being run by this thread, if any."""
    return _current_job.get()


# --- identity in job arguments -------------------------------------------------------------------

def identity_to_arg(identity: Identity | None) -> dict | None:
    if identity is None or identity == SYSTEM:
        return None
    return {f: (str(v) if isinstance(v, uuid.UUID) else v)
            for f in _IDENTITY_FIELDS if (v := getattr(identity, f)) is not None}


def identity_from_arg(data: dict | None) -> Identity:
    if not data:
        return SYSTEM
    values = {f: data.get(f) for f in _IDENTITY_FIELDS if data.get(f) is not None}
    for key in ("user_id", "engineer_id", "customer_id", "partner_company_id"):
        if key in values:
            values[key] = uuid.UUID(values[key])
    return Identity(**values)


def _check_user_active(identity: Identity) -> None:
    if identity.user_id is None:
        return
    with acting_as(SYSTEM):
        active = db.session.execute(text(
            "SELECT is_active AND deleted_at IS NULL FROM platform.users WHERE id = :id"),
            {"id": identity.user_id}).scalar()
        db.session.commit()
    if not active:
        raise JobRefused(f"user {identity.user_id} is no longer active")


# --- tasks -----------------------------------------------------------------------------------------

class Job:
    """A task of ours: ``.defer(**kwargs)`` enqueues it, calling it runs it here and now."""

    def __init__(self, registry: Jobs, task: procrastinate.tasks.Task, func: Callable):
        self._registry = registry
        self.task = task
        self.func = func
        self.name = task.name

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def defer(self, *, identity: Identity | None = None, queueing_lock: str | None = None,
              lock: str | None = None, run_at: datetime | None = None, priority: int | None = None,
              **kwargs: Any) -> int | None:
        """Enqueue in the current transaction; the job id, or None if ``queueing_lock`` is taken."""
        args = dict(kwargs)
        if (identity_arg := identity_to_arg(identity)) is not None:
            args[IDENTITY_ARG] = identity_arg
        return db.session.execute(_DEFER_SQL, {
            "task": self.name, "queue": self.task.queue,
            "args": json.dumps(args, ensure_ascii=False, default=str),
            "queueing_lock": queueing_lock or self.task.queueing_lock,
            "lock": lock or self.task.lock, "scheduled_at": run_at,
            "priority": self.task.priority if priority is None else priority,
        }).scalar()


class Jobs:
    """The application's job registry around one procrastinate App."""

    def __init__(self) -> None:
        self.procrastinate = procrastinate.App(connector=procrastinate.PsycopgConnector())
        self._flask_app: Flask | None = None
        self.registered: dict[str, Job] = {}

    def init_app(self, app: Flask) -> None:
        """Remember the Flask app the worker threads push their app context from."""
        self._flask_app = app

    # --- declaring ---

    def task(self, *, name: str | None = None, queue: str = "default", retry: Any = False,
             queueing_lock: str | None = None, lock: str | None = None,
             priority: int = 0) -> Callable[[Callable], Job]:
        def decorator(func: Callable) -> Job:
            task_name = name or f"{func.__module__.removeprefix('app.')}.{func.__name__}"
            runner = self._runner(func, task_name)
            task = self.procrastinate.task(
                runner, name=task_name, queue=queue, retry=retry, pass_context=True,
                queueing_lock=queueing_lock, lock=lock, priority=priority)
            job = Job(self, task, func)
            self.registered[task_name] = job
            return job

        return decorator

    def periodic(self, *, cron: str, name: str | None = None, queue: str = "maintenance",
                 retry: Any = False) -> Callable[[Callable], Job]:
        """A scheduled job.  ``cron`` is evaluated in UTC (procrastinate's croniter): write
        Japanese times minus nine hours, e.g. ``"0 18 * * *"`` for 03:00 JST."""

        def decorator(func: Callable) -> Job:
            job = self.task(name=name, queue=queue, retry=retry)(func)
            self.procrastinate.periodic(cron=cron)(job.task)
            return job

        return decorator

    def _runner(self, func: Callable, task_name: str) -> Callable:
        registry = self

        def run(context: procrastinate.JobContext, **kwargs):
            identity = identity_from_arg(kwargs.pop(IDENTITY_ARG, None))
            info = _job_info(context, task_name)
            token = _current_job.set(info)
            try:
                return registry.run_in_app(func, identity, kwargs)
            finally:
                _current_job.reset(token)

        run.__name__ = func.__name__
        run.__module__ = func.__module__
        return run

    def run_in_app(self, func: Callable, identity: Identity, kwargs: dict):
        """Run ``func(**kwargs)`` in an app context and one transaction, as ``identity``."""
        app = self._flask_app or (current_app._get_current_object() if has_app_context() else None)
        if app is None:
            raise RuntimeError("jobs.init_app(app) was not called")
        with app.app_context():
            _check_user_active(identity)
            with acting_as(identity):
                try:
                    result = func(**kwargs)
                    db.session.commit()
                    return result
                except BaseException:
                    db.session.rollback()
                    raise

    # --- running ---

    def worker_options(self, app: Flask) -> dict:
        return {"conninfo": libpq_conninfo(app.config["SQLALCHEMY_DATABASE_URI"]),
                "kwargs": {"options": "-c search_path=procrastinate",
                           "application_name": "ses-worker"},
                "min_size": 1, "max_size": 4}

    def run_worker(self, app: Flask, *, wait: bool = True, queues: list[str] | None = None,
                   concurrency: int = 1, install_signal_handlers: bool = True) -> None:
        """Run a worker on ``app``'s database (``wait=False``: stop once nothing is due)."""
        from . import events  # noqa: F401  (registers the events.dispatch task)

        self.init_app(app)
        connector = procrastinate.PsycopgConnector(**self.worker_options(app))

        def run() -> None:
            with self.procrastinate.replace_connector(connector):
                self.procrastinate.run_worker(
                    wait=wait, queues=queues, concurrency=concurrency, delete_jobs="successful",
                    install_signal_handlers=install_signal_handlers and wait, listen_notify=wait,
                    fetch_job_polling_interval=1.0 if wait else 0.05)

        # A long-running worker owns the main thread (signal handlers); a catch-up run gets a
        # thread of its own, since the caller may already run an event loop (Playwright does).
        run() if wait else _in_thread(run)

    def run_pending(self, app: Flask, queues: list[str] | None = None) -> None:
        """Tests: run every job that is due now, in this process, then return.  Scheduled jobs
        are not deferred by this run (a test calls them directly)."""
        schedule = self.procrastinate.periodic_registry
        self.procrastinate.periodic_registry = PeriodicRegistry()
        try:
            self.run_worker(app, wait=False, queues=queues, install_signal_handlers=False)
        finally:
            self.procrastinate.periodic_registry = schedule


def _in_thread(function: Callable[[], None]) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            function()
        except BaseException as error:  # noqa: BLE001  (re-raised in the caller's thread)
            errors.append(error)

    thread = threading.Thread(target=run, name="ses-jobs")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _job_info(context: procrastinate.JobContext, task_name: str) -> JobInfo:
    job = context.job
    strategy = context.task.retry_strategy if context.task else None
    last = True
    if strategy is not None:
        last = strategy.get_retry_decision(exception=Exception(), job=job) is None
    return JobInfo(job_id=job.id, task_name=task_name, attempt=job.attempts + 1, is_last_attempt=last)


def libpq_conninfo(sqlalchemy_url: str) -> str:
    """``postgresql+psycopg://u@/db?host=/sock`` → the libpq URI psycopg's pool takes."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


jobs = Jobs()


# --- jobs of killed workers ------------------------------------------------------------------------

STALLED_AFTER_SECONDS = 60
"""A job whose worker has sent no heartbeat for this long lost its worker (SIGKILL, out of memory,
a host gone).  Workers beat every 10 s and procrastinate drops a worker silent for 30 s, so a
live worker busy with a long job is never taken for a dead one."""

MAX_RECOVERIES = 3
"""A job whose worker died this many times is failed, not retried again (it may be what kills
the worker)."""


async def retry_stalled_jobs(job_manager: procrastinate.manager.JobManager,
                             seconds_since_heartbeat: float = STALLED_AFTER_SECONDS) -> list[int]:
    """Put the jobs of dead workers back in the queue; the ids retried.  The tasks are written
    to be run again (each unit of work commits once and is skipped when already done)."""
    retried = []
    for job in await job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat):
        if job.attempts + 1 >= MAX_RECOVERIES:
            logger.error("job %s (%s) lost its worker %s times: failed", job.id, job.task_name,
                         job.attempts + 1)
            await job_manager.finish_job(job, status=procrastinate.jobs.Status.FAILED, delete_job=False)
            continue
        logger.warning("job %s (%s) lost its worker: retried", job.id, job.task_name)
        await job_manager.retry_job(job)
        retried.append(job.id)
    return retried


@jobs.procrastinate.periodic(cron="* * * * *", periodic_id="maintenance.stalled_jobs")
@jobs.procrastinate.task(name="maintenance.retry_stalled_jobs", queue="maintenance", pass_context=True)
async def retry_stalled_jobs_every_minute(context: procrastinate.JobContext, timestamp: int) -> list[int]:
    """Every minute: retry the jobs whose worker was killed mid-run."""
    return await retry_stalled_jobs(context.app.job_manager)


# --- the platform's scheduled jobs (the contexts register theirs in their own modules) -------------

@jobs.periodic(cron="10 18 * * *", name="maintenance.partitions")          # 03:10 JST
def create_partitions_ahead(timestamp: int) -> int:
    """Keep a year of time-series partitions ahead (timesheets, invoices, notifications, ...)."""
    return db.session.execute(text("SELECT platform.create_partitions_ahead(12)")).scalar()
