"""Error pages that work as full pages and as htmx fragments.

For an htmx request the error is rendered as a small alert and retargeted to the page's flash
area (``HX-Retarget``), so a 404 never lands inside a table cell.  Validation errors (422) are
not handled here: routes re-render their form fragment with field errors.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .db import ConflictError
from .i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("リクエストの内容が正しくありません。"),
    403: _l("この操作を行う権限がありません。"),
    404: _l("お探しのページは見つかりませんでした。"),
    405: _l("この操作はこのページでは行えません。"),
    409: _l("他の人が先にこのデータを更新しました。最新の内容を読み込み直してから、もう一度変更してください。"),
    413: _l("ファイルが大きすぎます。"),
    429: _l("試行回数が多すぎます。しばらく待ってからもう一度お試しください。"),
    500: _l("システムエラーが発生しました。管理者に連絡してください。"),
    503: _l("データベースに接続できません。しばらくしてからもう一度お試しください。"),
}
TITLES = {
    400: _l("不正なリクエスト"), 403: _l("アクセスできません"), 404: _l("ページが見つかりません"),
    405: _l("許可されていない操作"), 409: _l("更新の競合"), 413: _l("ファイルが大きすぎます"),
    429: _l("しばらくお待ちください"), 500: _l("システムエラー"), 503: _l("一時的に利用できません"),
}


def _render(template: str, status: int, title, message) -> str:
    """The error page; if rendering needs what failed (the layout asks the database for the
    user and the menu while the database is down), a page that needs nothing."""
    try:
        return render_template(template, status=status, title=title, message=message)
    except Exception:
        log.warning("error page %s rendered without the layout", status, exc_info=True)
        return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{escape(title)}</title>'
                f'</head><body><main><h1>{escape(title)}</h1><p>{escape(message)}</p></main></body></html>')


def error_response(status: int, message: str | None = None) -> Response:
    message = message or MESSAGES.get(status, MESSAGES[500])
    title = TITLES.get(status, TITLES[500])
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true":
        response = make_response(_render("errors/_error.html", status, title, message), status)
        response.headers["HX-Retarget"] = "#flash-messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return make_response(_render("errors/error.html", status, title, message), status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = error_response(error.code)
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        if error.code == 429 and getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return error_response(400, str(_l("セキュリティトークンが無効か期限切れです。ページを再読み込みしてからもう一度送信してください。")))

    @app.errorhandler(ConflictError)
    @app.errorhandler(StaleDataError)
    def _conflict(error):
        return error_response(409)

    @app.errorhandler(OperationalError)
    def _database_down(error):
        log.warning("database unavailable: %s", error)
        return error_response(503)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)
