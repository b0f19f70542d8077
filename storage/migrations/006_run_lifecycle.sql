-- Version 6: runs that say where they are, and raw documents that say whether they were finished.
-- `runs` becomes a view (views.sql) over `run_store`, so counts can be read as columns; a run's
-- row is written when it starts ('running', with the process that runs it) and updated per batch,
-- so an interrupted run is visible and can be told apart from a finished one.
ALTER TABLE runs RENAME TO run_store;
ALTER TABLE run_store ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE run_store ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE run_store ADD COLUMN IF NOT EXISTS hostname VARCHAR;
ALTER TABLE run_store ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP;
-- The extractor version that finished parsing + extracting + storing this document; NULL while a
-- document is stored but not yet processed (an interrupted run), so the next run finishes it.
ALTER TABLE raw_documents ADD COLUMN IF NOT EXISTS processed_version VARCHAR;
UPDATE raw_documents SET processed_version = coalesce(a.extractor_version, 'before-6')
FROM article_store a WHERE a.raw_id = raw_documents.raw_id;
