-- Version 4: say whether a deal's term was stated or derived from its dates, and whether a
-- conflict is between stated values or found by arithmetic (fee × term vs total).
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS term_source VARCHAR;
ALTER TABLE conflict_store ADD COLUMN IF NOT EXISTS kind VARCHAR;
