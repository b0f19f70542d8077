-- Version 9 (issue 13): the fact sentences that may state a company's rename
-- (reconciliation/renames.py), with the raw parties of their mention, kept per mention as mentions
-- arrive, change or leave (storage/rename_index.py), so a reconcile reads the few stored
-- sentences instead of searching every fact's sentence. A database from before has the table
-- empty and no 'rename_index' in reconcile_state: its next reconcile fills it from all facts.
CREATE TABLE IF NOT EXISTS rename_sentences (
    mention_id  VARCHAR,
    provider    VARCHAR,
    customer    VARCHAR,
    sentence    VARCHAR
);
