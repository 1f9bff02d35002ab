"""SES 管理システム: the Flask application factory."""

from __future__ import annotations

import importlib

from flask import Flask, request, url_for

from .config import INSTANCE, ROOT, Config

# One blueprint per bounded context of the design, in the design's order.
CONTEXTS = ("projects", "engineers", "matching", "contracts", "timesheets", "billing", "reports",
            "notifications")


def create_app(config_class: type[Config] = Config) -> Flask:
    from .core.i18n import install_template_gettext, select_locale, translation_directories
    from .extensions import babel, csrf, db, htmx, migrate

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(INSTANCE))
    app.config.from_object(config_class())
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Tokyo")
    install_template_gettext(app)
    htmx.init_app(app)
    _init_login(app)

    from .auth import bp as auth_bp
    app.register_blueprint(auth_bp)
    for name in CONTEXTS:
        app.register_blueprint(importlib.import_module(f".{name}", __name__).bp)

    from .core.cli import register_cli
    from .core.errors import register_error_handlers
    from .core.formatting import register_filters
    from .core.request_cycle import init_request_cycle
    from .core.templating import register_template_globals

    init_request_cycle(app)
    register_error_handlers(app)
    register_filters(app)
    register_template_globals(app)
    register_cli(app)
    return app


def _init_login(app: Flask) -> None:
    from flask import make_response, redirect

    from .auth.services import enter_session
    from .core.i18n import lazy_gettext as _l
    from .extensions import login_manager

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("ログインしてください。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None   # sessions are server-side and revocable
    login_manager.user_loader(enter_session)

    @login_manager.unauthorized_handler
    def _unauthorized():
        target = url_for("auth.login", next=request.full_path.rstrip("?"))
        if request.headers.get("HX-Request") == "true":
            # Never swap a login form into a table cell: send the whole page to the login.
            response = make_response("", 401)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)
