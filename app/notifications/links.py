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
