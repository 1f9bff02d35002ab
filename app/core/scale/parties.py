"""Staff logins, customers and their contacts, partner companies, the engineer pool with skills,
certifications and work history, and the portal logins of engineers, customers and partners."""

from __future__ import annotations

import json
from datetime import date, timedelta

from ...engineers.skills import skill_key
from .copying import Loader
from .vocabulary import (
    CERTIFICATES,
    CITIES,
    COMPANY_STEMS,
    INDUSTRIES,
    PARTNER_WORDS,
    PROFILE_ROLES,
    PROFILE_WEIGHTS,
    PROFILES,
    STATIONS,
    corporate_number,
    person_name,
)
from .world import Customer, Engineer, Partner, World, new_id

SUFFIXES = ("東日本", "西日本", "ホールディングス", "テクノロジー", "サービス", "ネットワーク", "パートナーズ",
            "ビジネス", "エンジニアリング", "コンサルティング")
USER_COLUMNS = ("id", "email", "display_name", "role", "engineer_id", "customer_id",
                "partner_company_id", "password_hash", "locale")


def load_staff(loader: Loader, world: World) -> None:
    rng = world.rng("staff")
    rows = []

    def staff(role: str, local: str, name: str):
        user_id = new_id(rng)
        world.names[user_id] = name
        rows.append((user_id, world.email(local), name, role, None, None, None, world.password_hash, "ja"))
        return user_id

    world.admin_id = staff("admin", "admin", "管理 太郎")
    staff("admin", "admin2", "管理 次郎")
    world.managers = [staff("project_manager", f"pm{i:03d}", person_name(rng)[0])
                      for i in range(1, world.plan.managers + 1)]
    world.finance = [staff("finance", f"finance{i:02d}", person_name(rng)[0])
                     for i in range(1, world.plan.finance + 1)]
    loader.copy("platform.users", USER_COLUMNS, rows)


def _company_names(rng, count: int, words, suffix_words=()) -> list[tuple[str, str]]:
    """Distinct company names with their kana (株式会社 in front or behind)."""
    names, seen = [], set()
    while len(names) < count:
        stem, stem_kana = rng.choice(COMPANY_STEMS)
        word, word_kana = rng.choice(words)
        name = f"{stem}{word}"
        if name in seen:
            name += rng.choice(SUFFIXES)
            if name in seen:
                continue
        seen.add(name)
        formal = f"株式会社{name}" if rng.random() < 0.6 else f"{name}株式会社"
        names.append((formal, f"{stem_kana}{word_kana}"))
    return names


def load_customers(loader: Loader, world: World) -> None:
    rng = world.rng("customers")
    rows, contacts = [], []
    terms = [(1, 0)] * 6 + [(2, 15)] * 3 + [(2, 0)] * 1      # 30-, 45- and 60-day terms
    for i, (name, kana) in enumerate(_company_names(rng, world.plan.customers, INDUSTRIES), start=1):
        number = corporate_number(f"{100000000000 + i * 7919:012d}")
        offset, day = rng.choice(terms)
        address = f"{rng.choice(CITIES)}{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        customer = Customer(new_id(rng), f"C{i:04d}", name, "御中", address, offset, day,
                            per_contract=rng.random() < 0.6)
        world.customers.append(customer)
        rows.append((customer.id, customer.code, name, kana, number, f"T{number}", "御中",
                     f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}", address,
                     f"03-{rng.randint(3000, 6999)}-{rng.randint(1000, 9999)}", "経理部", 0, offset, day,
                     "PREVIOUS", "PER_CONTRACT" if customer.per_contract else "PER_CUSTOMER",
                     rng.random() < 0.3))
        for n in range(rng.randint(1, 3)):
            person, person_kana = person_name(rng)
            contacts.append((new_id(rng), customer.id, person, person_kana,
                             ("経理部", "情報システム部", "購買部")[n], ("課長", "部長", "主任")[n],
                             f"contact{n + 1}@{customer.code.lower()}.example.jp", n == 0, n == 1))
    loader.copy("project_context.customers",
                ("id", "code", "name", "name_kana", "corporate_number", "registration_number", "honorific",
                 "postal_code", "address", "phone", "billing_department", "closing_day",
                 "payment_month_offset", "payment_day", "payment_holiday_rule", "invoice_grouping",
                 "attach_work_report"), rows)
    loader.copy("project_context.customer_contacts",
                ("id", "customer_id", "name", "name_kana", "department", "title", "email",
                 "is_billing_contact", "is_work_report_approver"), contacts)


