-- Matching Context policies: the sales staff's workspace.
--   project manager / sales: requests of the cases they can see, their candidates and results;
--     reads the scoring weights (administrators edit them);
--   finance: reads results (statistics);
--   engineer, customer, partner: no access (schema usage revoked in 00_common.sql).

CREATE POLICY project_manager_read ON matching_context.scoring_criteria FOR SELECT
    TO ses_project_manager_role, ses_finance_role USING (true);
REVOKE INSERT, UPDATE, DELETE ON matching_context.scoring_criteria FROM ses_project_manager_role, ses_finance_role;

CREATE POLICY project_manager_access ON matching_context.matching_requests FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY project_manager_access ON matching_context.matching_candidates FOR ALL TO ses_project_manager_role
    USING (matching_request_id IN (SELECT r.id FROM matching_context.matching_requests r));
CREATE POLICY project_manager_access ON matching_context.matching_results FOR ALL TO ses_project_manager_role
    USING (project_id IN (SELECT p.id FROM project_context.projects p));
CREATE POLICY finance_read ON matching_context.matching_results FOR SELECT TO ses_finance_role USING (true);
REVOKE INSERT, UPDATE, DELETE ON matching_context.matching_requests, matching_context.matching_candidates,
    matching_context.matching_results FROM ses_finance_role;
REVOKE ALL ON matching_context.matching_requests, matching_context.matching_candidates
    FROM ses_finance_role;

-- 並行営業 counts for the candidate lists (SECURITY DEFINER: counts only, across all staff).
GRANT EXECUTE ON FUNCTION matching_context.active_proposal_counts(uuid[], uuid)
    TO ses_project_manager_role, ses_admin_role;
