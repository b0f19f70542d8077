-- Version 7: incremental reconciliation. Per deal, a fingerprint of the inputs its stored rows
-- (deal_store, conflict_store, evidence_store) were built from; a run builds only the deals whose
-- inputs changed (reconciliation/incremental.py) and keeps the others' rows as they are.
CREATE TABLE IF NOT EXISTS deal_inputs (
    deal_id      VARCHAR PRIMARY KEY,
    inputs_hash  VARCHAR
);
