-- Version 3: store each article's duplicate-detection keys (exact fingerprint of the normalised
-- body and its MinHash signature), so a run compares new articles with the whole database
-- without re-reading and re-hashing every stored text.
ALTER TABLE article_store ADD COLUMN IF NOT EXISTS body_fingerprint VARCHAR;
ALTER TABLE article_store ADD COLUMN IF NOT EXISTS minhash BLOB;