def load_partners(loader: Loader, world: World) -> None:
    rng = world.rng("partners")
    rows = []
    for i, (name, kana) in enumerate(_company_names(rng, world.plan.partners, PARTNER_WORDS), start=1):
        number = corporate_number(f"{200000000000 + i * 104729:012d}")
        registered = rng.random() < 0.85
        capital = rng.choice((300, 500, 1000, 3000, 5000, 10000)) * 10000
        partner = Partner(new_id(rng), f"P{i:04d}", name)
        world.partners.append(partner)
        rows.append((partner.id, partner.code, name, kana, number, f"T{number}" if registered else None,
                     capital, rng.randint(5, 300), capital <= 50_000_000,
                     f"{rng.choice(CITIES)}{rng.randint(1, 5)}-{rng.randint(1, 30)}",
                     f"sales@{partner.code.lower()}.example.jp", 0, 1, 0, "PREVIOUS"))
    loader.copy("engineer_context.partner_companies",
                ("id", "code", "name", "name_kana", "corporate_number", "registration_number",
                 "capital_yen", "employee_count", "subcontract_act_covered", "address", "contact_email",
                 "closing_day", "payment_month_offset", "payment_day", "payment_holiday_rule"), rows)


ENGINEER_COLUMNS = ("id", "code", "employment_type", "partner_company_id", "full_name", "full_name_kana",
                    "initials", "email", "nearest_station", "work_style_preference", "desired_rate",
                    "availability_status", "japanese_level", "experience_years", "roles", "skills", "summary")


def load_engineers(loader: Loader, world: World) -> None:
    """The pool (profiles weighted like a Java-heavy SES company); availability is set once the
    contracts exist (``set_availability``)."""
    rng = world.rng("engineers")
    profiles = list(PROFILE_WEIGHTS)
    weights = [PROFILE_WEIGHTS[p] for p in profiles]
    rows, skills, certificates, histories = [], [], [], []
    for i in range(1, world.plan.engineers + 1):
        roll = rng.random()
        employment = ("EMPLOYEE" if roll < 0.62 else "CONTRACT_EMPLOYEE" if roll < 0.67
                      else "FREELANCE" if roll < 0.8 else "PARTNER")
        partner = rng.choice(world.partners) if employment == "PARTNER" else None
        profile = rng.choices(profiles, weights)[0]
        years = rng.randint(1, 25)
        name, kana = person_name(rng)
        rate = min(1_300_000, 400_000 + years * 20_000 + rng.randint(0, 20) * 10_000)
        engineer = Engineer(new_id(rng), f"E{i:05d}", name, employment, partner, profile, rate)
        world.engineers.append(engineer)
        owned = _skills(rng, profile, years)
        roles = PROFILE_ROLES.get(profile, ["PG", "SE"] if years < 8 else ["SE", "PL"])
        japanese = rng.choices(("NATIVE", "BUSINESS", "N1", "N2"), (92, 3, 3, 2))[0]
        rows.append((engineer.id, engineer.code, employment, partner.id if partner else None, name, kana,
                     "".join(w[0] for w in kana.split()), f"{engineer.code.lower()}@engineers.example.jp",
                     rng.choice(STATIONS), rng.choice(("ONSITE", "REMOTE", "HYBRID", "ANY")), rate,
                     "AVAILABLE", japanese, years, roles, json.dumps(owned, ensure_ascii=False),
                     f"{owned[0]['name']}を中心に{years}年の開発経験があります。"))
        for skill in owned:
            skills.append((new_id(rng), engineer.id, skill["category"], skill["name"], skill["level"],
                           skill["years"], world.today.year - rng.randint(0, 2)))
        if years >= 3:
            certificates.append((new_id(rng), engineer.id, CERTIFICATES[profile],
                                 date(world.today.year - rng.randint(1, min(years, 10)), rng.randint(1, 12), 1)))
        histories.extend(_history(rng, world, engineer, years))
    loader.copy("engineer_context.engineers", ENGINEER_COLUMNS, rows)
    loader.copy("engineer_context.skill_assessments",
                ("id", "engineer_id", "skill_category", "skill_name", "skill_level", "years_experience",
                 "last_used_year"), skills)
    loader.copy("engineer_context.certifications", ("id", "engineer_id", "name", "acquired_on"), certificates)
    loader.copy("engineer_context.work_histories",
                ("id", "engineer_id", "started_on", "ended_on", "project_summary", "industry", "role",
                 "team_size", "phases", "technologies"), histories)


