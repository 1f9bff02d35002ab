"""Locust users for the benchmarks (see docs/performance.md for the commands).

* ``Everyone`` logs in once as each scenario's user and requests the scenarios in turn -- one of
  them is the single-user run, twenty the concurrent run (``SES_BENCH_THINK`` seconds between
  requests, default 0);
* ``Engineer``, ``Manager``, ``Finance``, ``Customer`` are the 1,000-user run: each a different real
  user of the large dataset (engineers ``e00001`` ..., customers ``c0001`` ...), logging in once,
  5-15 s of thinking between requests, weighted like a company (engineers most);
* ``Reference`` requests one target (``SES_BENCH_TARGET``: a path such as ``/__bench/ref/3``) as
  fast as it can: the closeness-to-the-limit phases.

``run_http.py`` names the classes each run uses on locust's command line, so no other class
runs beside them.  The users are ``FastHttpUser``s: the load generator takes a few percent of a
core instead of a good part of one, leaving the two cores to the server and PostgreSQL.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import SCENARIOS  # noqa: E402

PASSWORD = os.environ.get("SES_BENCH_PASSWORD", "demo-pass-2026")
THINK = float(os.environ.get("SES_BENCH_THINK", "0"))
ONLY = os.environ.get("SES_BENCH_SCENARIOS")          # comma-separated scenario names
_numbers = {kind: itertools.count(1) for kind in ("engineer", "customer", "manager", "finance", "everyone")}
_logged_in = itertools.count(1)


def _measure_from_now_if_all_logged_in(user) -> None:
    """Start the figures afresh once the last user has logged in, so the log-ins (Argon2id,
    64 MiB each) never fall inside the pages' window."""
    if next(_logged_in) == user.environment.runner.target_user_count:
        user.environment.stats.reset_all()


def _working_day() -> str:
    day = date.today() - timedelta(days=1)
    while day.weekday() >= 5 and day.month == date.today().month:
        day -= timedelta(days=1)
    return (day if day.month == date.today().month else date.today()).isoformat()


def login(client, local: str) -> str:
    """Log in through the form as a person would, trying again (after a pause, like a person)
    until it works: a user whose log-in failed must not go on browsing as an anonymous one."""
    for attempt in range(10):
        if attempt:
            gevent.sleep(random.uniform(2, 5))
        page = client.get("/login", name="login page")
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text or "")
        if found is None:
            continue
        with client.post("/login", data={"email": f"{local}@large.ses.example", "password": PASSWORD,
                                         "csrf_token": found.group(1)}, name="login", allow_redirects=False,
                         catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"login {local}: {response.status_code}")
                continue
        home = client.get("/", name="home").text or ""
        match = re.search(r'"X-CSRFToken": "([^"]+)"', home)
        return match.group(1) if match else found.group(1)
    raise StopUser()


class Session:
    """One logged-in user inside a locust user (its own cookie jar, the user's timeouts and
    retries -- as FastHttpUser sets them for its own client)."""

    def __init__(self, user: FastHttpUser, local: str):
        self.client = FastHttpSession(user.host, user.environment.events.request, user,
                                      network_timeout=user.network_timeout,
                                      connection_timeout=user.connection_timeout, max_retries=user.max_retries)
        self.token = login(self.client, local)
        self.sheet = None

    def request(self, scenario):
        path = scenario.path
        if "{timesheet}" in path:
            if self.sheet is None:
                response = self.client.get("/timesheets/mine", name="timesheet: mine", allow_redirects=False)
                self.sheet = response.headers.get("Location", "/timesheets/").split("#")[0]
            if not re.search(r"/timesheets/[0-9a-f-]{36}$", self.sheet):
                return          # an engineer on the bench has no sheet this month: nothing to save
            path = path.replace("{timesheet}", self.sheet).replace("{day}", _working_day())
        headers = {"X-CSRFToken": self.token}
        if scenario.partial:
            headers["HX-Request"] = "true"
        self.client.request(scenario.method, path, name=scenario.name, headers=headers,
                            data=dict(scenario.form) or None, allow_redirects=False)


def _selected():
    names = set(ONLY.split(",")) if ONLY else None
    return [s for s in SCENARIOS if names is None or s.name in names]


class Everyone(FastHttpUser):
    wait_time = constant(THINK)

    def on_start(self):
        self.scenarios = _selected()
        n = next(_numbers["everyone"])      # the n-th simultaneous user works as the n-th user of each role
        self.sessions = {local: Session(self, _nth(local, n)) for local in {s.user for s in self.scenarios}}
        self.turn = itertools.cycle(self.scenarios)
        _measure_from_now_if_all_logged_in(self)

    @task
    def next_page(self):
        scenario = next(self.turn)
        self.sessions[scenario.user].request(scenario)


def _nth(local: str, n: int) -> str:
    """pm001 -> pm00n, e00001 -> e0000n ... (five finance users: they take turns)."""
    prefix, digits = re.match(r"([a-z]+)(\d+)$", local).groups()
    number = (n - 1) % 5 + 1 if prefix == "finance" else n
    return f"{prefix}{number:0{len(digits)}d}"


class _RoleUser(FastHttpUser):
    abstract = True
    wait_time = between(5, 15)
    kind = ""
    pages: tuple[str, ...] = ()

    def local(self, n: int) -> str:
        raise NotImplementedError

    def on_start(self):
        self.session = Session(self, self.local(next(_numbers[self.kind])))
        self.scenarios = [s for s in SCENARIOS if s.name in self.pages]
        _measure_from_now_if_all_logged_in(self)

    @task
    def browse(self):
        self.session.request(random.choice(self.scenarios))


class Engineer(_RoleUser):
    weight = 70
    kind = "engineer"
    pages = ("timesheet: month page", "timesheet: save a day (partial)", "notifications: bell (partial)")

    def local(self, n):
        return f"e{n:05d}"


class Manager(_RoleUser):
    weight = 15
    kind = "manager"
    pages = ("cases: list", "cases: filter (partial)", "engineers: search (partial)", "engineers: list",
             "contracts: list")

    def local(self, n):
        return f"pm{(n - 1) % 40 + 1:03d}"


class Customer(_RoleUser):
    weight = 12
    kind = "customer"
    pages = ("portal: invoice list",)

    def local(self, n):
        return f"c{(n - 1) % 800 + 1:04d}"


class Finance(_RoleUser):
    weight = 3
    kind = "finance"
    pages = ("invoices: list", "dashboard")

    def local(self, n):
        return f"finance{(n - 1) % 5 + 1:02d}"


class Reference(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.target = os.environ["SES_BENCH_TARGET"]
        self.headers = {"HX-Request": "true"} if os.environ.get("SES_BENCH_TARGET_HTMX") == "1" else {}
        cookie = os.environ.get("SES_BENCH_COOKIE")      # logged in once by run_http.py: no login here
        if cookie:
            self.headers["Cookie"] = f"ses_session={cookie}"

    @task
    def hit(self):
        headers = self.headers
        self.client.get(self.target, name=self.target, headers=headers, allow_redirects=False)
