-- Version 8: incremental reconciliation (reconciliation/incremental.py, reconciliation/scope.py).
-- Per deal, a fingerprint of the inputs its stored rows (deal_store, conflict_store,
-- evidence_store) were built from; per assigned mention, a digest of what it says and its parties
-- and article and money figures as last reconciled, so a run finds what is new, changed or gone
-- and what it reaches without reading every fact; and the code
-- version and generic words the stored rows were made with (either changing means a full run).
CREATE TABLE IF NOT EXISTS deal_inputs (
    deal_id      VARCHAR PRIMARY KEY,
    inputs_hash  VARCHAR
);
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS digest VARCHAR;
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS provider VARCHAR;
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS customer VARCHAR;
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS money VARCHAR;
CREATE TABLE IF NOT EXISTS reconcile_state (
    name   VARCHAR PRIMARY KEY,
    value  VARCHAR
);
