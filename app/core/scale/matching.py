"""Matching requests: open ones for cases in the pipeline, with ranked candidates of the case's
profile; closed ones for staffed cases, whose concluded candidates became the contracts."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .copying import Loader
from .sales import OPEN
from .world import World, new_id

TOKYO = ZoneInfo("Asia/Tokyo")
WEIGHTS = {"SKILLS": 40, "RATE": 20, "START_DATE": 15, "WORK_STYLE": 15, "OTHER": 10}


def _breakdown(rng) -> tuple[float, str]:
    parts, total = {}, 0.0
    for code, weight in WEIGHTS.items():
        fit = round(rng.uniform(0.3, 1.0), 2)
        points = round(weight * fit, 2)
        parts[code] = {"weight": weight, "fit": fit, "points": points}
        total += points
    return round(total, 2), json.dumps(parts)


def load_matching(loader: Loader, world: World) -> dict:
    """Copies requests, candidates and results; returns contract id -> matching result id."""
    rng = world.rng("matching")
    pool: dict[str, list] = {}
    for engineer in world.engineers:
        pool.setdefault(engineer.profile, []).append(engineer)
    contracts_of: dict = {}
    for contract in world.contracts:
        contracts_of.setdefault(contract.project.id, []).append(contract)
    requests, candidates, results, linked = [], [], [], {}
    for p in world.projects:
        staffed = contracts_of.get(p.id, [])
        if p.status not in OPEN and not staffed:
            continue
        request_id = new_id(rng)
        requests.append((request_id, p.id, f"{p.title} 要員", json.dumps(p.skills, ensure_ascii=False),
                         p.start, p.end, p.rate - 100_000, p.rate + 100_000, p.work_style,
                         "CLOSED" if staffed else "OPEN", p.manager_id,
                         datetime.combine(p.start - timedelta(days=45), time(10), TOKYO)))
        seen = set()
        if staffed:
            for contract in staffed:
                if contract.engineer.id in seen:
                    continue
                seen.add(contract.engineer.id)
                candidate_id, (score, breakdown) = new_id(rng), _breakdown(rng)
                decided = datetime.combine(contract.start - timedelta(days=25), time(15), TOKYO)
                candidates.append((candidate_id, request_id, contract.engineer.id, score, breakdown, 1,
                                   "CONCLUDED", decided))
                result_id = linked[contract.id] = new_id(rng)
                results.append((result_id, request_id, candidate_id, p.id, contract.engineer.id, "CONCLUDED",
                                score, p.manager_id, decided, contract.id))
            continue
        others = rng.sample(pool.get(p.profile, world.engineers), min(12, len(pool.get(p.profile, []))))
        scored = sorted(((e, *_breakdown(rng)) for e in others if e.id not in seen), key=lambda r: -r[1])
        for rank, (engineer, score, breakdown) in enumerate(scored, start=1):
            stage = "PROPOSED" if rank <= 2 else "INTERVIEW" if rank == 3 else "CANDIDATE"
            candidates.append((new_id(rng), request_id, engineer.id, score, breakdown, rank, stage, None))
    loader.copy("matching_context.matching_requests",
                ("id", "project_id", "title", "required_skills", "start_date", "end_date", "rate_min", "rate_max",
                 "work_style", "status", "requested_by", "generated_at"), requests)
    loader.copy("matching_context.matching_candidates",
                ("id", "matching_request_id", "engineer_id", "score", "score_breakdown", "rank",
                 "pipeline_status", "decided_at"), candidates)
    loader.copy("matching_context.matching_results",
                ("id", "matching_request_id", "matching_candidate_id", "project_id", "engineer_id", "status",
                 "matching_score", "decided_by", "decided_at", "contract_id"), results)
    return linked
