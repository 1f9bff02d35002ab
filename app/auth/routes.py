from __future__ import annotations

import uuid
from datetime import datetime
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import text

from ..core.access import roles_required
from ..core.htmx import navigate, render
from ..core.i18n import LOCALES
from ..core.i18n import lazy_gettext as _l
from ..core.nav import home_endpoint
from ..core.pdf import pdf_response, render_pdf
from ..extensions import db
from . import bp, services
from .forms import LoginForm, UserForm
from .models import User
from .queries import link_choices
from .roles import ROLE_LABELS


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render("auth/login.html", form=form, status=422 if form.is_submitted() else 200)
    try:
        user_id = services.authenticate(form.email.data, form.password.data, request.remote_addr)
    except services.LoginThrottled:
        form.password.errors.append(str(_l("ログインの失敗が続いたため、一時的にロックしています。15分ほど待ってからお試しください。")))
        return render("auth/login.html", form=form, status=429)
    if user_id is None:
        db.session.commit()   # keep the failed attempt (throttling) despite the error status
        form.password.errors.append(str(_l("メールアドレスまたはパスワードが正しくありません。")))
        return render("auth/login.html", form=form, status=422)
    next_url = _safe_next(request.args.get("next"))
    session.clear()           # a fresh session (and CSRF token) at every login
    token = services.open_session(user_id, request.remote_addr, request.user_agent.string)
    login_user(services.resolve_session(token))
    return redirect(next_url or url_for("auth.home"), code=303)


@bp.post("/logout")
@login_required
def logout():
    services.close_session(current_user.get_id())
    locale = str(get_locale())
    logout_user()
    session.clear()
    session["locale"] = locale     # the login page stays in the language they were using
    flash(_l("ログアウトしました。"), "info")
    return navigate(url_for("auth.login"))


@bp.post("/locale")
def set_locale():
    locale = request.form.get("locale")
    if locale not in LOCALES:
        abort(400)
    session["locale"] = locale
    if current_user.is_authenticated:
        db.session.execute(text("UPDATE platform.users SET locale = :l WHERE id = :u"),
                           {"l": locale, "u": current_user.user_id})
    return navigate(_safe_next(request.form.get("next")) or url_for("auth.home"))


@bp.get("/")
@login_required
def home():
    endpoint = home_endpoint()
    if endpoint:
        return redirect(url_for(endpoint))
    return render("auth/home.html")


# --- user administration --------------------------------------------------------------------

def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    for field, choices in link_choices().items():
        getattr(form, field).choices = choices
        if user is not None and not form.is_submitted():
            getattr(form, field).data = str(getattr(user, field) or "")
    return form


def _link_values(form: UserForm) -> dict:
    return {f: uuid.UUID(getattr(form, f).data) if getattr(form, f).data else None
            for f in ("engineer_id", "customer_id", "partner_company_id")}


@bp.get("/admin/users")
@roles_required("admin")
def users():
    return render("auth/users.html", users=services.list_users(), role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    form = _user_form()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(str(_l("パスワードを入力してください。")))
        else:
            try:
                services.create_user(email=form.email.data, display_name=form.display_name.data,
                                     role=form.role.data, password=form.password.data,
                                     locale=form.locale.data, **_link_values(form))
            except services.UserError as error:
                getattr(form, error.field).errors.append(error.message)
            else:
                flash(_l("ユーザーを作成しました。"), "success")
                return navigate(url_for("auth.users"))
    status = 422 if form.is_submitted() else 200
    return render("auth/user_form.html", "form_block", form=form, user=None, status=status)


@bp.route("/admin/users/<uuid:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: uuid.UUID):
    user = db.session.get(User, user_id) or abort(404)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            services.update_user(user, display_name=form.display_name.data, role=form.role.data,
                                 is_active=form.is_active.data, locale=form.locale.data,
                                 password=form.password.data or None, **_link_values(form))
        except services.UserError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(_l("ユーザーを更新しました。"), "success")
            return navigate(url_for("auth.users"))
    status = 422 if form.is_submitted() else 200
    return render("auth/user_form.html", "form_block", form=form, user=user, status=status)


@bp.get("/admin/users.pdf")
@roles_required("admin")
def users_pdf():
    data = render_pdf("pdf/users.html", users=services.list_users(), role_labels=ROLE_LABELS,
                      printed_at=datetime.now())
    return pdf_response(data, "ユーザー一覧.pdf")
