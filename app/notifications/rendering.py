"""Notification texts: the templates of ``notification_templates``, rendered in a sandbox.

Templates are data an administrator edits, so they run in Jinja's ``SandboxedEnvironment``
(no attribute access to internals, no imports) over a plain dict of facts.  A missing
template falls back to the IN_APP text of the same locale, then to Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select

from ..core import formatting
from ..extensions import db
from .models import NotificationTemplate


def _as_date(value):
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return value


def _date_filter(format_):
    return lambda value: format_(_as_date(value)) if value else ""


def _yen(value) -> str:
    try:
        return formatting.yen(int(value)) if value not in (None, "") else ""
    except (TypeError, ValueError):
        return str(value)


_env = SandboxedEnvironment(autoescape=False, trim_blocks=False, keep_trailing_newline=True)
_env.filters.update(yen=_yen, jdate=_date_filter(formatting.jdate),
                    slashdate=_date_filter(formatting.slashdate), number=formatting.number)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


class TemplateProblem(ValueError):
    """The template text cannot be used (syntax or sandbox error)."""


@lru_cache(maxsize=1024)
def _compiled(source: str):
    """Compiling is the expensive part: one event may notify dozens of people."""
    return _env.from_string(source)


def check_template(source: str) -> None:
    """Raise TemplateProblem if ``source`` does not compile or render with empty facts."""
    try:
        _env.from_string(source).render({})
    except TemplateError as error:
        raise TemplateProblem(str(error)) from error


def templates_of(code: str) -> dict[tuple[str, str], NotificationTemplate]:
    """A rule's active templates by (locale, channel type)."""
    rows = db.session.scalars(select(NotificationTemplate).where(
        NotificationTemplate.code == code, NotificationTemplate.is_active)).all()
    return {(t.locale, t.channel_type): t for t in rows}


def find_template(code: str, locale: str, channel_type: str,
                  loaded: dict | None = None) -> NotificationTemplate | None:
    candidates = [(locale, channel_type), (locale, "IN_APP"), ("ja", channel_type), ("ja", "IN_APP")]
    by_key = loaded if loaded is not None else templates_of(code)
    return next((by_key[key] for key in candidates if key in by_key), None)


def render(template: NotificationTemplate, facts: dict) -> Rendered:
    subject = _compiled(template.subject_template).render(facts)
    body = _compiled(template.body_template).render(facts)
    return Rendered(subject=" ".join(subject.split())[:300], body=body.strip() + "\n")


def render_sample(subject: str, body: str, facts: dict) -> Rendered:
    """Preview an edited template before it is saved."""
    return render(NotificationTemplate(subject_template=subject, body_template=body), facts)


def today_facts() -> dict:
    """Facts for previews: plausible values of every name the seeded templates use."""
    today = date.today()
    return {"recipient_name": "山田 太郎", "customer_name": "株式会社サンプル", "project_title": "勘定系更改",
            "project_code": "P-0001", "contract_number": "K-0001", "contract_title": "勘定系更改 支援",
            "engineer_name": "髙橋 健一", "invoice_number": "INV-2026-0001", "total_amount": 880000,
            "open_amount": 880000, "due_date": today, "start_date": today, "end_date": today,
            "closing_date": today, "expires_on": today, "year": today.year, "month": today.month,
            "certification_name": "応用情報技術者", "matching_score": "86.50",
            "link": "https://ses.example.jp/", "occurred_at": datetime.now()}
