"""Route helpers shared by the sales areas (cases, customers, engineers, matching)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash

from ..core.htmx import navigate
from ..extensions import db

STAFF = ("admin", "project_manager")


def get_or_404(model, record_id):
    """The record if row level security lets the user see it, else 404."""
    return db.session.get(model, record_id) or abort(404)


def field_error(form, error) -> None:
    """Put a service's ``XyzError(field, message)`` next to its field (or above the form)."""
    field = getattr(form, error.field, None)
    if field is not None and hasattr(field, "errors") and isinstance(field.errors, list):
        field.errors.append(error.message)
    else:
        form.form_errors.append(error.message)


def submit(form, save: Callable[[], object], error_class: type[Exception], message,
           target: Callable[[object], str]) -> Response | None:
    """The answer to a valid submitted ``form``: ``save()`` (one service call), then ``message``
    flashed and a move to ``target(saved)``.  None when the form is to be shown (again), with
    a service's ``XyzError(field, message)`` next to its field."""
    if not form.validate_on_submit():
        return None
    try:
        saved = save()
    except error_class as error:
        field_error(form, error)
        return None
    flash(message, "success")
    return navigate(target(saved))


def form_values(form, *exclude: str) -> dict:
    return {k: v for k, v in form.data.items() if k not in ("csrf_token", "version", *exclude)}


def submitted_status(form) -> int:
    """200 for a first display, 422 when a submitted form comes back with errors."""
    return 422 if form.is_submitted() else 200
