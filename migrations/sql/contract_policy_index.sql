-- Revision 0010: a project manager's contracts are found through the index on project_id.
--
-- "project_id IN (SELECT p.id FROM projects p)" in a policy stays a hashed sub-plan that every
-- contract row is checked against: the contract list, its count and its tab badges read all
-- 6,000 contracts to keep the ~200 of the manager's ~120 cases (2-3 ms each).  Written as
-- "= ANY (ARRAY(SELECT ...))" the manager's case ids are collected once (an InitPlan) and the
-- contracts fetched with a bitmap scan of idx_contracts_project_id (~0.4 ms).  The rows a
-- manager may see and write are the same.
ALTER POLICY project_manager_access ON contract_context.contracts
    USING (project_id = ANY (ARRAY(SELECT p.id FROM project_context.projects p)));
