"""The plan of the large dataset and the ids the sections hand to each other."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date

from ..calendar import add_months
from .vocabulary import deterministic_uuid

BENCH_DOMAIN = "large.ses.example"


@dataclass(frozen=True)
class Plan:
    """How many of each: the issue's figures times ``factor`` (at least a couple of each)."""

    engineers: int = 5000
    customers: int = 800
    projects: int = 3000
    contracts: int = 6000          # both sides of the chain
    partners: int = 300
    managers: int = 40
    finance: int = 5
    notifications: int = 2_000_000
    months: int = 24

    @classmethod
    def scaled(cls, factor: float) -> Plan:
        full = cls()
        floors = {"engineers": 20, "customers": 4, "projects": 8, "contracts": 16, "partners": 2,
                  "managers": 2, "finance": 1, "notifications": 200}
        return cls(**{name: max(floors[name], round(getattr(full, name) * factor)) for name in floors},
                   months=full.months)


@dataclass
class Customer:
    id: uuid.UUID
    code: str
    name: str
    honorific: str
    address: str
    payment_month_offset: int
    payment_day: int
    per_contract: bool


@dataclass
class Partner:
    id: uuid.UUID
    code: str
    name: str


@dataclass
class Engineer:
    id: uuid.UUID
    code: str
    name: str
    employment: str
    partner: Partner | None
    profile: str
    desired_rate: int
    user_id: uuid.UUID | None = None


@dataclass
class Project:
    id: uuid.UUID
    code: str
    customer: Customer
    profile: str
    title: str
    work_style: str
    manager_id: uuid.UUID
    sales_id: uuid.UUID
    staffed: bool
    rate: int
    status: str = ""
    start: date | None = None
    end: date | None = None
    skills: list = field(default_factory=list)


@dataclass
class Contract:
    id: uuid.UUID
    number: str
    project: Project
    engineer: Engineer
    start: date
    end: date
    price: int
    method: str
    lower: int
    upper: int


@dataclass
class World:
    plan: Plan
    seed: int
    today: date
    password_hash: str
    admin_id: uuid.UUID | None = None
    managers: list[uuid.UUID] = field(default_factory=list)
    finance: list[uuid.UUID] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    customer_users: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    partners: list[Partner] = field(default_factory=list)
    partner_users: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    engineers: list[Engineer] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)       # SELL side
    names: dict[uuid.UUID, str] = field(default_factory=dict)     # user id -> display name

    def rng(self, section: str) -> random.Random:
        """An independent random stream per section: changing one section leaves the others."""
        return random.Random(f"{self.seed}:{section}")

    @property
    def months(self) -> list[tuple[int, int]]:
        """The history window: ``plan.months`` months ending with the current month."""
        return [add_months(self.today.year, self.today.month, -i) for i in range(self.plan.months - 1, -1, -1)]

    @property
    def window_start(self) -> date:
        year, month = self.months[0]
        return date(year, month, 1)

    def email(self, local: str) -> str:
        return f"{local}@{BENCH_DOMAIN}"


def new_id(rng: random.Random) -> uuid.UUID:
    return deterministic_uuid(rng)
