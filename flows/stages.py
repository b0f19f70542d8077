"""The ingest stages as plain functions (the Prefect tasks in flows.ingest are thin wrappers).

Each stage takes and returns plain data and turns every bad input into an Outcome with a reason
instead of an exception. The stages that write are handed the batch's one writer connection
(flows.ingest opens it after the batch's fetch), each writing in its own transaction.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from extractors.dedupe import DedupeKeys, DuplicateFinder
from extractors.models import Article, ArticleStatus, ExtractionResult, FetchStatus
from extractors.parse import article_id_for, is_ok_status
from flows.batch_work import ArticleKeys, article_keys, parse_docs  # noqa: F401 - parse_docs: API
from flows.fetch import FetchResult, fetch_many_sync
from flows.run_context import RunContext
from flows.source_types import Offload
from flows.sources import ExpandedSources, SourceItem, SourceSpec, expand_sources
from flows.summary import Outcome
from storage.db import Connection, connection, transaction
from storage.raw import (
    RawDocument,
    held_documents,
    load_raw,
    mark_processed,
    pending_raw,
    processed_ids,
    update_cache,
    validators,
    write_fetch_log,
    write_raw,
)
from storage.writer import article_row, naive_utc, write_articles, write_extraction

LOCAL_TYPES = MappingProxyType(
    {
        ".html": "text/html",
        ".htm": "text/html",
        ".xhtml": "application/xhtml+xml",
        ".txt": "text/plain",
    }
)


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
    db_path: str = ""
    pending: dict[str, str] = field(default_factory=dict)  # url -> raw_id stored but never processed


def plan_sources(
    specs: list[str | SourceSpec],
    ctx: RunContext,
    db_path: str,
    refetch: bool = False,
    item_limit: int = 1000,
    offload: Offload | None = None,
) -> Plan:
    """Expand sources into the documents to read.

    Feeds and sitemaps are fetched unconditionally (their validators are not stored), so every
    item is listed each run and an unchanged article costs one conditional GET answered 304.
    A URL whose stored document an interrupted run never processed is not fetched at all: its
    stored bytes are processed instead (``pending``). ``offload``: where feeds are parsed
    (flows.sources.expand_sources).
    """
    with connection(db_path) as con:
        known = {} if refetch else validators(con)
        pending = {} if refetch else pending_raw(con)
    expanded = expand_sources(
        specs, ctx.policy, validators={}, item_limit=item_limit, offload=offload, **ctx.fetch_kwargs()
    )
    return Plan(expanded, known, db_path=db_path, pending=pending)


def take_pending(plan: Plan, urls: list[str]) -> list[RawDocument]:
    """The stored, never-processed documents of ``urls`` (taken instead of fetching them)."""
    ids = [plan.pending[u] for u in urls if u in plan.pending]
    if not ids:
        return []
    with connection(plan.db_path) as con:
        docs = load_raw(con, ids)
    for d in docs:
        d.resumed = True
    return docs


def collect_batch(
    plan: Plan,
    items: list[SourceItem],
    ctx: RunContext,
    first: bool = True,
    on_done: Callable[[FetchResult], None] | None = None,
) -> Collected:
    """Fetch or read ``items`` with the run's policy, politeness state and transport; the first
    batch also carries the sources' own fetches and problems."""
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
            got = read_local(item, ctx.policy.max_bytes)
            if isinstance(got, Outcome):
                out.failed.append(got)
            else:
                out.docs.append(got)
        elif item.location not in items_by_url:
            items_by_url[item.location] = item
            if item.location in prefetched:
                results.append(prefetched[item.location])
            elif item.location not in plan.pending:
                urls.append(item.location)
    held = take_pending(plan, [u for u in items_by_url if u not in prefetched])
    out.docs += held
    if urls:
        results += fetch_many_sync(
            urls,
            ctx.policy,
            validators=plan.known,
            explicit_hosts=expanded.explicit_hosts,
            host_delays=expanded.host_delays,
            on_done=on_done,
            **ctx.fetch_kwargs(),
        )
    for r in results:
        out.fetches.append(r)
        item = items_by_url.get(r.url)
        if r.status == FetchStatus.OK and r.body is not None:
            out.docs.append(raw_document(r, item))
        elif r.status == FetchStatus.NOT_MODIFIED:
            out.unchanged.append(r.url)
        else:
            out.failed.append(Outcome(r.url, r.error or r.status))
    return out


