"""Configuration from the environment.

Secrets (the Flask secret key and the personal-data encryption key) come from environment
variables or, for a local installation, from files in ``instance/`` created on first start.
They are never stored in the database or the repository.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("SES_INSTANCE_PATH", ROOT / "instance"))


def _local_socket_url(user: str) -> str:
    return f"postgresql+psycopg://{user}@/ses?host={INSTANCE / 'pgsocket'}"


def instance_secret(name: str, env: str) -> str:
    """A secret from the environment, else from ``instance/<name>`` (created once)."""
    if value := os.environ.get(env):
        return value
    path = INSTANCE / name
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _normalise_url(url: str) -> str:
    # Accept the usual postgres:// and postgresql:// spellings; we always drive psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _prepare_threshold() -> int | None:
    """After how many executions psycopg prepares a statement on the server (its default, 5).
    ``SES_DB_PREPARE_THRESHOLD=off`` never prepares: behind a PgBouncer older than 1.21 in
    transaction mode a prepared statement would be looked for on another server connection."""
    value = os.environ.get("SES_DB_PREPARE_THRESHOLD", "5")
    if value == "off":
        return None
    if not value.isdigit():
        raise ValueError(f"SES_DB_PREPARE_THRESHOLD must be a number of executions or 'off', not {value!r}")
    return int(value)


class Config:
    SECRET_KEY = property(lambda self: instance_secret("secret_key", "SES_SECRET_KEY"))
    ENCRYPTION_KEY = property(lambda self: instance_secret("encryption_key", "SES_ENCRYPTION_KEY"))

    SQLALCHEMY_DATABASE_URI = _normalise_url(
        os.environ.get("DATABASE_URL") or _local_socket_url("ses_app"))
    # Migrations run with a role that may create roles and schemas; objects are then owned by
    # ses_owner (see migrations/env.py).  Locally that is the cluster's superuser.
    MIGRATION_DATABASE_URL = _normalise_url(
        os.environ.get("MIGRATION_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or _local_socket_url("postgres"))
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_size": int(os.environ.get("SES_DB_POOL_SIZE", 10)),
        "max_overflow": int(os.environ.get("SES_DB_MAX_OVERFLOW", 20)),
        "pool_recycle": 1800,
        "connect_args": {"application_name": "ses-web", "connect_timeout": 5,
                         "prepare_threshold": _prepare_threshold()},
    }
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")

    SESSION_COOKIE_NAME = "ses_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SES_COOKIE_SECURE", "0") == "1"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Server-side login sessions (platform.user_sessions): idle and absolute timeouts.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SES_IDLE_MINUTES", 60)))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SES_ABSOLUTE_HOURS", 12)))
    REMEMBER_COOKIE_DURATION = timedelta(0)

    # Login throttling: failures within the window before HTTP 429.
    LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20

    WTF_CSRF_TIME_LIMIT = None  # bound to the login session instead
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024

    # E-mail: the run command points this at the local sink; production sets a real relay.
    SMTP_HOST = os.environ.get("SES_SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(os.environ.get("SES_SMTP_PORT", 8025))
    MAIL_FROM = os.environ.get("SES_MAIL_FROM", "ses@example.jp")
    PUBLIC_BASE_URL = os.environ.get("SES_PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    FONT_DIR = ROOT / "static" / "fonts"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    ENCRYPTION_KEY = "test-encryption-key"
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 5,
        "connect_args": {"application_name": "ses-test"},
    }
