"""Where a notification points: the page of its aggregate, for that recipient.

A context registers how to link its aggregates::

    from app.notifications.links import register_link

    register_link("invoice", lambda facts, role: url_for(
        "billing.portal_invoice" if role == "customer" else "billing.invoice",
        invoice_id=facts["invoice_id"]))

Without a registered builder the notification links to its own page (always works).  Builders
run in a request context made from ``PUBLIC_BASE_URL``, so ``url_for`` works in the worker too.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, url_for
from werkzeug.routing import BuildError

LinkBuilder = Callable[[dict, str], str | None]
_builders: dict[str, LinkBuilder] = {}


def register_link(aggregate_type: str, builder: LinkBuilder) -> None:
    _builders[aggregate_type] = builder


def link_path(aggregate_type: str, facts: dict, role: str) -> str | None:
    """The path of the aggregate's page for a recipient of ``role``, if one is known."""
    builder = _builders.get(aggregate_type)
    if builder is None:
        return None
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        try:
            return builder(facts, role)
        except (BuildError, KeyError):
            return None


def notification_path(notification_id) -> str:
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for("notifications.show", notification_id=notification_id)


def absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


# --- the pages of the other contexts, per recipient role -------------------------------------------
# (Endpoint names of their blueprints; a renamed endpoint only falls back to the notification.)

STAFF = {"admin", "project_manager", "finance"}


def _project(facts: dict, role: str) -> str | None:
    if role in ("admin", "project_manager") and facts.get("project_id"):
        return url_for("projects.detail", project_id=facts["project_id"])
    return None


def _contract(facts: dict, role: str) -> str | None:
    if facts.get("event_type") == "TimesheetNotSubmitted":
        if role in ("engineer", "project_manager", "admin"):
            return url_for("timesheets.open_month", contract_id=facts["contract_id"],
                           year=int(facts["year"]), month=int(facts["month"]))
        return url_for("timesheets.index")
    if role in STAFF:
        return url_for("contracts.detail", contract_id=facts["contract_id"])
    if role in ("customer", "partner"):
        return url_for("contracts.portal_detail", contract_id=facts["contract_id"])
    return None


def _invoice(facts: dict, role: str) -> str | None:
    if role == "customer":
        return url_for("billing.portal_invoice", invoice_id=facts["invoice_id"])
    if role in ("finance", "admin"):
        return url_for("billing.detail", invoice_id=facts["invoice_id"])
    return None


def _certification(facts: dict, role: str) -> str | None:
    if role in STAFF or role == "engineer":
        return url_for("engineers.detail", engineer_id=facts["engineer_id"])
    return None


register_link("project", _project)
register_link("matching_request", _project)
register_link("matching_result", _project)
register_link("contract", _contract)
register_link("timesheet", lambda facts, role: url_for("timesheets.sheet", timesheet_id=facts["timesheet_id"]))
register_link("invoice", _invoice)
register_link("certification", _certification)
