-- Version 11 (issue 13): per assigned mention, what its direction vote reads of its facts (JSON
-- list of [field, confidence, extractor] of its provider and customer facts, in stored order), so
-- the votes around an incremental run's part of the database need no facts of mentions that did
-- not change. A row from before has it empty and that mention's facts are read as before.
ALTER TABLE deal_assignments ADD COLUMN IF NOT EXISTS party_facts VARCHAR;
