-- Version 7 (issue 12): `articles.status` holds only an ArticleStatus (extractors/models.py):
-- 'ok', 'not an article', 'not English', 'unparsable', 'failed'; the detail that used to follow
-- it ('failed: HTTP 404') moves to `status_note`, so an analyst can filter status = 'failed'.
UPDATE article_store
SET status_note = substr(status, length(p.prefix) + 3), status = p.prefix
FROM (VALUES ('failed'), ('unparsable'), ('not an article'), ('not English'), ('ok')) p(prefix)
WHERE starts_with(article_store.status, p.prefix || ': ');
UPDATE article_store
SET status_note = substr(status, length(p.prefix) + 3, length(status) - length(p.prefix) - 3),
    status = p.prefix
FROM (VALUES ('failed'), ('unparsable'), ('not an article'), ('not English'), ('ok')) p(prefix)
WHERE starts_with(article_store.status, p.prefix || ' (') AND ends_with(article_store.status, ')');
UPDATE article_store SET status_note = status, status = 'failed'
WHERE status NOT IN ('ok', 'not an article', 'not English', 'unparsable', 'failed');
-- The hash of the views.sql last applied: views are recreated only when a migration ran or the
-- file changed, not on every read-write connection (storage/db.py).
CREATE TABLE IF NOT EXISTS view_state (views_sha256 VARCHAR, applied_at TIMESTAMP);
