"""Template globals: navigation, the current identity, role labels."""

from __future__ import annotations

from flask import Flask, has_request_context
from flask_babel import get_locale

from ..auth.roles import ROLE_LABELS
from .identity import current_identity
from .nav import active_endpoint, items_for


def register_template_globals(app: Flask) -> None:
    # The form macros are globals: a block rendered alone as an htmx fragment does not see the
    # imports at the top of its template.
    forms = app.jinja_env.get_template("macros/forms.html").module
    app.jinja_env.globals.update(field=forms.field, form_errors=forms.form_errors)

    @app.context_processor
    def _globals():
        identity = current_identity()
        items = items_for(identity.role if identity else None)
        return {
            "identity": identity,
            "nav_items": items,
            # PDFs rendered by jobs and the demo loader have no request (and no current page)
            "active_nav": active_endpoint(items) if has_request_context() else None,
            "role_labels": ROLE_LABELS,
            "current_locale": str(get_locale()),
        }
