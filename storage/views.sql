-- The analyst contract (ARCHITECTURE.md section 3). Names and meanings are stable: add columns freely,
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
    term_source,
    status,
    derived_fields,
    derivation,
    dropped_fields,
    -- What `dealwatch deals`/`show` print as a deal's status (issue 12): 'disputed' while any of
    -- its conflicts is open, else 'agreed' (extractors.models.Agreement); `status` above only
    -- separates deals from candidates and reads 'deal' on every row of this view.
    coalesce(o.open_conflicts, 0) AS open_conflicts,
    CASE WHEN coalesce(o.open_conflicts, 0) > 0 THEN 'disputed' ELSE 'agreed' END AS agreement
FROM deal_store
LEFT JOIN (
    SELECT deal_id AS open_deal_id, count(*) AS open_conflicts
    FROM conflict_store
    WHERE status = 'open'
    GROUP BY deal_id
) o ON o.open_deal_id = deal_store.deal_id
WHERE coalesce(status, 'deal') = 'deal';

-- What the system found but does not stand behind (issue 10): a single passing mention with a
-- doubtful party, a split or doubtful direction, a party that is not evidently an organization,
-- evidence only from articles not about a deal. Same columns as `deals`, plus why: never shown
-- as a deal, never lost.
CREATE OR REPLACE VIEW deal_candidates AS
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
    term_source,
    derived_fields,
    derivation,
    dropped_fields,
    reason_codes[1] AS reason_code,
    reason_codes,
    reason
FROM deal_store
WHERE status = 'candidate';

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
    e.mention_id,
    e.why,
    CAST(nullif(instr(a.text, e.sentence), 0) - 1 AS INTEGER) AS sentence_start
FROM evidence_store e
LEFT JOIN article_store a ON a.article_id = e.article_id;

-- One row per run (runs in progress included); the counts come from the run's summary.
CREATE OR REPLACE VIEW runs AS
SELECT
    run_id,
    started_at,
    finished_at,
    status,
    kind,
    sources,
    summary,
    CAST(summary->>'$.counts.documents' AS INTEGER) AS documents,
    CAST(summary->>'$.counts.new' AS INTEGER) AS new,
    CAST(summary->>'$.counts.changed' AS INTEGER) AS changed,
    CAST(summary->>'$.counts.unchanged' AS INTEGER) AS unchanged,
    CAST(summary->>'$.counts.duplicates' AS INTEGER) AS duplicates,
    CAST(summary->>'$.counts.skipped' AS INTEGER) AS skipped,
    CAST(summary->>'$.counts.failed' AS INTEGER) AS failed,
    CAST(summary->>'$.counts.deals_created' AS INTEGER) AS deals_created,
    CAST(summary->>'$.counts.deals_updated' AS INTEGER) AS deals_updated,
    CAST(summary->>'$.counts.deals_total' AS INTEGER) AS deals_total,
    CAST(summary->>'$.counts.conflicts' AS INTEGER) AS conflicts
FROM run_store;