def _skills(rng, profile: str, years: int) -> list[dict]:
    owned = []
    for index, (name, category) in enumerate(PROFILES[profile][: 3 + rng.randint(0, 3)]):
        skill_years = max(1, years - index * 2 - rng.randint(0, 2))
        owned.append({"key": skill_key(name), "name": name, "category": category, "years": float(skill_years),
                      "level": min(5, 1 + skill_years // 3)})
    return owned


def _history(rng, world: World, engineer: Engineer, years: int):
    end = world.window_start - timedelta(days=1)
    for _ in range(min(3, 1 + years // 5)):
        start = end - timedelta(days=180 * rng.randint(1, 5))
        skills = [name for name, _ in PROFILES[engineer.profile][:3]]
        yield (new_id(rng), engineer.id, start, end, f"{skills[0]}による業務システム開発",
               rng.choice(("銀行", "保険", "物流", "小売", "通信", "製造", "公共")), "SE", rng.randint(3, 40),
               ["DETAILED_DESIGN", "BUILD", "TEST"], skills)
        end = start - timedelta(days=1)


def load_portal_users(loader: Loader, world: World) -> None:
    """A login for every engineer, one per customer and one per partner company."""
    rng = world.rng("portal-users")
    rows = []
    for engineer in world.engineers:
        engineer.user_id = new_id(rng)
        world.names[engineer.user_id] = engineer.name
        rows.append((engineer.user_id, world.email(engineer.code.lower()), engineer.name, "engineer",
                     engineer.id, None, None, world.password_hash, "ja"))
    for customer in world.customers:
        user_id = world.customer_users[customer.id] = new_id(rng)
        name = person_name(rng)[0]
        world.names[user_id] = name
        rows.append((user_id, world.email(customer.code.lower()), name, "customer", None, customer.id, None,
                     world.password_hash, "ja"))
    for partner in world.partners:
        user_id = world.partner_users[partner.id] = new_id(rng)
        name = person_name(rng)[0]
        world.names[user_id] = name
        rows.append((user_id, world.email(partner.code.lower()), name, "partner", None, None, partner.id,
                     world.password_hash, "ja"))
    loader.copy("platform.users", USER_COLUMNS, rows)


def set_availability(loader: Loader, world: World) -> None:
    """ASSIGNED while a contract runs, ROLLING_OFF when it ends within two months, else AVAILABLE."""
    soon = world.today + timedelta(days=61)
    status = {}
    for contract in world.contracts:
        if contract.start <= world.today <= contract.end:
            rolling = contract.end <= soon
            status[contract.engineer.id] = ("ROLLING_OFF" if rolling else "ASSIGNED",
                                            contract.end + timedelta(days=1), contract.id)
    with loader.conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE scale_availability (id uuid, status text, available date) ON COMMIT DROP")
        with cur.copy("COPY scale_availability FROM STDIN") as copy:
            for engineer_id, (state, available, _) in status.items():
                copy.write_row((engineer_id, state, available))
        cur.execute("UPDATE engineer_context.engineers e SET availability_status = a.status,"
                    " available_from = a.available FROM scale_availability a WHERE a.id = e.id")
        cur.execute("UPDATE engineer_context.engineers SET available_from = %s"
                    " WHERE availability_status = 'AVAILABLE'", (world.today,))
    rng = world.rng("availability")
    rolling = [(new_id(rng), engineer_id, available, "CONTRACT_ROLL_OFF", contract_id)
               for engineer_id, (state, available, contract_id) in status.items() if state == "ROLLING_OFF"]
    loader.copy("engineer_context.availability_periods",
                ("id", "engineer_id", "available_from", "source", "contract_id"), rolling)
