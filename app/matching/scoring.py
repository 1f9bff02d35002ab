"""Ranking engineers for a matching request, in one SQL statement.

Hard filters (an engineer failing one is not a candidate at all):
  * not received under dispatch (二重派遣), not UNAVAILABLE, work authorisation valid on the
    start date (when one is recorded);
  * every required skill with at least its minimum years -- the GIN index on
    ``engineers.skills`` narrows the pool by containment first;
  * available on the start date (bench now, or ``available_from`` on or before it);
  * Japanese level at least the required one;
  * the case's chain restriction (商流制限): 正社員のみ, 自社社員のみ, no sole proprietors.

Score = Σ weight × fit ÷ Σ weights × 100 (weights from ``scoring_criteria``), each fit in
[0, 1] and stored with its reasons in ``score_breakdown``:
  SKILLS      per requested skill 70 % years (full at min years + 2) and 30 % level ÷ 5;
              required skills count twice; a missing preferred skill is 0.
  RATE        1 at or under the maximum rate, falling to 0 at 20 % over it; 0.5 if unknown.
  START_DATE  1 on the bench now or free 30+ days before the start; 0.5 free exactly on it.
  WORK_STYLE  80 % preference vs the case (remote-only vs on-site = 0, hybrid either way = 0.5)
              and 20 % nearest station (same = 1, unknown = 0.5, remote case = 1).
  OTHER       share of the requested roles and phases the engineer has done.
The numbers (2 years, 30 %, 20 %, 30 days) are the criteria's ``parameters`` and can be
changed there.  Age, gender and nationality are not read at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select, text

from ..engineers.skills import skill_key
from ..extensions import db
from .models import MatchingRequest, ScoringCriterion

CRITERIA = ("SKILLS", "RATE", "START_DATE", "WORK_STYLE", "OTHER")
DEFAULT_PARAMETERS = {
    "SKILLS": {"extra_years": 2, "level_share": 0.3},
    "RATE": {"tolerance": 0.2},
    "START_DATE": {"buffer_days": 30},
    "WORK_STYLE": {"station_share": 0.2},
    "OTHER": {},
}
CANDIDATE_LIMIT = 50


@dataclass(frozen=True)
class Weights:
    weights: Mapping[str, int]
    parameters: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def parameter(self, code: str, name: str) -> Decimal:
        # Decimal, so the SQL arithmetic stays numeric (exact, and round() accepts it)
        return Decimal(str(self.parameters.get(code, {}).get(name, DEFAULT_PARAMETERS[code][name])))


def current_weights() -> Weights:
    """The active criteria's weights (an inactive criterion weighs 0) and parameters."""
    rows = db.session.scalars(select(ScoringCriterion))
    weights, parameters = dict.fromkeys(CRITERIA, 0), {}
    for row in rows:
        if row.code in weights:
            weights[row.code] = row.weight if row.is_active else 0
            parameters[row.code] = row.parameters or {}
    return Weights(weights, parameters)


# One requested skill's fit: 70 % years (full at min years + 2), 30 % level ÷ 5; 0 if missing.
SKILL_FIT = ("CASE WHEN {years} IS NULL THEN 0 ELSE (1 - :level_share) * least(1, {years} / (w.min_years + :extra_years))"
             " + :level_share * {level} / 5.0 END")

