-- Matching Context (マッチング管理): requests from cases, ranked candidates with explainable
-- scores, the proposal pipeline and its results.  Age, gender and nationality are never stored
-- here nor used for filtering or scoring.

-- スコアリング基準: the weights of the score (skills 40, rate 20, start 15, style 15, other 10).
CREATE TABLE matching_context.scoring_criteria (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code text NOT NULL CHECK (code IN ('SKILLS', 'RATE', 'START_DATE', 'WORK_STYLE', 'OTHER')),
    name text NOT NULL,
    weight smallint NOT NULL CHECK (weight BETWEEN 0 AND 100),
    description text,
    parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_scoring_criteria_code ON matching_context.scoring_criteria (code)
    WHERE deleted_at IS NULL;

INSERT INTO matching_context.scoring_criteria (code, name, weight, description) VALUES
    ('SKILLS', 'スキル適合', 40, '必須・歓迎スキルの経験年数とレベル'),
    ('RATE', '単価適合', 20, '希望単価と案件の単価幅'),
    ('START_DATE', '開始日適合', 15, '稼働可能日と案件開始日の差'),
    ('WORK_STYLE', '勤務形態・勤務地', 15, 'リモート/常駐の希望と最寄駅'),
    ('OTHER', 'その他', 10, '日本語レベル、役割、工程経験');

-- マッチング依頼
CREATE TABLE matching_context.matching_requests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,                  -- project_context.projects
    title text NOT NULL,
    -- [{"name": "Java", "min_years": 3, "mandatory": true}, ...]
    required_skills jsonb NOT NULL DEFAULT '[]'::jsonb,
    preferred_skills jsonb NOT NULL DEFAULT '[]'::jsonb,
    start_date date NOT NULL,
    end_date date,
    rate_min integer CHECK (rate_min >= 0),
    rate_max integer CHECK (rate_max >= 0),
    work_style text NOT NULL DEFAULT 'ONSITE' CHECK (work_style IN ('ONSITE', 'REMOTE', 'HYBRID')),
    location text,
    nearest_station text,
    required_japanese_level text,
    chain_restriction text NOT NULL DEFAULT 'NONE',
    roles text[] NOT NULL DEFAULT '{}',
    phases text[] NOT NULL DEFAULT '{}',
    conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
    headcount smallint NOT NULL DEFAULT 1 CHECK (headcount >= 1),
    status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED', 'CANCELLED')),
    requested_by uuid,                         -- platform.users
    generated_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT ck_matching_requests_rate CHECK (rate_max IS NULL OR rate_min IS NULL OR rate_max >= rate_min)
);

CREATE TRIGGER trigger_validate_matching_requests_references
    BEFORE INSERT OR UPDATE ON matching_context.matching_requests
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'project_id', 'project_context', 'projects',
        'requested_by', 'platform', 'users');

-- 候補者: one engineer for one request, with the score and its breakdown, and the pipeline
-- 候補 → 提案 → 面談 → 合格 / 不合格 → 成約.
CREATE TABLE matching_context.matching_candidates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    matching_request_id uuid NOT NULL REFERENCES matching_context.matching_requests (id),
    engineer_id uuid NOT NULL,                 -- engineer_context.engineers
    score numeric(5, 2) NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    -- {"SKILLS": {"weight": 40, "fit": 0.75, "points": 30.0, "reason": "..."}, ...}
    score_breakdown jsonb NOT NULL DEFAULT '{}'::jsonb,
    rank integer,
    pipeline_status text NOT NULL DEFAULT 'CANDIDATE' CHECK (pipeline_status IN
        ('CANDIDATE', 'PROPOSED', 'INTERVIEW', 'PASSED', 'REJECTED', 'CONCLUDED', 'WITHDRAWN')),
    proposed_at timestamptz,
    interview_at timestamptz,
    decided_at timestamptz,
    -- [{"at": "...", "by": "...", "status": "PROPOSED", "note": "..."}]
    history jsonb NOT NULL DEFAULT '[]'::jsonb,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uq_matching_candidates_request_engineer
    ON matching_context.matching_candidates (matching_request_id, engineer_id) WHERE deleted_at IS NULL;

CREATE TRIGGER trigger_validate_matching_candidates_references
    BEFORE INSERT OR UPDATE ON matching_context.matching_candidates
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'engineer_id', 'engineer_context', 'engineers');

-- マッチング結果: the outcome per candidate (成約 / 不合格 / 辞退), kept for statistics.
CREATE TABLE matching_context.matching_results (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    matching_request_id uuid NOT NULL REFERENCES matching_context.matching_requests (id),
    matching_candidate_id uuid NOT NULL REFERENCES matching_context.matching_candidates (id),
    project_id uuid NOT NULL,                  -- project_context.projects
    engineer_id uuid NOT NULL,                 -- engineer_context.engineers
    status text NOT NULL CHECK (status IN ('CONCLUDED', 'REJECTED', 'WITHDRAWN')),
    matching_score numeric(5, 2) NOT NULL,
    decided_by uuid,                           -- platform.users
    decided_at timestamptz NOT NULL DEFAULT now(),
    contract_id uuid,                          -- contract_context.contracts, once drafted
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

CREATE TRIGGER trigger_validate_matching_results_references
    BEFORE INSERT OR UPDATE ON matching_context.matching_results
    FOR EACH ROW EXECUTE FUNCTION public.validate_cross_context_references(
        'project_id', 'project_context', 'projects',
        'engineer_id', 'engineer_context', 'engineers',
        'decided_by', 'platform', 'users',
        'contract_id', 'contract_context', 'contracts');

-- 並行営業: how many other open requests each engineer is currently proposed to.  Counted
-- across every sales user (row level security shows a user only their own cases' requests,
-- but they must know the engineer is being proposed elsewhere); only counts leave the function.
CREATE FUNCTION matching_context.active_proposal_counts(p_engineer_ids uuid[], p_exclude_request uuid)
RETURNS TABLE (engineer_id uuid, proposals bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT c.engineer_id, count(*)
    FROM matching_context.matching_candidates c
    JOIN matching_context.matching_requests r ON r.id = c.matching_request_id
    WHERE c.engineer_id = ANY (p_engineer_ids) AND c.matching_request_id <> p_exclude_request
      AND c.pipeline_status IN ('PROPOSED', 'INTERVIEW', 'PASSED')
      AND c.deleted_at IS NULL AND r.deleted_at IS NULL AND r.status = 'OPEN'
    GROUP BY c.engineer_id
$$;
REVOKE ALL ON FUNCTION matching_context.active_proposal_counts(uuid[], uuid) FROM PUBLIC;

SELECT platform.attach_common_triggers('matching_context');
