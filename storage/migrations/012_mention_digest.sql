-- Version 12 (issue 13): per stored mention, the count and summed hash of its facts
-- (storage/mention_digest.py), kept by the writer as it stores an article's mentions, so a
-- reconcile's plan reads one row per mention instead of hashing every stored fact on every run.
-- A database from before has the table empty: its next reconcile fills the missing rows once.
CREATE TABLE IF NOT EXISTS mention_digest (
    mention_id    VARCHAR,
    article_id    VARCHAR,
    facts         BIGINT,
    facts_digest  HUGEINT
);
-- Version 12: per assigned mention, the party keys its facts name as a backer (JSON list,
-- reconciliation/candidates.py backer_keys), so an incremental run knows who is a backer anywhere
-- without reading every related_party fact. A row from before has it empty: that run reads them all.
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS backers VARCHAR;
