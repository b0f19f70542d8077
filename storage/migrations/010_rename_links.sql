-- Version 10 (issue 13): per indexed rename sentence, the links it states (JSON list of
-- [earlier name's party key, current name], reconciliation/renames.py row_links), found once when
-- the row is indexed, so a reconcile reads them instead of matching every sentence again. Rows
-- from before have it empty; rename_index's version 2 makes the next reconcile refill the table.
ALTER TABLE rename_sentences ADD COLUMN IF NOT EXISTS links VARCHAR;
