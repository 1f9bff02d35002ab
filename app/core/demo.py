"""Demo data: a small, realistic SES company with a few months of history.

``flask --app wsgi ses demo`` loads it once (idempotent).  Each context contributes its part in
``app/<context>/demo.py`` (a ``load(demo)`` function), called in the design's order after the
staff logins exist; the logins of engineers, customers and partners are created once their
records exist.  Everything is deterministic for a given seed.
"""

from __future__ import annotations

import importlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db

DEMO_PASSWORD = "demo-pass-2026"
# (role, e-mail, name) -- printed by `flask ses logins` and the run command
DEMO_LOGINS = [
    ("admin", "admin@demo.ses.example", "管理 太郎"),
    ("project_manager", "sales@demo.ses.example", "営業 花子"),
    ("project_manager", "pm@demo.ses.example", "髙橋 健一"),
    ("finance", "finance@demo.ses.example", "経理 美咲"),
    ("engineer", "engineer@demo.ses.example", "山﨑 翔太"),
    ("customer", "customer@demo.ses.example", "顧客 一郎 (株式会社さくら銀行システム)"),
    ("partner", "partner@demo.ses.example", "協力 次郎 (株式会社ブルーテック)"),
]

# Records the portal logins are linked to (created by the contexts' demo loaders).
LINKED_RECORDS = {"engineer": ("engineer_context.engineers", "E0001"),
                  "customer": ("project_context.customers", "C001"),
                  "partner": ("engineer_context.partner_companies", "P001")}

CONTEXT_ORDER = ("projects", "engineers", "contracts", "matching", "timesheets", "billing",
                 "reports", "notifications")


@dataclass
class Demo:
    """Shared state of one demo load: the random source, 'today', users and created ids."""

    rng: random.Random
    today: date
    users: dict[str, uuid.UUID] = field(default_factory=dict)      # e-mail -> user id
    ids: dict[str, dict[str, uuid.UUID]] = field(default_factory=dict)  # kind -> code -> id
    echo: object = print

    def user(self, email: str) -> uuid.UUID:
        return self.users[email]

    def remember(self, kind: str, code: str, id_: uuid.UUID) -> None:
        self.ids.setdefault(kind, {})[code] = id_


def load(scale: str = "small", seed: int = 20261127, echo=print, today: date | None = None) -> bool:
    """Load the demo company; False if it is already there."""
    from ..auth.models import User

    if scale == "large":
        from .scale import load_large
        return load_large(seed=seed, echo=echo)
    if db.session.scalar(select(User.id).where(User.email == DEMO_LOGINS[0][1])):
        return False
    demo = Demo(rng=random.Random(seed), today=today or date.today(), echo=echo)
    db.session.execute(db.text("SELECT platform.create_partitions(:f, :t)"),
                       {"f": date(demo.today.year - 1, 1, 1), "t": date(demo.today.year + 1, 12, 31)})
    _create_logins(demo, staff=True)
    for name in CONTEXT_ORDER:
        try:
            module = importlib.import_module(f"app.{name}.demo")
        except ModuleNotFoundError:
            continue
        if name == "contracts":
            _create_logins(demo, staff=False)
        echo(f"  demo: {name}")
        module.load(demo)
        db.session.flush()
    _create_logins(demo, staff=False)
    return True


def _create_logins(demo: Demo, *, staff: bool) -> None:
    from ..auth.services import create_user

    for role, email, name in DEMO_LOGINS:
        if (role in LINKED_RECORDS) == staff or email in demo.users:
            continue
        links = {}
        if role in LINKED_RECORDS:
            table, code = LINKED_RECORDS[role]
            record_id = db.session.execute(
                db.text(f"SELECT id FROM {table} WHERE code = :c AND deleted_at IS NULL"), {"c": code}
            ).scalar()
            if record_id is None:
                continue
            links = {{"engineer": "engineer_id", "customer": "customer_id",
                      "partner": "partner_company_id"}[role]: record_id}
        user = create_user(email=email, display_name=name.split(" (")[0], role=role,
                           password=DEMO_PASSWORD, **links)
        demo.users[email] = user.id
