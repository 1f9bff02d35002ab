"""Cases (案件), contracts on both sides of the chain, and the matching that led to them.

Two thirds of the cases are staffed: every engineer who works has one long contract (a tenth
change case once) starting before or early in the history window, for a case of their profile;
a partner company's engineer has a BUY contract backing each SELL contract.  Contracts are
added engineer by engineer until the planned number is reached; the rest of the pool is on the
bench.  The other cases are in the pipeline (引合, 提案中, 受注) or lost.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from ...engineers.skills import skill_key
from ..calendar import add_months, month_end
from .copying import Loader
from .vocabulary import PROFILE_ROLES, PROFILE_WEIGHTS, PROFILES, PROJECT_TITLES, STATIONS
from .world import Contract, Project, World, new_id

METHODS = (("UPPER_LOWER", 60), ("MIDDLE", 25), ("NONE", 10), ("FIXED", 5))
RANGES = (((140, 180), 70), ((150, 190), 15), ((160, 200), 10), ((140, 200), 5))
OPEN = ("INQUIRY", "PROPOSING", "ORDERED")
PIPELINE = (("INQUIRY", 25), ("PROPOSING", 30), ("ORDERED", 10), ("LOST", 25), ("CANCELLED", 10))


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _month_start(day: date, months: int) -> date:
    year, month = add_months(day.year, day.month, months)
    return date(year, month, 1)


def _month_end(day: date, months: int) -> date:
    return month_end(*add_months(day.year, day.month, months))


def plan_projects(world: World) -> None:
    rng = world.rng("projects")
    profiles = list(PROFILE_WEIGHTS)
    weights = [PROFILE_WEIGHTS[p] for p in profiles]
    staffed = round(world.plan.projects * 2 / 3)
    for i in range(1, world.plan.projects + 1):
        profile = rng.choices(profiles, weights)[0]
        customer = rng.choice(world.customers)
        title = f"{rng.choice(PROJECT_TITLES[profile])}（{PROFILES[profile][0][0]}）"
        manager = rng.choice(world.managers)
        sales = manager if rng.random() < 0.5 else rng.choice(world.managers)
        world.projects.append(Project(
            new_id(rng), f"PJ-{i:05d}", customer, profile, title,
            rng.choice(("ONSITE", "REMOTE", "HYBRID")), manager, sales, i <= staffed,
            rng.randint(55, 95) * 10_000))


def plan_contracts(world: World) -> list[tuple]:
    """SELL contracts in ``world.contracts``; returns the BUY rows that back partner engineers."""
    rng = world.rng("contracts")
    by_profile: dict[str, list[Project]] = {}
    for project in world.projects:
        if project.staffed:
            by_profile.setdefault(project.profile, []).append(project)
    any_staffed = [p for p in world.projects if p.staffed]
    engineers = list(world.engineers)
    rng.shuffle(engineers)
    total, buys, numbers = 0, [], iter(range(1, 10**6))
    for engineer in engineers:
        if total >= world.plan.contracts:
            break
        for start, end in _timeline(rng, world):
            project = rng.choice(by_profile.get(engineer.profile) or any_staffed)
            contract = _sell_contract(rng, project, engineer, start, end, next(numbers))
            world.contracts.append(contract)
            total += 1
            if engineer.partner is not None:
                buys.append((contract, next(numbers)))
                total += 1
    return buys


def _timeline(rng, world: World) -> list[tuple[date, date]]:
    w0, today = world.window_start, world.today
    if rng.random() < 0.92:
        start = _month_start(w0, rng.choice((-18, -12, -9, -6, -3, -2, -1, 0, 0, 1, 2, 4)))
        end = _month_end(today, rng.choice((-2, 1, 1, 2, 3, 5, 6, 8, 11, 11, 11, 11)))
        return [(start, max(end, _month_end(start, 2)))]
    first_start = _month_start(w0, -rng.randint(0, 12))
    first_end = _month_end(w0, rng.randint(4, 16))
    second_start = _month_start(first_end, rng.randint(1, 2))
    second_end = max(_month_end(today, rng.randint(1, 12)), _month_end(second_start, 2))
    return [(first_start, first_end), (second_start, second_end)]


def _sell_contract(rng, project: Project, engineer, start: date, end: date, n: int) -> Contract:
    base = engineer.desired_rate if engineer.partner is None else round(engineer.desired_rate * 1.15, -4)
    price = int(round(base * rng.uniform(1.1, 1.3), -4))
    lower, upper = _pick(rng, RANGES)
    return Contract(new_id(rng), f"S{start.year}-{n:05d}", project, engineer, start, end, price,
                    _pick(rng, METHODS), lower, upper)


def _status(world: World, start: date, end: date) -> str:
    if end < world.today:
        return "ENDED"
    return "ACTIVE" if start <= world.today else "CONCLUDED"


CONTRACT_COLUMNS = (
    "id", "contract_number", "contract_type", "side", "sell_contract_id", "project_id", "engineer_id",
    "customer_id", "partner_company_id", "matching_result_id", "title", "status", "start_date", "end_date",
    "monthly_price", "settlement_method", "lower_hours", "upper_hours", "excess_rate", "deduction_rate",
    "payment_month_offset", "payment_day", "responsible_person", "client_supervisor", "work_site",
    "work_description", "dispatch_license_number", "deliverables", "contract_terms", "concluded_at",
    "created_by")


def contract_rows(world: World, buys: list[tuple], results: dict) -> list[tuple]:
    rng = world.rng("contract-rows")
    rows = []
    for contract in world.contracts:
        employee = contract.engineer.partner is None and contract.engineer.employment != "FREELANCE"
        kind = "DISPATCH" if employee and rng.random() < 0.12 else (
            "CONTRACTED_WORK" if rng.random() < 0.03 else "QUASI_MANDATE")
        customer = contract.project.customer
        rows.append(_row(world, contract, contract.id, contract.number, kind, "SELL", None, customer.id, None,
                         results.get(contract.id), contract.price, contract.method,
                         customer.payment_month_offset, customer.payment_day))
    for sell, n in buys:
        price = int(round(sell.price / rng.uniform(1.1, 1.25), -4))
        rows.append(_row(world, sell, new_id(rng), f"B{sell.start.year}-{n:05d}", "QUASI_MANDATE", "BUY",
                         sell.id, None, sell.engineer.partner.id, None, price,
                         "MIDDLE" if sell.method != "NONE" else "NONE", 1, 0))
    return rows


def _row(world, c: Contract, id_, number, kind, side, sell_id, customer_id, partner_id, result_id, price,
         method, offset, day) -> tuple:
    fixed = method == "FIXED"
    rate = int(price / 160 // 10 * 10)
    ranged = method != "NONE"
    terms = {"settlement": {"method": method, "lower_hours": c.lower if ranged else None,
                            "upper_hours": c.upper if ranged else None},
             "payment": {"month_offset": offset, "day": day}}
    return (id_, number, kind, side, sell_id, c.project.id, c.engineer.id, customer_id, partner_id, result_id,
            f"{c.project.title} {c.engineer.name}", _status(world, c.start, c.end), c.start, c.end, price,
            method, c.lower if ranged else None, c.upper if ranged else None, rate if fixed else None,
            rate if fixed else None, offset, day, "当社 業務責任者" if kind != "DISPATCH" else "派遣元責任者",
            "顧客 指揮命令者" if kind == "DISPATCH" else None, c.project.customer.address,
            f"{c.project.title}における設計・開発", "派13-301234" if kind == "DISPATCH" else None,
            "設計書一式、ソースコード" if kind == "CONTRACTED_WORK" else None,
            json.dumps(terms, ensure_ascii=False), c.start - timedelta(days=20), c.project.manager_id)


def settle_projects(world: World) -> None:
    """Status and period of each case: from its contracts, or a pipeline stage."""
    rng = world.rng("project-status")
    periods: dict = {}
    for contract in world.contracts:
        first, last, active = periods.get(contract.project.id, (contract.start, contract.end, False))
        periods[contract.project.id] = (min(first, contract.start), max(last, contract.end),
                                        active or contract.start <= world.today <= contract.end)
    for p in world.projects:
        if p.id in periods:
            p.start, p.end, active = periods[p.id]
            p.status = "ACTIVE" if active else ("COMPLETED" if p.end < world.today else "ORDERED")
        else:
            p.status = _pick(rng, PIPELINE)
            p.start = _month_start(world.today, rng.randint(0, 3) if p.status in OPEN else -rng.randint(1, 18))
            p.end = _month_end(p.start, rng.randint(5, 17))


def project_rows(world: World) -> tuple[list, list, list]:
    rng = world.rng("project-rows")
    rows, requirements, phases = [], [], []
    for p in world.projects:
        skills = [{"key": skill_key(name), "name": name, "min_years": rng.randint(1, 5), "mandatory": k < 2}
                  for k, (name, _) in enumerate(PROFILES[p.profile][: rng.randint(2, 4)])]
        roles = PROFILE_ROLES.get(p.profile, ["PG", "SE"])
        requirement = {"skills": skills, "phases": ["DETAILED_DESIGN", "BUILD", "TEST"], "roles": roles}
        ordered = p.status in ("ORDERED", "ACTIVE", "COMPLETED")
        rows.append((p.id, p.code, p.customer.id, p.title, p.status, rng.randint(1, 5), p.start, p.end,
                     p.customer.address, rng.choice(STATIONS), p.work_style, rng.randint(1, 5),
                     p.rate - 100_000, p.rate + 100_000, 140, 180, "BUSINESS",
                     json.dumps(requirement, ensure_ascii=False), p.manager_id, p.sales_id,
                     p.start - timedelta(days=30) if ordered else None,
                     "競合他社に決定" if p.status == "LOST" else None))
        p.skills = skills
        for k, skill in enumerate(skills):
            requirements.append((new_id(rng), p.id, "SKILL", skill["name"], skill["min_years"], skill["mandatory"], k))
        for k, phase in enumerate(("DETAILED_DESIGN", "BUILD")):
            phases.append((new_id(rng), p.id, {"DETAILED_DESIGN": "詳細設計", "BUILD": "製造"}[phase], phase,
                           p.start, p.end, "IN_PROGRESS" if p.status == "ACTIVE" else "PLANNED", k))
    return rows, requirements, phases


def load_projects(loader: Loader, world: World) -> None:
    rows, requirements, phases = project_rows(world)
    loader.copy("project_context.projects",
                ("id", "code", "customer_id", "title", "status", "priority", "start_date", "end_date",
                 "location", "nearest_station", "work_style", "headcount", "rate_min", "rate_max",
                 "settlement_lower_hours", "settlement_upper_hours", "required_japanese_level",
                 "requirements", "project_manager_id", "sales_manager_id", "ordered_at", "closed_reason"), rows)
    loader.copy("project_context.project_requirements",
                ("id", "project_id", "requirement_type", "name", "min_years", "is_mandatory", "sort_order"),
                requirements)
    loader.copy("project_context.project_phases",
                ("id", "project_id", "name", "phase_type", "start_date", "end_date", "status", "sort_order"),
                phases)
