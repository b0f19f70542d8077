-- Version 5 (issue 10): whether the system stands behind a deal ('deal') or only found it
-- ('candidate', with reason codes and the reason in plain words), which values are derived
-- (and how) or left out to keep the row consistent; which mention each piece of evidence comes
-- from and, when it is not used, why.
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS status VARCHAR;
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS reason_codes VARCHAR[];
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS reason VARCHAR;
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS derived_fields VARCHAR[];
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS derivation VARCHAR;
ALTER TABLE deal_store ADD COLUMN IF NOT EXISTS dropped_fields VARCHAR[];
ALTER TABLE evidence_store ADD COLUMN IF NOT EXISTS mention_id VARCHAR;
ALTER TABLE evidence_store ADD COLUMN IF NOT EXISTS why VARCHAR;
