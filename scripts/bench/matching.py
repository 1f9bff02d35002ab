"""Benchmark of candidate ranking: 5,000 engineers and 1,000 open cases in a fresh database.

    .venv/bin/python scripts/bench/matching.py [--engineers 5000] [--cases 1000] [--samples 200]

Starts a throwaway PostgreSQL 15 cluster, migrates it, writes the pool with COPY (engineers
with skills, work history and partner companies; open cases each with a matching request),
ANALYZEs, then measures as a sales user under their database role (row level security on):

* ``rank_candidates``  -- the ranking query alone (read only);
* ``store_candidates`` -- ranking + upsert of the top 50 + dropping stale ones, committed
  (what "抽出" does);
* the htmx POST that re-ranks a request and renders the candidate table (test client).

Prints p50 / p95 / max in milliseconds and the plan's index use.  Figures go to docs/sales.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pgcluster  # noqa: E402
import psycopg  # noqa: E402
from bench.sessions import client_for  # noqa: E402
from sqlalchemy import text  # noqa: E402

PROFILES = {
    "java": ["Java", "Spring Boot", "Oracle Database", "PostgreSQL", "Linux", "Git"],
    "web": ["TypeScript", "React", "Next.js", "Vue.js", "Node.js", "AWS"],
    "infra": ["AWS", "Terraform", "Linux", "Kubernetes", "Docker", "Cisco"],
    "dotnet": ["C#", ".NET", "SQL Server", "Azure"],
    "go": ["Go", "GCP", "Docker", "MySQL", "Kubernetes"],
    "data": ["Python", "SQL", "Snowflake", "機械学習", "AWS"],
    "mobile": ["Flutter", "Dart", "Firebase", "Kotlin", "Swift"],
    "cobol": ["COBOL", "JCL", "Java"],
    "pm": ["プロジェクト管理", "要件定義", "Java"],
    "qa": ["Selenium", "Python", "テスト設計", "JMeter"],
}
STATIONS = ["東京", "品川", "新宿", "渋谷", "池袋", "大崎", "豊洲", "横浜", "大宮", "三越前", "茅場町", "川崎"]
PHASES = ["REQUIREMENTS", "BASIC_DESIGN", "DETAILED_DESIGN", "BUILD", "TEST", "OPERATIONS"]
ROLES = ["PM", "PL", "SE", "PG"]
STYLES = ["ONSITE", "REMOTE", "HYBRID"]
RESTRICTIONS = ["NONE"] * 6 + ["PARTNER_ONE_TIER", "NO_SOLE_PROPRIETORS", "NO_FURTHER_TIERS", "EMPLOYEES_ONLY"]
PM_EMAIL = "bench-sales@bench.example"


def key(name: str) -> str:
    from app.engineers.skills import skill_key
    return skill_key(name)


def _copy(conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(dsn: str, engineers: int, cases: int, today: date, rng: random.Random) -> None:
    from app.auth.services import hash_password

    with psycopg.connect(dsn, autocommit=False) as conn:
        conn.execute("SET session_replication_role = replica")      # bulk load: no per-row triggers
        pm = uuid.uuid4()
        _copy(conn, "platform.users", ("id", "email", "display_name", "role", "password_hash"),
              [(pm, PM_EMAIL, "ベンチ 営業", "project_manager", hash_password("bench-password-1"))])
        partners = [(uuid.uuid4(), f"P{i:04d}", f"パートナー{i}株式会社", i % 10 == 0) for i in range(50)]
        _copy(conn, "engineer_context.partner_companies", ("id", "code", "name", "is_sole_proprietor"), partners)
        pool, histories = _engineers(engineers, partners, today, rng)
        _copy(conn, "engineer_context.engineers", (
            "id", "code", "employment_type", "partner_company_id", "full_name", "nearest_station",
            "work_style_preference", "desired_rate", "availability_status", "available_from", "japanese_level",
            "experience_years", "roles", "skills"), pool)
        _copy(conn, "engineer_context.work_histories",
              ("id", "engineer_id", "started_on", "ended_on", "project_summary", "phases", "technologies"), histories)
        customers = [(uuid.uuid4(), f"C{i:04d}", f"顧客{i}株式会社") for i in range(100)]
        _copy(conn, "project_context.customers", ("id", "code", "name"), customers)
        projects, requests = _cases(cases, customers, pm, today, rng)
        _copy(conn, "project_context.projects", (
            "id", "code", "customer_id", "title", "status", "start_date", "end_date", "work_style",
            "nearest_station", "rate_min", "rate_max", "chain_restriction", "requirements", "sales_manager_id",
            "project_manager_id"), projects)
        _copy(conn, "matching_context.matching_requests", (
            "id", "project_id", "title", "required_skills", "preferred_skills", "start_date", "rate_min", "rate_max",
            "work_style", "nearest_station", "required_japanese_level", "chain_restriction", "roles", "phases",
            "requested_by"), requests)
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _engineers(count: int, partners: list, today: date, rng: random.Random) -> tuple[list, list]:
    pool, histories = [], []
    for i in range(count):
        profile = rng.choice(list(PROFILES))
        years = rng.randint(1, 25)
        skills = []
        for index, name in enumerate(PROFILES[profile][: rng.randint(3, 6)]):
            skill_years = max(1, years - index * 2 - rng.randint(0, 2))
            skills.append({"key": key(name), "name": name, "category": "OTHER", "years": float(skill_years),
                           "level": min(5, 1 + skill_years // 3)})
        employment = rng.choices(["EMPLOYEE", "CONTRACT_EMPLOYEE", "FREELANCE", "PARTNER"], [45, 10, 15, 30])[0]
        partner = rng.choice(partners)[0] if employment == "PARTNER" else None
        status, available = rng.choices([("AVAILABLE", None), ("ROLLING_OFF", 30), ("ASSIGNED", 180),
                                         ("UNAVAILABLE", None)], [25, 10, 60, 5])[0]
        available_from = today + timedelta(days=rng.randint(1, available)) if available else None
        engineer = uuid.uuid4()
        pool.append((engineer, f"E{i:05d}", employment, partner, f"技術者 {i}", rng.choice(STATIONS),
                     rng.choice(["ANY", "ONSITE", "REMOTE", "HYBRID"]), rng.randint(40, 110) * 10000, status,
                     available_from, rng.choices(["NATIVE", "BUSINESS", "N1", "N2"], [85, 5, 6, 4])[0], years,
                     rng.sample(ROLES, rng.randint(1, 2)), json.dumps(skills, ensure_ascii=False)))
        for _ in range(2):
            start = today - timedelta(days=rng.randint(200, 3000))
            histories.append((uuid.uuid4(), engineer, start, start + timedelta(days=rng.randint(90, 700)),
                              f"{PROFILES[profile][0]}による開発", rng.sample(PHASES, rng.randint(1, 3)),
                              PROFILES[profile][:3]))
    return pool, histories


def _cases(count: int, customers: list, pm: uuid.UUID, today: date, rng: random.Random) -> tuple[list, list]:
    projects, requests = [], []
    for i in range(count):
        profile = rng.choice(list(PROFILES))
        names = PROFILES[profile][: rng.randint(2, 4)]
        wanted = [{"key": key(n), "name": n, "min_years": rng.randint(1, 5), "mandatory": k < rng.randint(1, 2)}
                  for k, n in enumerate(names)]
        required = [w for w in wanted if w["mandatory"]]
        preferred = [w | {"min_years": None} for w in wanted if not w["mandatory"]]
        start = today + timedelta(days=rng.randint(20, 120))
        rate = rng.randint(55, 100) * 10000
        style, station, restriction = rng.choice(STYLES), rng.choice(STATIONS), rng.choice(RESTRICTIONS)
        project, phases, roles = uuid.uuid4(), rng.sample(PHASES, 2), rng.sample(ROLES, 1)
        projects.append((project, f"PJ-{i:05d}", rng.choice(customers)[0], f"{names[0]} 案件 {i}",
                         rng.choice(["INQUIRY", "PROPOSING", "ORDERED"]), start, start + timedelta(days=180), style,
                         station, rate - 100000, rate, restriction,
                         json.dumps({"skills": wanted, "phases": phases, "roles": roles}, ensure_ascii=False), pm, pm))
        requests.append((uuid.uuid4(), project, f"{names[0]} 案件 {i} 要員", json.dumps(required, ensure_ascii=False),
                         json.dumps(preferred, ensure_ascii=False), start, rate - 100000, rate, style, station,
                         rng.choice([None, None, None, "BUSINESS"]), restriction, roles, phases, pm))
    return projects, requests


def report(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    line = (f"{name:<46} n={len(samples):<4} p50={statistics.median(ordered):7.1f} ms  "
            f"p95={p95:7.1f} ms  max={ordered[-1]:7.1f} ms")
    print(line)
    return line


def make_app(socket: str):
    from app import create_app
    from app.config import TestConfig

    class Config(TestConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = f"postgresql+psycopg://ses_app@/bench?host={socket}"
        MIGRATION_DATABASE_URL = f"postgresql+psycopg://postgres@/bench?host={socket}"

    return create_app(Config)


def bench_service(app, samples: int, rng: random.Random) -> list[int]:
    from app.core.identity import Identity, acting_as
    from app.extensions import db
    from app.matching.models import MatchingRequest
    from app.matching.scoring import current_weights, rank_candidates, store_candidates

    ranked, stored, sizes = [], [], []
    with app.app_context():
        pm = db.session.execute(text("SELECT user_id FROM platform.login_lookup(:e)"), {"e": PM_EMAIL}).scalar()
        db.session.rollback()
        with acting_as(Identity("project_manager", pm)):
            ids = list(db.session.scalars(text("SELECT id FROM matching_context.matching_requests")))
            weights = current_weights()
            for request_id in rng.sample(ids, min(samples, len(ids))):
                request = db.session.get(MatchingRequest, request_id)
                started = time.perf_counter()
                rows = rank_candidates(request, weights)
                ranked.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                store_candidates(request, weights)
                db.session.commit()
                stored.append((time.perf_counter() - started) * 1000)
                sizes.append(len(rows))
    return [report("rank_candidates (ranking query, read only)", ranked),
            report("store_candidates (rank + upsert top 50, commit)", stored),
            f"candidates per request: mean {statistics.mean(sizes):.1f}, max {max(sizes)}, "
            f"requests with none {sum(1 for s in sizes if s == 0)}"], ids


def bench_http(app, ids: list, samples: int, rng: random.Random) -> str:
    client = client_for(app, PM_EMAIL)
    csrf = client.csrf
    timings = []
    for request_id in rng.sample(ids, min(samples, len(ids))):
        started = time.perf_counter()
        response = client.post(f"/matching/{request_id}/generate", headers={"HX-Request": "true", "X-CSRFToken": csrf})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return report("POST /matching/<id>/generate (htmx, rendered)", timings)


def explain(dsn: str, app) -> list[str]:
    """The plan of one ranking: which indexes narrow the pool."""
    from app.core.identity import SYSTEM, acting_as
    from app.extensions import db
    from app.matching.models import MatchingRequest
    from app.matching.scoring import RANKED_CANDIDATES, current_weights, query_parameters

    with app.app_context(), acting_as(SYSTEM):
        request = db.session.scalars(text("SELECT id FROM matching_context.matching_requests"
                                          " WHERE jsonb_array_length(required_skills) > 0 LIMIT 1")).first()
        params = query_parameters(db.session.get(MatchingRequest, request), current_weights())
        plan = db.session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + RANKED_CANDIDATES), params).scalars().all()
        db.session.rollback()
    return [line for line in plan if "Index" in line or "Execution Time" in line or "Planning Time" in line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engineers", type=int, default=5000)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(20261127)
    base = Path(tempfile.mkdtemp(prefix="ses-bench-matching-"))
    socket = str(pgcluster.start(base, fast=True, database="bench"))
    try:
        import flask_migrate

        app = make_app(socket)
        with app.app_context():
            flask_migrate.upgrade()
        started = time.perf_counter()
        dsn = f"host={socket} user=postgres dbname=bench"
        with app.app_context():
            load(dsn, args.engineers, args.cases, date.today(), rng)
        print(f"{args.engineers} engineers, {args.cases} open cases and requests loaded in "
              f"{time.perf_counter() - started:.1f} s")
        lines, ids = bench_service(app, args.samples, rng)
        lines.append(bench_http(app, ids, min(50, args.samples), rng))
        print("plan (index use):")
        for line in explain(dsn, app):
            print("   ", line.strip())
    finally:
        pgcluster.stop(base, remove=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