RANKED_CANDIDATES = """
WITH req AS (
    SELECT r.id, r.start_date, r.rate_max, r.work_style, r.roles, r.phases, r.chain_restriction,
           nullif(regexp_replace(coalesce(r.nearest_station, ''), '駅$', ''), '') AS station,
           array_position(ARRAY['NONE','N5','N4','N3','N2','N1','BUSINESS','NATIVE'],
                          coalesce(r.required_japanese_level, 'NONE')) AS japanese_rank
    FROM matching_context.matching_requests r WHERE r.id = :request_id
), wanted AS (
    SELECT coalesce(s.key, lower(s.name)) AS key, s.name, coalesce(s.min_years, 0) AS min_years,
           coalesce(s.mandatory, false) AS mandatory, CASE WHEN s.mandatory THEN 2 ELSE 1 END AS share
    FROM matching_context.matching_requests r,
         jsonb_to_recordset(r.required_skills || r.preferred_skills)
             AS s(key text, name text, min_years numeric, mandatory boolean)
    WHERE r.id = :request_id
), pool AS (
    SELECT e.id, e.code, e.desired_rate, e.available_from, e.availability_status, e.work_style_preference,
           nullif(regexp_replace(coalesce(e.nearest_station, ''), '駅$', ''), '') AS station, e.roles, e.skills
    FROM engineer_context.engineers e CROSS JOIN req
    WHERE e.deleted_at IS NULL
      AND e.skills @> CAST(:required_keys AS jsonb)
      AND NOT e.received_under_dispatch
      AND e.availability_status <> 'UNAVAILABLE'
      AND (e.available_from <= req.start_date
           OR (e.available_from IS NULL AND e.availability_status = 'AVAILABLE'))
      AND (e.work_authorization_expires_on IS NULL OR e.work_authorization_expires_on >= req.start_date)
      AND array_position(ARRAY['NONE','N5','N4','N3','N2','N1','BUSINESS','NATIVE'], e.japanese_level)
          >= req.japanese_rank
      AND CASE req.chain_restriction
            WHEN 'EMPLOYEES_ONLY' THEN e.employment_type = 'EMPLOYEE'
            WHEN 'NO_FURTHER_TIERS' THEN e.employment_type IN ('EMPLOYEE', 'CONTRACT_EMPLOYEE')
            WHEN 'NO_SOLE_PROPRIETORS' THEN e.employment_type <> 'FREELANCE' AND NOT EXISTS (
                SELECT 1 FROM engineer_context.partner_companies pc
                WHERE pc.id = e.partner_company_id AND pc.is_sole_proprietor AND pc.deleted_at IS NULL)
            ELSE true END
      AND NOT EXISTS (
            SELECT 1 FROM wanted w WHERE w.mandatory AND NOT jsonb_path_exists(
                e.skills, '$[*] ? (@.key == $key && @.years >= $years)',
                jsonb_build_object('key', w.key, 'years', w.min_years)))
), skill_fit AS MATERIALIZED (
    -- each engineer's skills expanded once and joined to the requested ones by key
    SELECT p.id, sum(w.share * ({fit_owned})) / (SELECT sum(share) FROM wanted) AS fit
    FROM pool p CROSS JOIN LATERAL jsonb_array_elements(p.skills) x
    JOIN wanted w ON w.key = x->>'key'
    GROUP BY p.id
), history AS MATERIALIZED (
    SELECT h.engineer_id AS id, array_agg(DISTINCT ph) AS phases
    FROM engineer_context.work_histories h CROSS JOIN LATERAL unnest(h.phases) ph
    WHERE h.engineer_id IN (SELECT id FROM pool) AND h.deleted_at IS NULL
      AND (SELECT cardinality(phases) FROM req) > 0
    GROUP BY h.engineer_id
), fits AS (
    SELECT p.id, p.code, p.available_from, p.skills,
           coalesce(sf.fit, CASE WHEN EXISTS (SELECT 1 FROM wanted) THEN 0 ELSE 1 END) AS skills_fit,
           CASE WHEN p.desired_rate IS NULL THEN 0.5
                WHEN req.rate_max IS NULL OR p.desired_rate <= req.rate_max THEN 1
                ELSE greatest(0, 1 - (p.desired_rate - req.rate_max)::numeric
                                     / (req.rate_max * :rate_tolerance)) END AS rate,
           p.desired_rate, req.rate_max,
           CASE WHEN p.availability_status = 'AVAILABLE' AND coalesce(p.available_from, current_date) <= current_date
                THEN 1
                ELSE 0.5 + 0.5 * least(1, greatest(0, req.start_date - coalesce(p.available_from, current_date))
                                           / :buffer_days) END AS start,
           req.start_date - coalesce(p.available_from, current_date) AS days_before_start,
           CASE WHEN p.work_style_preference IN ('ANY', req.work_style) THEN 1
                WHEN p.work_style_preference = 'HYBRID' OR req.work_style = 'HYBRID' THEN 0.5
                WHEN p.work_style_preference = 'ONSITE' THEN 0.5
                ELSE 0 END AS style,
           CASE WHEN req.work_style = 'REMOTE' THEN 1
                WHEN req.station IS NULL OR p.station IS NULL THEN 0.5
                WHEN req.station = p.station THEN 1 ELSE 0 END AS station,
           p.work_style_preference, p.station AS engineer_station, req.work_style AS case_style,
           req.station AS case_station,
           CASE WHEN cardinality(req.roles) = 0 THEN NULL WHEN p.roles && req.roles THEN 1 ELSE 0 END AS roles,
           CASE WHEN cardinality(req.phases) = 0 THEN NULL
                ELSE cardinality(ARRAY(SELECT unnest(req.phases) INTERSECT SELECT unnest(h.phases)))::numeric
                     / cardinality(req.phases) END AS phases,
           h.phases AS history_phases, req.phases AS case_phases
    FROM pool p CROSS JOIN req
    LEFT JOIN skill_fit sf ON sf.id = p.id
    LEFT JOIN history h ON h.id = p.id
), scored AS (
    SELECT f.*, (1 - :station_share) * f.style + :station_share * f.station AS work_style,
           coalesce((coalesce(f.roles, 0) + coalesce(f.phases, 0))
                    / nullif((f.roles IS NOT NULL)::int + (f.phases IS NOT NULL)::int, 0), 1) AS other
    FROM fits f
), top AS (
    SELECT s.*, (:w_skills * s.skills_fit + :w_rate * s.rate + :w_start * s.start + :w_style * s.work_style
                 + :w_other * s.other) * 100.0 / :w_total AS total
    FROM scored s
    ORDER BY total DESC, s.available_from NULLS FIRST, s.code
    LIMIT :limit
)
-- the breakdown is built for the top rows only
SELECT t.id AS engineer_id, round(t.total, 2) AS score,
       row_number() OVER (ORDER BY t.total DESC, t.available_from NULLS FIRST, t.code) AS rank,
       jsonb_build_object(
           'SKILLS', jsonb_build_object(
               'weight', :w_skills, 'fit', round(t.skills_fit, 4),
               'points', round(:w_skills * t.skills_fit * 100.0 / :w_total, 2),
               'skills', coalesce((
                   SELECT jsonb_agg(jsonb_build_object('name', w.name, 'mandatory', w.mandatory,
                                    'min_years', w.min_years, 'years', s.years, 'level', s.level,
                                    'fit', round({fit_detail}, 4)) ORDER BY w.mandatory DESC, w.name)
                   FROM wanted w LEFT JOIN LATERAL (
                       SELECT (x->>'years')::numeric AS years, (x->>'level')::int AS level
                       FROM jsonb_array_elements(t.skills) x WHERE x->>'key' = w.key LIMIT 1) s ON true),
                   '[]'::jsonb)),
           'RATE', jsonb_build_object('weight', :w_rate, 'fit', round(t.rate, 4),
                                      'points', round(:w_rate * t.rate * 100.0 / :w_total, 2),
                                      'desired_rate', t.desired_rate, 'rate_max', t.rate_max),
           'START_DATE', jsonb_build_object('weight', :w_start, 'fit', round(t.start, 4),
                                            'points', round(:w_start * t.start * 100.0 / :w_total, 2),
                                            'available_from', t.available_from,
                                            'days_before_start', t.days_before_start),
           'WORK_STYLE', jsonb_build_object('weight', :w_style, 'fit', round(t.work_style, 4),
                                            'points', round(:w_style * t.work_style * 100.0 / :w_total, 2),
                                            'preference', t.work_style_preference, 'case', t.case_style,
                                            'station', t.engineer_station, 'case_station', t.case_station,
                                            'station_fit', t.station),
           'OTHER', jsonb_build_object('weight', :w_other, 'fit', round(t.other, 4),
                                       'points', round(:w_other * t.other * 100.0 / :w_total, 2),
                                       'roles_fit', t.roles, 'phases_fit', round(t.phases, 4),
                                       'phases_done', to_jsonb(ARRAY(SELECT unnest(t.case_phases)
                                                                     INTERSECT SELECT unnest(t.history_phases))))
       ) AS breakdown
FROM top t
ORDER BY rank
""".format(fit_owned=SKILL_FIT.format(years="(x->>'years')::numeric", level="(x->>'level')::int"),
           fit_detail=SKILL_FIT.format(years="s.years", level="s.level"))

