"""One request, one transaction, under the user's database role.

before_request resolves the login session (as the bare login role, through a SECURITY DEFINER
function) in a statement that also switches the transaction to the user's role and policy
settings (auth.services.enter_session), and installs the user's identity; a session whose last
activity moved is committed first.  Every later transaction starts with SET LOCAL ROLE and the
policy settings (core/identity.py).  The request's work is committed in exactly one place, after
the response is built, and rolled back on any error status or exception.
"""

from __future__ import annotations

import logging

from flask import Flask, abort, g, request
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from ..extensions import db
from .errors import error_response
from .htmx import add_vary_header
from .identity import apply_to_open_transaction, reset_current_identity, set_current_identity
from .security import add_security_headers

log = logging.getLogger(__name__)


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values)


def _commit_or_503(response):
    """Commit the request's work; if the database goes away at that moment the work is not
    saved, and the user is told so (503), not shown a page as if it were."""
    try:
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("commit failed: database unavailable", exc_info=True)
        return error_response(503)
    return response


def init_request_cycle(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_bytes():
        # PostgreSQL text cannot hold NUL: no form or browser sends one, and passing it on would
        # end in a database error.  Refused as a malformed request, before anything runs.
        if (_has_nul(request.args.items(multi=True)) or _has_nul(request.form.items(multi=True))
                or _has_nul((str(k), str(v)) for k, v in (request.view_args or {}).items())):
            abort(400)

    @app.before_request
    def _install_identity():
        if request.endpoint == "static":
            return
        user = current_user._get_current_object()   # resolves the session token
        if not user.is_authenticated or user.touched:
            # Ends the anonymous lookup; a touched session keeps its last activity whatever the
            # request's fate.
            db.session.commit()
        if user.is_authenticated:
            # The rest of the request runs as the user, in the transaction the lookup began and
            # switched to the user (a touched session's next transaction switches as it begins).
            g._identity_token = set_current_identity(user.identity)
            apply_to_open_transaction(db.session(), applied=user.entered)

    @app.after_request
    def _finish_transaction(response):
        if request.endpoint != "static":
            if response.status_code < 400:
                response = _commit_or_503(response)
            else:
                db.session.rollback()
        add_vary_header(response)
        return add_security_headers(response)

    @app.teardown_request
    def _forget_identity(exc):
        if exc is not None:
            db.session.rollback()
        token = g.pop("_identity_token", None)
        if token is not None:
            reset_current_identity(token)
