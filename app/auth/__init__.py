"""Login, logout, login sessions, users and the role mapping onto database roles."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from ..core import nav  # noqa: E402
from ..core.i18n import lazy_gettext as _l  # noqa: E402
from . import routes  # noqa: E402,F401

nav.register(_l("ユーザー管理"), "auth.users", {"admin"}, order=900)
