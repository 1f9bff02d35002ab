"""Route guards.  They only choose what to show: every rule is also enforced by row level
security under the user's database role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import login_required

from .identity import current_identity


def roles_required(*roles: str) -> Callable:
    """Logged in, with one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            identity = current_identity()
            if identity is None or identity.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
