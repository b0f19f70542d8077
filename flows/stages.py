"""The ingest stages as plain functions (the Prefect tasks in flows.ingest are thin wrappers).

Each stage takes and returns plain data, opens the database only for as long as it writes, and
turns every bad input into an Outcome with a reason instead of an exception.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extractors.dedupe import DedupeKeys, DuplicateFinder, text_fingerprint
from extractors.models import Article, ExtractionResult
from extractors.parse import article_id_for, is_ok_status, parse_document
from flows.fetch import FetchResult, fetch_many_sync
from flows.http_policy import FetchPolicy
from flows.sources import ExpandedSources, SourceItem, SourceSpec, expand_sources
from flows.summary import Outcome
from storage.db import connection
from storage.raw import RawDocument, known_body_hashes, update_cache, validators, write_fetch_log, write_raw
from storage.writer import article_row, naive_utc, write_articles, write_extraction

LOCAL_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
}


@dataclass
class Collected:
    """Documents received in this run, and what could not be received."""

    docs: list[RawDocument] = field(default_factory=list)
    fetches: list[FetchResult] = field(default_factory=list)  # every HTTP outcome, for fetch_log
    unchanged: list[str] = field(default_factory=list)  # locations answered 304
    failed: list[Outcome] = field(default_factory=list)
    problems: list[Outcome] = field(default_factory=list)
    problem_locations: dict[str, str] = field(default_factory=dict)  # document -> why it gave nothing
    documents: int = 0


def read_local(item: SourceItem, max_bytes: int) -> RawDocument | Outcome:
    """Read a local file as if it had been fetched; unsupported or unreadable files get a reason."""
    path = Path(item.location)
    suffix = path.suffix.lower()
    ctype = LOCAL_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0]
    if suffix not in LOCAL_TYPES:
        return Outcome(str(path), f"unsupported file type {suffix or '(none)'} ({ctype or 'unknown'})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Outcome(str(path), f"file larger than {max_bytes // 1_000_000} MB ({size:,} bytes)")
        body = path.read_bytes()
    except OSError as exc:
        return Outcome(str(path), f"cannot read file: {exc.strerror or exc}")
    return RawDocument(
        url=path.resolve().as_uri(),
        body=body,
        fetched_at=datetime.now(UTC),
        source=item.source,
        content_type=ctype,
        title_hint=item.title_hint,
        published_hint=item.published_hint,
    )


@dataclass
class Plan:
    """What the sources name, found before anything is fetched, so a run can go batch by batch."""

    expanded: ExpandedSources
    known: dict[str, tuple[str | None, str | None]]  # url -> (etag, last_modified)


def plan_sources(
    specs: list[str | SourceSpec],
    policy: FetchPolicy,
    db_path: str,
    refetch: bool = False,
    item_limit: int = 1000,
) -> Plan:
    """Expand sources into the documents to read.

    Feeds and sitemaps are fetched unconditionally (their validators are not stored), so every
    item is listed each run and an unchanged article costs one conditional GET answered 304.
    """
    with connection(db_path) as con:
        known = {} if refetch else validators(con)
    return Plan(expand_sources(specs, policy, validators={}, item_limit=item_limit), known)


def collect_batch(plan: Plan, items: list[SourceItem], policy: FetchPolicy, first: bool = True) -> Collected:
    """Fetch or read ``items``; the first batch also carries the sources' own fetches and problems."""
    expanded = plan.expanded
    out = Collected()
    if first:
        out.fetches = list(expanded.fetches)
        out.documents = len(expanded.items)
        out.problems = [Outcome(p.location or p.source, p.reason) for p in expanded.problems]
        out.problem_locations = {p.location: p.reason for p in expanded.problems if p.location}
    prefetched = {r.url: r for r in expanded.pages}
    urls: list[str] = []
    results: list[FetchResult] = []
    items_by_url: dict[str, SourceItem] = {}
    for item in items:
        if item.kind == "file":
            got = read_local(item, policy.max_bytes)
            if isinstance(got, Outcome):
                out.failed.append(got)
            else:
                out.docs.append(got)
        elif item.location not in items_by_url:
            items_by_url[item.location] = item
            if item.location in prefetched:
                results.append(prefetched[item.location])
            else:
                urls.append(item.location)
    if urls:
        results += fetch_many_sync(
            urls,
            policy,
            validators=plan.known,
            explicit_hosts=expanded.explicit_hosts,
            host_delays=expanded.host_delays,
        )
    for r in results:
        out.fetches.append(r)
        item = items_by_url.get(r.url)
        if r.status == "ok" and r.body is not None:
            out.docs.append(
                RawDocument(
                    url=r.url,
                    body=r.body,
                    fetched_at=r.fetched_at,
                    source=item.source if item else None,
                    final_url=r.final_url,
                    http_status=r.http_status,
                    content_type=r.content_type,
                    headers=r.headers,
                    title_hint=item.title_hint if item else None,
                    published_hint=item.published_hint if item else None,
                )
            )
        elif r.status == "not_modified":
            out.unchanged.append(r.url)
        else:
            out.failed.append(Outcome(r.url, r.error or r.status))
    return out


