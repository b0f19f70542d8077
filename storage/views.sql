-- The analyst contract (DESIGN.md section 3). Names and meanings are stable: add columns freely,
-- never rename or drop one. Recreated after every migration.

CREATE OR REPLACE VIEW articles AS
SELECT
    article_id,
    url,
    canonical_url,
    title,
    publisher,
    published_at,
    fetched_at,
    language,
    status,
    is_deal_relevant,
    duplicate_of,
    authors,
    relevance_reason,
    source,
    extractor_version,
    status_note
FROM article_store;

CREATE OR REPLACE VIEW deals AS
SELECT
    deal_id,
    provider,
    customer,
    deal_type,
    currency,
    monthly_fee,
    total_value,
    total_value_qualifier,
    start_date,
    start_precision,
    end_date,
    end_precision,
    term_months,
    hardware,
    accelerator_count,
    capacity_mw,
    facility,
    location,
    termination_notice_days,
    termination_lockin_months,
    termination_by,
    announced_on,
    source_count,
    article_count,
    conflict_count,
    first_seen,
    last_seen,
    related_deal_id,
    term_source
FROM deal_store;

CREATE OR REPLACE VIEW conflicts AS
SELECT
    conflict_id,
    deal_id,
    field,
    severity,
    "values",
    explanation,
    status,
    kind
FROM conflict_store;

-- sentence_start: where the sentence begins in the article text, so start_char - sentence_start is
-- the value's place in the sentence (the report highlights it there); NULL when not found.
CREATE OR REPLACE VIEW evidence AS
SELECT
    e.deal_id,
    e.field,
    e.value,
    e.article_id,
    e.url,
    e.publisher,
    e.sentence,
    e.start_char,
    e.end_char,
    e.extractor,
    e.confidence,
    e.used,
    CAST(nullif(instr(a.text, e.sentence), 0) - 1 AS INTEGER) AS sentence_start
FROM evidence_store e
LEFT JOIN article_store a ON a.article_id = e.article_id;
