-- Version 2: keep `articles.status` exactly 'ok' for usable articles, with details such as
-- "truncated: parsed the first 2,000,000 characters" in a separate note.
ALTER TABLE article_store ADD COLUMN IF NOT EXISTS status_note VARCHAR;