def fetch_log_rows(run_id: str, fetches: list[FetchResult]) -> list[dict]:
    return [
        {
            "run_id": run_id,
            "url": r.url,
            "final_url": r.final_url,
            "status": r.status,
            "http_status": r.http_status,
            "error": r.error,
            "bytes": len(r.body) if r.body is not None else 0,
            "elapsed_s": r.elapsed_s,
            "attempts": r.attempts,
            "fetched_at": naive_utc(r.fetched_at),
            "redirects": list(r.redirects or []),
        }
        for r in fetches
    ]


def store_raw(db_path: str, run_id: str, collected: Collected, refetch: bool = False) -> list[RawDocument]:
    """Store raw bytes, the fetch log and validators; return the documents that need parsing.

    A document whose bytes equal what we stored last time is not parsed again (unless refetch).
    """
    by_url = {r.url: r for r in collected.fetches}
    with connection(db_path) as con:
        previous = known_body_hashes(con, [d.url for d in collected.docs])
        write_raw(con, collected.docs)
        write_fetch_log(con, fetch_log_rows(run_id, collected.fetches))
        now = naive_utc(datetime.now(UTC))
        cache_rows = []
        for d in collected.docs:
            r = by_url.get(d.url)
            cache_rows.append(
                {
                    "url": d.url,
                    "etag": r.etag if r else None,
                    "last_modified": r.last_modified if r else None,
                    "body_sha256": d.sha256,
                    "updated_at": now,
                }
            )
        update_cache(con, cache_rows)
        write_failures(
            con, collected.failed + [Outcome(loc, why) for loc, why in collected.problem_locations.items()]
        )
    if refetch:
        return list(collected.docs)
    unchanged = {d.url for d in collected.docs if previous.get(d.url) == d.sha256}
    collected.unchanged.extend(sorted(unchanged))
    return [d for d in collected.docs if d.url not in unchanged]


def write_failures(con, outcomes: list[Outcome]) -> None:
    """One `articles` row per document that could not be read, with the reason as its status.

    A failure never overwrites an article we already hold with good text (a flaky site must not
    erase what we know), and one location gets one row even when several problems name it.
    """
    now = datetime.now(UTC)
    rows = {}
    for o in outcomes:
        article = Article(
            article_id=article_id_for(o.location), url=o.location, text="", status=f"failed: {o.reason}"
        )
        rows.setdefault(article.article_id, article_row(article, fetched_at=now, raw_id=None, source=None))
    if not rows:
        return
    held = {
        r[0]
        for r in con.execute(
            "SELECT article_id FROM article_store WHERE status = 'ok' AND article_id IN (SELECT unnest(?))",
            [list(rows)],
        ).fetchall()
    }
    write_articles(con, [r for aid, r in rows.items() if aid not in held])


