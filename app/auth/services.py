"""Authentication, login sessions and user administration.

Passwords are hashed with Argon2id at the parameters argon2-cffi recommends (RFC 9106 "low
memory": t=3, m=64 MiB, p=4).  A login session is a random token: the cookie carries the token,
the database only its SHA-256, so sessions can be ended server-side (logout, disabling the user,
idle and absolute timeouts).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_request_context, request
from flask_login import UserMixin
from sqlalchemy import select, text

from ..core.i18n import lazy_gettext as _l
from ..core.identity import SESSION_SETTINGS_SQL, Identity, session_settings_params
from ..extensions import db
from .models import User
from .roles import DB_ROLES

password_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so the answer takes as long as for a real account.
_DUMMY_HASH = password_hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 10


class LoginThrottled(Exception):
    """Too many failed logins for the account or from the address."""


class UserError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class SessionUser(UserMixin):
    """The logged-in user as Flask-Login sees it; its id is the session token."""

    token: str
    session_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    display_name: str
    role: str
    engineer_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    partner_company_id: uuid.UUID | None
    locale: str
    touched: bool = False        # this lookup moved last_seen_at: a write to commit
    entered: bool = False        # this lookup switched its transaction to the user (enter_session)

    def get_id(self) -> str:
        return self.token

    @property
    def identity(self) -> Identity:
        return Identity(role=self.role, user_id=self.user_id, engineer_id=self.engineer_id,
                        customer_id=self.customer_id, partner_company_id=self.partner_company_id,
                        display_name=self.display_name, locale=self.locale,
                        session_token_sha256=token_sha256(self.token))


def authenticate(email: str, password: str, ip: str | None) -> uuid.UUID | None:
    """The user id if the password is right; records the attempt; raises LoginThrottled."""
    config = current_app.config
    email = (email or "").strip().lower()[:254]
    failures = db.session.execute(
        text("SELECT * FROM platform.recent_login_failures(:e, CAST(:ip AS inet), :w)"),
        {"e": email, "ip": ip, "w": config["LOGIN_THROTTLE_WINDOW"]},
    ).one()
    if (failures.by_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
            or failures.by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        raise LoginThrottled()
    row = db.session.execute(text("SELECT * FROM platform.login_lookup(:e)"), {"e": email}).first()
    ok = _verify(row.password_hash if row else _DUMMY_HASH, password) and bool(row and row.is_active)
    db.session.execute(text("SELECT platform.record_login_attempt(:e, CAST(:ip AS inet), :ok)"),
                       {"e": email, "ip": ip, "ok": ok})
    return row.user_id if ok else None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def open_session(user_id: uuid.UUID, ip: str | None, user_agent: str | None) -> str:
    """Start a login session and return its token (a new one at every login)."""
    token = secrets.token_urlsafe(32)
    db.session.execute(
        text("SELECT platform.open_session(:u, :t, CAST(:ip AS inet), :ua, :life)"),
        {"u": user_id, "t": token_sha256(token), "ip": ip, "ua": user_agent,
         "life": current_app.config["SESSION_ABSOLUTE_TIMEOUT"]},
    )
    return token


BACKGROUND_HEADER = "X-SES-Background"


def resolve_session(token: str) -> SessionUser | None:
    """The user of a live session.  Requests marked as background polling (``X-SES-Background:
    1``) do not count as activity for the idle timeout."""
    return _lookup(token, enter=False)


def enter_session(token: str) -> SessionUser | None:
    """``resolve_session``, its transaction switched to the user by the same statement (the
    user loader of every request: one round trip less than a lookup and then the settings)."""
    return _lookup(token, enter=True)


_LOOKUP_SQL = "SELECT r.*{} FROM platform.resolve_session(:t, :idle, :touch) AS r"
_RESOLVE_SQL = _LOOKUP_SQL.format("")
# The column's only purpose is to run the set_configs after the lookup, in its statement.
_ENTER_SQL = _LOOKUP_SQL.format(f", num_nonnulls({SESSION_SETTINGS_SQL}) > 0 AS entered")


def _lookup(token: str, enter: bool) -> SessionUser | None:
    background = has_request_context() and request.headers.get(BACKGROUND_HEADER) == "1"
    params = {"t": token_sha256(token), "idle": current_app.config["SESSION_IDLE_TIMEOUT"], "touch": not background}
    if enter:
        params |= session_settings_params()
    row = db.session.execute(text(_ENTER_SQL if enter else _RESOLVE_SQL), params).first()
    if row is None:
        return None
    return SessionUser(token=token, **row._asdict())


def close_session(token: str) -> None:
    db.session.execute(text("SELECT platform.close_session(:t)"), {"t": token_sha256(token)})


# --- user administration (runs as the admin role: row level security allows it) -------------

def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def _check_links(role: str, engineer_id, customer_id, partner_company_id) -> None:
    required = {"engineer": ("engineer_id", engineer_id, _l("技術者を選択してください。")),
                "customer": ("customer_id", customer_id, _l("顧客企業を選択してください。")),
                "partner": ("partner_company_id", partner_company_id,
                            _l("パートナー企業を選択してください。"))}
    if role not in DB_ROLES:
        raise UserError("role", str(_l("ロールを選択してください。")))
    if role in required and not required[role][1]:
        field, _, message = required[role]
        raise UserError(field, str(message))


def create_user(*, email: str, display_name: str, role: str, password: str,
                engineer_id=None, customer_id=None, partner_company_id=None,
                locale: str = "ja") -> User:
    """Create a login for a person; engineers, customers and partners are linked to their record."""
    email = email.strip().lower()
    _check_links(role, engineer_id, customer_id, partner_company_id)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", str(_l("パスワードは%(n)d文字以上にしてください。", n=MIN_PASSWORD_LENGTH)))
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise UserError("email", str(_l("このメールアドレスは既に登録されています。")))
    user = User(email=email, display_name=display_name.strip(), role=role, locale=locale,
                password_hash=hash_password(password),
                engineer_id=engineer_id if role == "engineer" else None,
                customer_id=customer_id if role == "customer" else None,
                partner_company_id=partner_company_id if role == "partner" else None)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, display_name: str, role: str, is_active: bool, locale: str,
                engineer_id=None, customer_id=None, partner_company_id=None,
                password: str | None = None) -> User:
    """Change a user's role, links or status; their open sessions end when role or status change."""
    _check_links(role, engineer_id, customer_id, partner_company_id)
    user.display_name = display_name.strip()
    user.role = role
    user.is_active = is_active
    user.locale = locale
    user.engineer_id = engineer_id if role == "engineer" else None
    user.customer_id = customer_id if role == "customer" else None
    user.partner_company_id = partner_company_id if role == "partner" else None
    if password:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise UserError("password", str(_l("パスワードは%(n)d文字以上にしてください。", n=MIN_PASSWORD_LENGTH)))
        user.password_hash = hash_password(password)
    db.session.flush()
    return user
