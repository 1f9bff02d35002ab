"""The pages the benchmarks measure: main pages and htmx partials of every role, requested as
real users of the large dataset (``flask --app wsgi ses demo --scale large``).

Each scenario: a name, the user (``<local>@large.ses.example``, password DEMO_PASSWORD), the
path (``{timesheet}`` is replaced by the user's current month sheet) and whether it is an htmx
partial.  Scenarios whose endpoint does not exist (an area not built yet) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    user: str
    path: str
    partial: bool = False
    method: str = "GET"
    form: tuple = ()


SCENARIOS = [
    Scenario("cases: list", "pm001", "/projects/"),
    Scenario("cases: filter (partial)", "pm001", "/projects/?q=%E9%96%8B%E7%99%BA&status=ACTIVE", partial=True),
    Scenario("engineers: search (partial)", "pm001", "/engineers/?q=Java", partial=True),
    Scenario("engineers: list", "pm001", "/engineers/"),
    Scenario("contracts: list", "pm001", "/contracts/"),
    Scenario("timesheet: month page", "e00001", "{timesheet}"),
    Scenario("timesheet: save a day (partial)", "e00001", "{timesheet}/days/{day}", partial=True, method="POST",
             form=(("kind", "NORMAL"), ("start_time", "09:00"), ("end_time", "18:00"), ("break_minutes", "60"),
                   ("work_location", "REMOTE"), ("note", ""))),
    Scenario("invoices: list", "finance01", "/billing/"),
    Scenario("dashboard", "finance01", "/reports/"),
    Scenario("portal: invoice list", "c0001", "/billing/portal"),
    Scenario("notifications: bell (partial)", "e00001", "/notifications/bell", partial=True),
]