UPSERT_CANDIDATES = f"""
WITH ranked AS ({RANKED_CANDIDATES}),
upserted AS (
    INSERT INTO matching_context.matching_candidates
        (matching_request_id, engineer_id, score, score_breakdown, rank)
    SELECT :request_id, r.engineer_id, r.score, r.breakdown, r.rank FROM ranked r
    ON CONFLICT (matching_request_id, engineer_id) WHERE deleted_at IS NULL
    DO UPDATE SET score = EXCLUDED.score, score_breakdown = EXCLUDED.score_breakdown, rank = EXCLUDED.rank
    RETURNING engineer_id
)
SELECT engineer_id FROM upserted
"""

# Candidates still at 候補 that no longer make the list are withdrawn from it (soft delete);
# anyone already proposed keeps their place in the pipeline.
DROP_STALE = """
DELETE FROM matching_context.matching_candidates
WHERE matching_request_id = :request_id AND pipeline_status = 'CANDIDATE' AND deleted_at IS NULL
  AND NOT (engineer_id = ANY(CAST(:kept AS uuid[])))
"""


def query_parameters(request: MatchingRequest, weights: Weights, limit: int = CANDIDATE_LIMIT) -> dict:
    """The bind parameters of the ranking query for ``request``."""
    required = [{"key": s.get("key") or skill_key(s["name"])} for s in request.required_skills or ()
                if s.get("mandatory", True)]
    total = sum(weights.weights.values()) or 1
    return {
        "request_id": request.id, "required_keys": json.dumps(required), "limit": limit,
        "w_skills": weights.weights["SKILLS"], "w_rate": weights.weights["RATE"],
        "w_start": weights.weights["START_DATE"], "w_style": weights.weights["WORK_STYLE"],
        "w_other": weights.weights["OTHER"], "w_total": total,
        "extra_years": weights.parameter("SKILLS", "extra_years"),
        "level_share": weights.parameter("SKILLS", "level_share"),
        "rate_tolerance": weights.parameter("RATE", "tolerance"),
        "buffer_days": weights.parameter("START_DATE", "buffer_days"),
        "station_share": weights.parameter("WORK_STYLE", "station_share"),
    }


def rank_candidates(request: MatchingRequest, weights: Weights | None = None,
                    limit: int = CANDIDATE_LIMIT) -> list:
    """The ranked list without storing it (engineer_id, score, rank, breakdown)."""
    params = query_parameters(request, weights or current_weights(), limit)
    return list(db.session.execute(text(RANKED_CANDIDATES), params))


def store_candidates(request: MatchingRequest, weights: Weights | None = None,
                     limit: int = CANDIDATE_LIMIT) -> int:
    """Rank the pool for ``request`` and upsert the top ``limit`` as candidates; returns the count."""
    db.session.flush()
    params = query_parameters(request, weights or current_weights(), limit)
    kept = list(db.session.execute(text(UPSERT_CANDIDATES), params).scalars())
    db.session.execute(text(DROP_STALE), {"request_id": request.id, "kept": kept})
    db.session.execute(text("UPDATE matching_context.matching_requests SET generated_at = now()"
                            " WHERE id = :id"), {"id": request.id})
    db.session.expire(request)
    return len(kept)