def raw_document(r: FetchResult, item: SourceItem | None) -> RawDocument:
    """The document a successful fetch of ``item`` gave (flows.head_start makes the same ones)."""
    assert r.body is not None
    return RawDocument(
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


def store_raw(
    con: Connection, run_id: str, collected: Collected, version: str, refetch: bool = False
) -> tuple[list[RawDocument], int, list[Outcome]]:
    """Store raw bytes, the fetch log and validators in one transaction; return the documents
    that need processing, how many are unchanged, and the unchanged ones that could not be
    parsed last time either (still counted as failed: the same bytes fail the same way).

    Unchanged means already *finished* by this extractor version: the same bytes as a processed
    document, or a 304 for one. A 304 for a document that was stored but never processed (or by
    an older extractor) hands back the stored bytes to process, so nothing fetched is lost.
    """
    by_url = {r.url: r for r in collected.fetches}
    with transaction(con):
        done = set() if refetch else processed_ids(con, [d.raw_id for d in collected.docs], version)
        write_raw(con, collected.docs)
        write_fetch_log(con, fetch_log_rows(run_id, collected.fetches))
        now = naive_utc(datetime.now(UTC))
        cache_rows = [
            {
                "url": d.url,
                "etag": by_url[d.url].etag if d.url in by_url else None,
                "last_modified": by_url[d.url].last_modified if d.url in by_url else None,
                "body_sha256": d.sha256,
                "updated_at": now,
            }
            for d in collected.docs
            if not d.resumed
        ]
        update_cache(con, cache_rows)
        write_failures(
            con, collected.failed + [Outcome(loc, why) for loc, why in collected.problem_locations.items()]
        )
        held = held_documents(con, collected.unchanged)
        redo = [rid for rid, v in held.values() if v != version]
    redo_docs = load_raw(con, redo) if redo else []
    unusable = unparsable_before(con, list(done) + [rid for rid, v in held.values() if v == version])
    to_process = [d for d in collected.docs if d.raw_id not in done] + redo_docs
    failed = [Outcome(url, status) for url, status in unusable]
    return to_process, len(done) + len(collected.unchanged) - len(redo) - len(failed), failed


def unparsable_before(con, raw_ids: list[str]) -> list[tuple[str, str]]:
    """(url, status with its note) of the documents among ``raw_ids`` whose bytes could not be parsed."""
    if not raw_ids:
        return []
    return con.execute(
        "SELECT url, concat_ws(': ', status, status_note) AS reason FROM article_store "
        "WHERE raw_id IN (SELECT unnest(?)) AND status = ?",
        [raw_ids, ArticleStatus.UNPARSABLE.value],
    ).fetchall()


def write_failures(con, outcomes: list[Outcome]) -> None:
    """One `articles` row per document that could not be read, with the reason as its status.

    A failure never overwrites an article we already hold with good text (a flaky site must not
    erase what we know), and one location gets one row even when several problems name it.
    """
    now = datetime.now(UTC)
    rows = {}
    for o in outcomes:
        article = Article(
            article_id=article_id_for(o.location),
            url=o.location,
            text="",
            status=f"{ArticleStatus.FAILED}: {o.reason}",
        )
        rows.setdefault(article.article_id, article_row(article, fetched_at=now, raw_id=None, source=None))
    if not rows:
        return
    held = {
        article_id
        for (article_id,) in con.execute(
            "SELECT article_id FROM article_store WHERE status = ? AND article_id IN (SELECT unnest(?))",
            [ArticleStatus.OK.value, list(rows)],
        ).fetchall()
    }
    write_articles(con, [r for aid, r in rows.items() if aid not in held])


@dataclass
class Stored:
    """What became of each parsed document: every one is counted exactly once."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0  # parsed again (a pending or re-extracted document) with the same text
    duplicates: int = 0
    skipped: list[Outcome] = field(default_factory=list)  # parsed, but not an article to extract
    failed: list[Outcome] = field(default_factory=list)  # could not be parsed at all (binary, ...)
    to_extract: list[Article] = field(default_factory=list)
    raw_ids: dict[str, list[str]] = field(default_factory=dict)  # article_id -> its raw documents

    def raw_ids_of(self, articles: list[Article]) -> list[str]:
        return [rid for a in articles for rid in self.raw_ids.get(a.article_id, [])]


def load_duplicate_finder(con) -> DuplicateFinder:
    """Every stored original, oldest first, by its stored keys (no text is re-hashed)."""
    finder = DuplicateFinder()
    for aid, fp, sig in con.execute(
        "SELECT article_id, body_fingerprint, minhash FROM article_store "
        "WHERE status = ? AND duplicate_of IS NULL ORDER BY fetched_at",
        [ArticleStatus.OK.value],
    ).fetchall():
        finder.add_original(aid, DedupeKeys(fp, bytes(sig) if sig is not None else None))
    return finder


@dataclass
class RunDedupe:
    """The run's duplicate finder, loaded from the database by the first batch that needs it."""

    finder: DuplicateFinder | None = None


def store_articles(
    con: Connection,
    parsed: list[tuple[RawDocument, Article]],
    dedupe: RunDedupe | None = None,
    *,
    version: str,
    keys_of: list[ArticleKeys] | None = None,
) -> Stored:
    """Mark duplicates against this batch and everything stored before it, then upsert the
    article rows. Pass the run's ``dedupe`` so later batches reuse the index the first one built,
    and ``keys_of`` (article_keys of each parsed article, in order) when a worker computed them."""
    dedupe = dedupe or RunDedupe()
    if keys_of is None:
        keys_of = [article_keys(a) for _, a in parsed]
    precomputed = {id(a): k for (_, a), k in zip(parsed, keys_of, strict=True)}
    out = Stored()
    # The earliest-published copy is the original that syndicated copies point to.
    far_future = datetime.max.replace(tzinfo=UTC)
    ok = sorted(
        ((d, a) for d, a in parsed if is_ok_status(a.status)),
        key=lambda da: (da[1].published_at or far_future, da[0].fetched_at),
    )
    ids = [a.article_id for _, a in parsed]
    existing = finished_articles(con, ids)
    if dedupe.finder is None:
        dedupe.finder = load_duplicate_finder(con)
    for aid in ids:  # a new version of a stored article is judged afresh
        dedupe.finder.forget(aid)
    keys = {a.article_id: precomputed[id(a)][0] for _, a in ok}
    dup_of = dedupe.finder.check([(a.article_id, keys[a.article_id]) for _, a in ok])
    rows = []
    not_extracted: list[str] = []
    for doc, art in parsed:
        thash = precomputed[id(art)][1]
        dup = dup_of.get(art.article_id)
        if dup == art.article_id:
            dup = None
        _count(out, art, thash, existing, dup)
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
            out.raw_ids.setdefault(art.article_id, []).append(doc.raw_id)
        else:
            not_extracted.append(doc.raw_id)
    with transaction(con):
        write_articles(con, rows)
        mark_processed(con, not_extracted, version)
    return out


def finished_articles(con, ids: list[str]) -> dict[str, str | None]:
    """article_id -> text hash of the articles among ``ids`` that a run finished (extracted, or
    stored as not an article); a failure row or an article never extracted does not count."""
    rows = con.execute(
        "SELECT article_id, text_hash FROM article_store WHERE article_id IN (SELECT unnest($ids)) "
        "AND status <> $failed AND (status <> $ok OR extractor_version IS NOT NULL)",
        {"ids": ids, "failed": ArticleStatus.FAILED.value, "ok": ArticleStatus.OK.value},
    ).fetchall()
    return dict(rows)


def _count(out: Stored, art: Article, thash: str | None, existing: dict, dup: str | None) -> None:
    """Put one parsed document in exactly one of the summary's categories."""
    kind, _ = ArticleStatus.split(art.status)
    if kind in (ArticleStatus.UNPARSABLE, ArticleStatus.FAILED):  # binary, past its time budget
        out.failed.append(Outcome(art.url, art.status))
    elif not is_ok_status(art.status):
        out.skipped.append(Outcome(art.url, art.status))
    elif dup is not None:
        out.duplicates += 1
    elif art.article_id not in existing:
        out.new += 1
    elif existing[art.article_id] != thash:
        out.changed += 1
    else:
        out.unchanged += 1


def _keys_columns(keys: DedupeKeys | None) -> dict:
    return {
        "body_fingerprint": keys.fingerprint if keys else None,
        "minhash": keys.signature if keys else None,
    }


def store_extraction(
    con: Connection, results: list[ExtractionResult], version: str, raw_ids: list[str] | None = None
) -> tuple[int, int]:
    """Store mentions and facts and mark their raw documents finished, in one transaction: a run
    killed before the commit leaves them pending, and the next run extracts them."""
    with transaction(con):
        counts = write_extraction(con, results, version)
        mark_processed(con, raw_ids or [], version)
    return counts


def batched(seq: list, size: int) -> list[list]:
    return [seq[i : i + size] for i in range(0, len(seq), size)]
