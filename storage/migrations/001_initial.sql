-- dealwatch schema, version 1.
-- Tables hold what the pipeline knows; the analyst contract is the views in views.sql, which
-- are recreated after every migration so they can be extended without touching stored data.

CREATE TABLE IF NOT EXISTS runs (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    sources       JSON,
    summary       JSON,
    status        VARCHAR
);

-- Raw bytes exactly as fetched or read, stored before any parsing so that nothing fetched is
-- lost and everything can be re-parsed offline (`dealwatch reprocess`).
CREATE TABLE IF NOT EXISTS raw_documents (
    raw_id        VARCHAR PRIMARY KEY,      -- sha256 of url + body
    url           VARCHAR NOT NULL,
    final_url     VARCHAR,
    source        VARCHAR,
    fetched_at    TIMESTAMP,
    http_status   INTEGER,
    content_type  VARCHAR,
    headers       JSON,
    body          BLOB,
    body_sha256   VARCHAR,
    size_bytes    BIGINT,
    title_hint    VARCHAR,
    published_hint TIMESTAMP
);

-- One row per fetch attempt outcome (per URL per run).
CREATE TABLE IF NOT EXISTS fetch_log (
    run_id        VARCHAR,
    url           VARCHAR,
    final_url     VARCHAR,
    status        VARCHAR,
    http_status   INTEGER,
    error         VARCHAR,
    bytes         BIGINT,
    elapsed_s     DOUBLE,
    attempts      INTEGER,
    fetched_at    TIMESTAMP,
    redirects     VARCHAR[]
);

-- Validators for conditional GET, per URL.
CREATE TABLE IF NOT EXISTS http_cache (
    url           VARCHAR PRIMARY KEY,
    etag          VARCHAR,
    last_modified VARCHAR,
    body_sha256   VARCHAR,
    updated_at    TIMESTAMP
);

CREATE TABLE IF NOT EXISTS article_store (
    article_id        VARCHAR PRIMARY KEY,
    url               VARCHAR,
    canonical_url     VARCHAR,
    title             VARCHAR,
    publisher         VARCHAR,
    authors           VARCHAR[],
    published_at      TIMESTAMP,      -- UTC
    fetched_at        TIMESTAMP,      -- UTC
    language          VARCHAR,
    status            VARCHAR,        -- 'ok' or why not
    is_deal_relevant  BOOLEAN,
    relevance_reason  VARCHAR,
    duplicate_of      VARCHAR,
    text              VARCHAR,
    text_hash         VARCHAR,
    raw_id            VARCHAR,
    source            VARCHAR,
    extractor_version VARCHAR,
    updated_at        TIMESTAMP
);

CREATE TABLE IF NOT EXISTS mention_store (
    mention_id        VARCHAR PRIMARY KEY,
    article_id        VARCHAR,
    mention_index     INTEGER,
    provider          VARCHAR,
    customer          VARCHAR,
    is_main           BOOLEAN,
    deal_type         VARCHAR,
    extractor_version VARCHAR
);

CREATE TABLE IF NOT EXISTS fact_store (
    mention_id        VARCHAR,
    article_id        VARCHAR,
    field             VARCHAR,
    value             JSON,
    display           VARCHAR,
    sentence          VARCHAR,
    start_char        INTEGER,
    end_char          INTEGER,
    extractor         VARCHAR,
    extractor_version VARCHAR,
    confidence        DOUBLE,
    attrs             JSON
);

CREATE TABLE IF NOT EXISTS deal_store (
    deal_id                   VARCHAR PRIMARY KEY,
    provider                  VARCHAR,
    customer                  VARCHAR,
    deal_type                 VARCHAR,
    currency                  VARCHAR,
    monthly_fee               DOUBLE,
    total_value               DOUBLE,
    total_value_qualifier     VARCHAR,
    start_date                DATE,
    start_precision           VARCHAR,
    end_date                  DATE,
    end_precision             VARCHAR,
    term_months               INTEGER,
    hardware                  VARCHAR[],
    accelerator_count         BIGINT,
    capacity_mw               DOUBLE,
    facility                  VARCHAR,
    location                  VARCHAR,
    termination_notice_days   INTEGER,
    termination_lockin_months INTEGER,
    termination_by            VARCHAR,
    announced_on              DATE,
    source_count              INTEGER,
    article_count             INTEGER,
    conflict_count            INTEGER,
    first_seen                TIMESTAMP,
    last_seen                 TIMESTAMP,
    related_deal_id           VARCHAR,
    extra                     JSON           -- fields the reconciler adds beyond the contract
);

-- mention -> deal, kept across runs so deal_ids never renumber.
CREATE TABLE IF NOT EXISTS deal_assignments (
    mention_id  VARCHAR PRIMARY KEY,
    deal_id     VARCHAR
);

CREATE TABLE IF NOT EXISTS conflict_store (
    conflict_id  VARCHAR PRIMARY KEY,
    deal_id      VARCHAR,
    field        VARCHAR,
    severity     VARCHAR,
    "values"     JSON,
    explanation  VARCHAR,
    status       VARCHAR,
    values_hash  VARCHAR
);

-- Analysts' reviews survive reconciliation runs; a review lapses when the values change.
CREATE TABLE IF NOT EXISTS conflict_reviews (
    conflict_id  VARCHAR PRIMARY KEY,
    status       VARCHAR,
    values_hash  VARCHAR,
    reviewed_at  TIMESTAMP
);

CREATE TABLE IF NOT EXISTS evidence_store (
    deal_id      VARCHAR,
    field        VARCHAR,
    value        VARCHAR,
    article_id   VARCHAR,
    url          VARCHAR,
    publisher    VARCHAR,
    sentence     VARCHAR,
    start_char   INTEGER,
    end_char     INTEGER,
    extractor    VARCHAR,
    confidence   DOUBLE,
    used         BOOLEAN
);