def parse_docs(docs: list[RawDocument]) -> list[tuple[RawDocument, Article]]:
    return [
        (
            d,
            parse_document(
                d.body,
                url=d.final_url or d.url,
                content_type=d.content_type,
                fetched_at=d.fetched_at,
                title_hint=d.title_hint,
                published_hint=d.published_hint,
            ),
        )
        for d in docs
    ]


@dataclass
class Stored:
    new: int = 0
    changed: int = 0
    duplicates: int = 0
    skipped: list[Outcome] = field(default_factory=list)
    to_extract: list[Article] = field(default_factory=list)


def load_duplicate_finder(con) -> DuplicateFinder:
    """Every stored original, oldest first, by its stored keys (no text is re-hashed)."""
    finder = DuplicateFinder()
    for aid, fp, sig in con.execute(
        "SELECT article_id, body_fingerprint, minhash FROM article_store "
        "WHERE status = 'ok' AND duplicate_of IS NULL ORDER BY fetched_at"
    ).fetchall():
        finder.add_original(aid, DedupeKeys(fp, bytes(sig) if sig is not None else None))
    return finder


@dataclass
class RunDedupe:
    """The run's duplicate finder, loaded from the database by the first batch that needs it."""

    finder: DuplicateFinder | None = None


def store_articles(
    db_path: str, parsed: list[tuple[RawDocument, Article]], dedupe: RunDedupe | None = None
) -> Stored:
    """Mark duplicates against this batch and everything stored before it, then upsert the
    article rows. Pass the run's ``dedupe`` so later batches reuse the index the first one built."""
    dedupe = dedupe or RunDedupe()
    out = Stored()
    # The earliest-published copy is the original that syndicated copies point to.
    far_future = datetime.max.replace(tzinfo=UTC)
    ok = sorted(
        ((d, a) for d, a in parsed if is_ok_status(a.status)),
        key=lambda da: (da[1].published_at or far_future, da[0].fetched_at),
    )
    with connection(db_path) as con:
        ids = [a.article_id for _, a in parsed]
        existing = dict(
            con.execute(
                "SELECT article_id, text_hash FROM article_store WHERE article_id IN (SELECT unnest(?))",
                [ids],
            ).fetchall()
        )
        if dedupe.finder is None:
            dedupe.finder = load_duplicate_finder(con)
        for aid in ids:  # a new version of a stored article is judged afresh
            dedupe.finder.forget(aid)
        keys = {a.article_id: DedupeKeys.of(a.text) for _, a in ok}
        dup_of = dedupe.finder.check([(a.article_id, keys[a.article_id]) for _, a in ok])
        rows = []
        for doc, art in parsed:
            thash = text_fingerprint(art.text) if art.text else None
            if art.article_id in existing:
                if existing[art.article_id] != thash:
                    out.changed += 1
            else:
                out.new += 1
            dup = dup_of.get(art.article_id)
            if dup == art.article_id:
                dup = None
            out.duplicates += dup is not None
            rows.append(
                article_row(
                    art,
                    fetched_at=doc.fetched_at,
                    raw_id=doc.raw_id,
                    source=doc.source,
                    text_hash=thash,
                    duplicate_of=dup,
                )
                | _keys_columns(keys.get(art.article_id))
            )
            if is_ok_status(art.status):
                out.to_extract.append(art)
            else:
                out.skipped.append(Outcome(art.url, art.status))
        write_articles(con, rows)
    return out


def _keys_columns(keys: DedupeKeys | None) -> dict:
    return {
        "body_fingerprint": keys.fingerprint if keys else None,
        "minhash": keys.signature if keys else None,
    }


def store_extraction(db_path: str, results: list[ExtractionResult], version: str) -> tuple[int, int]:
    with connection(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            counts = write_extraction(con, results, version)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return counts


def batched(seq: list, size: int) -> list[list]:
    return [seq[i : i + size] for i in range(0, len(seq), size)]
